"""Reading entries back from plain data: a quick reader, and one that names what is wrong.

The quick reader turns plain data with exactly an entry's shape into records in one
pass, the records' own checks doing most of the checking. Anything it refuses is
read again by the naming reader, which says which field is at fault and where.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from govflow._authority import Mandate
from govflow._canonical import Reader, decision_from_reader, verdict_from_reader
from govflow._decision import Decision, Delegation, Source, Target
from govflow._encode import shaped
from govflow._entry import SCHEMA_VERSION, Entry
from govflow._errors import InvalidRecord
from govflow._terms import Terms
from govflow._verdict import ParamValue, Reason, Verdict
from govflow._when import When

DIGEST = re.compile("[0-9a-f]{64}")
HEX = frozenset("0123456789abcdef")


def _hex_digest(r: Reader, key: str) -> str:
    value = r.get(key, str)
    if len(value) != 64 or not set(value) <= HEX:  # noqa: PLR2004 - SHA-256 in hex
        raise InvalidRecord(r.record, r.where(key), "64 lower-case hex digits", value)
    return value


def _mandate(r: Reader) -> Mandate:
    mandate = Mandate(r.get("actor", str), r.get("organisation", str), r.maybe("delegated_by", str))
    r.done()
    return mandate


def entry_from_dict(data: Mapping[str, Any]) -> Entry:
    """Read an entry from plain data, strictly.

    Raises:
        InvalidRecord: A field is missing, unexpected or of the wrong type, or the
            entry's schema version is not one this release reads; the error names
            the entry (``Entry #seq``) and the field's path.
    """
    return read_entry(data, Shared())


def read_entry(data: Mapping[str, Any], shared: Shared) -> Entry:
    """:func:`entry_from_dict`, with the small records ``shared`` has read already reused."""
    try:
        return _read_whole(data, shared)
    except (InvalidRecord, KeyError, TypeError, ValueError):
        return _read_naming(data)


class Shared:
    """Names, dates, sources and mandates already read: equal values read once.

    A log repeats a few of each across many entries: body ids, states, actors,
    triggers, dates. Reading them through one ``Shared`` gives one object for each,
    which saves building it again and the memory (and the collector's time) a copy
    per entry costs, and lets later comparisons of them stop at identity. Every
    record is checked as it is first built; a text that is not exactly a ``str`` is
    never looked up.
    """

    __slots__ = ("_mandates", "_sources", "_texts", "_whens")

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._whens: dict[str, When] = {}
        self._sources: dict[tuple[str, str], Source] = {}
        self._mandates: dict[tuple[str, str, str | None], Mandate] = {}

    def text(self, value: object) -> str:
        return self._texts.setdefault(_text(value), value)  # type: ignore[arg-type]

    def maybe(self, value: object) -> str | None:
        return None if value is None else self._texts.setdefault(_text(value), value)  # type: ignore[arg-type]

    def when(self, text: object) -> When:
        found = self._whens.get(_text(text))
        if found is None:
            found = self._whens[text] = When.parse(text)  # type: ignore[index,arg-type]
        return found

    def source(self, document: object, locator: object) -> Source:
        key = (_text(document), _text(locator))
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = Source(*key)
        return found

    def mandate(self, actor: object, organisation: object, by: object) -> Mandate:
        key = (_text(actor), _text(organisation), _maybe(by))
        found = self._mandates.get(key)
        if found is None:
            found = self._mandates[key] = Mandate(*key)
        return found


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError(value)
    return value


def _maybe(value: object) -> str | None:
    return None if value is None else _text(value)


def _whole(value: object) -> int:
    if type(value) is not int:
        raise TypeError(value)
    return value


def _digest(value: object) -> str:
    if type(value) is not str or DIGEST.fullmatch(value) is None:
        raise ValueError(value)
    return value


def _day(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(_text(value))


def _terms_whole(data: object) -> Terms | None:
    if data is None:
        return None
    t = shaped(data, "terms")
    seats = t["seats"]
    if type(seats) is not dict:
        raise TypeError(seats)
    return Terms(
        _text(t["title"]),
        t["partners"],
        t["remit"],
        _maybe(t["budget"]),
        t["conditions"],
        seats,
        t["places"],
        _whole(t["version"]),
    )


def _decision_whole(data: object, shared: Shared) -> Decision:
    d = shaped(data, "decision")
    source = shaped(d["source"], "source")
    delegation, target = d["delegation"], d["target"]
    if delegation is not None:
        g = shaped(delegation, "delegation")
        start = _day(g["start"])
        if start is None:
            raise TypeError(start)
        delegation = Delegation(_text(g["to"]), g["kinds"], start, _day(g["end"]))
    if target is not None:
        g = shaped(target, "target")
        target = Target(_text(g["state"]), When.parse(_text(g["by"])))
    return Decision(
        id=d["id"],
        body=shared.text(d["body"]),
        kind=_text(d["kind"]),
        actor=shared.text(d["actor"]),
        on_behalf_of=shared.maybe(d["on_behalf_of"]),
        decided=shared.when(d["decided"]),
        recorded=_day(d["recorded"]),
        source=shared.source(source["document"], source["locator"]),
        reasons=d["reasons"],
        alternatives_rejected=d["alternatives_rejected"],
        conflicts_declared=d["conflicts_declared"],
        dispensations=d["dispensations"],
        trigger=shared.maybe(d["trigger"]),
        terms=_terms_whole(d["terms"]),
        meeting=d["meeting"],
        nominees=d["nominees"],
        to=d["to"],
        delegation=delegation,
        ratifies=d["ratifies"],
        target=target,
        supersedes=d["supersedes"],
    )


def _param(value: object) -> ParamValue:
    if type(value) is list:
        return tuple(_text(v) for v in value)
    return value if type(value) is str else _whole(value)


def _verdict_whole(data: object) -> Verdict:
    v = shaped(data, "verdict")
    passed, evidence, reasons = v["passed"], v["evidence"], v["reasons"]
    if type(passed) is not bool or type(evidence) is not list or type(reasons) is not list:
        raise TypeError(v)
    read = []
    for each in reasons:
        r = shaped(each, "reason")
        params = r["params"]
        if type(params) is not dict:
            raise TypeError(params)
        frozen = {_text(k): _param(p) for k, p in params.items()}
        read.append(Reason(_text(r["code"]), frozen, _text(r["message"])))
    return Verdict(_text(v["guard"]), passed, tuple(read), tuple(_whole(n) for n in evidence))


def _read_whole(data: object, shared: Shared) -> Entry:
    e = shaped(data, "entry")
    if e["schema"] != SCHEMA_VERSION or type(e["schema"]) is not int:
        raise ValueError(e["schema"])
    m = shaped(e["mandate"], "mandate")
    verdicts = e["verdicts"]
    if type(verdicts) is not list:
        raise TypeError(verdicts)
    return Entry(
        _whole(e["seq"]),
        shared.text(e["body"]),
        _decision_whole(e["decision"], shared),
        shared.maybe(e["before"]),
        shared.text(e["after"]),
        _whole(e["terms_version"]),
        tuple(_verdict_whole(v) for v in verdicts) if verdicts else (),
        shared.mandate(m["actor"], m["organisation"], m["delegated_by"]),
        _digest(e["prev"]),
        _digest(e["hash"]),
        SCHEMA_VERSION,
    )


def _read_naming(data: Mapping[str, Any]) -> Entry:
    seq = data.get("seq") if isinstance(data, Mapping) else None
    numbered = isinstance(seq, int) and not isinstance(seq, bool)
    record = f"Entry #{seq}" if numbered else "Entry"
    r = Reader(record, data)
    schema = r.get("schema", int)
    if schema != SCHEMA_VERSION:
        raise InvalidRecord(
            record,
            "schema",
            f"schema version {SCHEMA_VERSION} (this release reads only it)",
            schema,
        )
    entry = Entry(
        seq=r.get("seq", int),
        body=r.get("body", str),
        decision=decision_from_reader(r.child("decision")),
        before=r.maybe("before", str),
        after=r.get("after", str),
        terms_version=r.get("terms_version", int),
        verdicts=tuple(
            verdict_from_reader(r_item)
            for r_item in (
                Reader(record, item, f"verdicts[{i}]")
                for i, item in enumerate(r.get("verdicts", list))
            )
        ),
        mandate=_mandate(r.child("mandate")),
        prev=_hex_digest(r, "prev"),
        hash=_hex_digest(r, "hash"),
        schema=schema,
    )
    r.done()
    return entry
