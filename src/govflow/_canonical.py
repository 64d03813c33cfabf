"""The canonical form: the exact bytes that log entries are hashed over.

Canonical bytes are UTF-8 JSON with object keys sorted by code point, ``,`` and
``:`` as the only separators, no insignificant white space, non-ASCII text
written as itself, whole numbers only and no NaN. Every record is written with
all of its fields, absent values as ``null`` and empty lists as ``[]``, so the
same record always gives the same bytes. ``docs/canonical-form.md`` specifies
each record's fields.

Reading is strict: a missing field, an unexpected field or a value of the wrong
type raises :class:`~govflow.InvalidRecord` naming the field by its path.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from govflow._decision import Decision, Delegation, Kind, Source, Target
from govflow._errors import InvalidRecord
from govflow._terms import Terms
from govflow._verdict import Reason, Verdict
from govflow._when import When

T = TypeVar("T")
R = TypeVar("R")

_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
)


def canonical_bytes(data: object) -> bytes:
    """Encode plain data (dicts, lists, texts, whole numbers, bools, None) canonically."""
    return _ENCODER.encode(data).encode("utf-8")


def terms_to_dict(terms: Terms) -> dict[str, Any]:
    """Plain data for ``terms``."""
    return {
        "title": terms.title,
        "partners": list(terms.partners),
        "remit": list(terms.remit),
        "budget": terms.budget,
        "conditions": list(terms.conditions),
        "seats": dict(terms.seats),
        "places": list(terms.places),
        "version": terms.version,
    }


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """Plain data for ``decision``, every field present."""
    return {
        "id": decision.id,
        "body": decision.body,
        "kind": decision.kind.value,
        "actor": decision.actor,
        "on_behalf_of": decision.on_behalf_of,
        "decided": decision.decided.iso,
        "recorded": None if decision.recorded is None else decision.recorded.isoformat(),
        "source": {"document": decision.source.document, "locator": decision.source.locator},
        "reasons": list(decision.reasons),
        "alternatives_rejected": list(decision.alternatives_rejected),
        "conflicts_declared": list(decision.conflicts_declared),
        "dispensations": list(decision.dispensations),
        "trigger": decision.trigger,
        "terms": None if decision.terms is None else terms_to_dict(decision.terms),
        "meeting": decision.meeting,
        "nominees": list(decision.nominees),
        "to": decision.to,
        "delegation": None if decision.delegation is None else _delegation(decision.delegation),
        "ratifies": list(decision.ratifies),
        "target": None
        if decision.target is None
        else {"state": decision.target.state, "by": decision.target.by.iso},
        "supersedes": decision.supersedes,
    }


def _delegation(delegation: Delegation) -> dict[str, Any]:
    return {
        "to": delegation.to,
        "kinds": [k.value for k in delegation.kinds],
        "start": delegation.start.isoformat(),
        "end": None if delegation.end is None else delegation.end.isoformat(),
    }


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    """Plain data for ``verdict``."""
    return {
        "guard": verdict.guard,
        "passed": verdict.passed,
        "reasons": [
            {
                "code": r.code,
                "params": {k: list(v) if isinstance(v, tuple) else v for k, v in r.params.items()},
                "message": r.message,
            }
            for r in verdict.reasons
        ],
        "evidence": list(verdict.evidence),
    }


class Reader:
    """Reads one record's plain data strictly, naming each field by its path."""

    def __init__(self, record: str, data: object, path: str = "") -> None:
        if not isinstance(data, Mapping):
            raise InvalidRecord(record, path or "(record)", "a JSON object", data)
        self.record = record
        self.data = data
        self.path = path
        self.seen: set[str] = set()

    def where(self, key: str) -> str:
        """The path of ``key`` within the record."""
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kind: type[T]) -> T:
        """The value of ``key``, checked to be of ``kind``."""
        value = self.maybe(key, kind)
        if value is None:
            raise InvalidRecord(self.record, self.where(key), f"of type {kind.__name__}", None)
        return value

    def maybe(self, key: str, kind: type[T]) -> T | None:
        """The value of ``key``, checked to be of ``kind`` or null."""
        self.seen.add(key)
        if key not in self.data:
            raise InvalidRecord(self.record, self.where(key), "present", "(missing)")
        value = self.data[key]
        if value is None:
            return None
        # bool is an int in Python; a count or sequence number must not be true/false.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InvalidRecord(self.record, self.where(key), f"of type {kind.__name__}", value)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts."""
        values = self.get(key, list)
        if not all(isinstance(v, str) for v in values):
            raise InvalidRecord(self.record, self.where(key), "a list of texts", values)
        return tuple(values)

    def ints(self, key: str) -> tuple[int, ...]:
        """A list of whole numbers."""
        values = self.get(key, list)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise InvalidRecord(self.record, self.where(key), "a list of whole numbers", values)
        return tuple(values)

    def child(self, key: str) -> Reader:
        """A reader for the object at ``key``."""
        self.seen.add(key)
        if key not in self.data:
            raise InvalidRecord(self.record, self.where(key), "present", "(missing)")
        return Reader(self.record, self.data[key], self.where(key))

    def done(self) -> None:
        """Check that no field was left unread."""
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise InvalidRecord(self.record, self.where(extra[0]), "not present", "(unexpected)")


def _build(record: str, where: str, make: Callable[..., R], *args: object, **kwargs: object) -> R:
    """Build a record, re-labelling its validation error with the path read from."""
    try:
        return make(*args, **kwargs)
    except InvalidRecord as error:
        field = f"{where}.{error.field}" if where else error.field
        raise InvalidRecord(record, field, error.expected, error.received) from None


def terms_from_reader(r: Reader) -> Terms:
    """Terms from plain data."""
    terms = _build(
        r.record,
        r.path,
        Terms,
        title=r.get("title", str),
        partners=r.texts("partners"),
        remit=r.texts("remit"),
        budget=r.maybe("budget", str),
        conditions=r.texts("conditions"),
        seats=_seats(r),
        places=r.texts("places"),
        version=r.get("version", int),
    )
    r.done()
    return terms


def _seats(r: Reader) -> dict[str, int]:
    seats = r.get("seats", dict)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in seats.values()):
        raise InvalidRecord(r.record, r.where("seats"), "an object of whole numbers", seats)
    return seats


def _delegation_from(r: Reader) -> Delegation | None:
    if r.maybe("delegation", dict) is None:
        return None
    d = r.child("delegation")
    start = _date(d, "start")
    if start is None:
        raise InvalidRecord(d.record, d.where("start"), "a YYYY-MM-DD day", None)
    delegation = _build(
        d.record, d.path, Delegation, d.get("to", str), d.texts("kinds"), start, _date(d, "end")
    )
    d.done()
    return delegation


def _target_from(r: Reader) -> Target | None:
    if r.maybe("target", dict) is None:
        return None
    t = r.child("target")
    by = _build(t.record, t.where("by"), When.parse, t.get("by", str))
    target = _build(t.record, t.path, Target, t.get("state", str), by)
    t.done()
    return target


def _date(r: Reader, key: str) -> dt.date | None:
    text = r.maybe(key, str)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidRecord(r.record, r.where(key), "a YYYY-MM-DD day", text) from None


def decision_from_reader(r: Reader) -> Decision:
    """A decision from plain data, as :func:`decision_to_dict` writes it."""
    kind = r.get("kind", str)
    if kind not in Kind._value2member_map_:
        choices = ", ".join(k.value for k in Kind)
        raise InvalidRecord(r.record, r.where("kind"), f"one of: {choices}", kind)
    decided = _build(r.record, r.where("decided"), When.parse, r.get("decided", str))
    source_reader = r.child("source")
    source = _build(
        r.record,
        source_reader.path,
        Source,
        source_reader.get("document", str),
        source_reader.get("locator", str),
    )
    source_reader.done()
    terms_data = r.maybe("terms", dict)
    terms = None if terms_data is None else terms_from_reader(r.child("terms"))
    decision = _build(
        r.record,
        r.path,
        Decision,
        id=r.get("id", str),
        body=r.get("body", str),
        kind=kind,
        actor=r.get("actor", str),
        on_behalf_of=r.maybe("on_behalf_of", str),
        decided=decided,
        recorded=_date(r, "recorded"),
        source=source,
        reasons=r.texts("reasons"),
        alternatives_rejected=r.texts("alternatives_rejected"),
        conflicts_declared=r.texts("conflicts_declared"),
        dispensations=r.texts("dispensations"),
        trigger=r.maybe("trigger", str),
        terms=terms,
        meeting=r.maybe("meeting", str),
        nominees=r.texts("nominees"),
        to=r.maybe("to", str),
        delegation=_delegation_from(r),
        ratifies=r.texts("ratifies"),
        target=_target_from(r),
        supersedes=r.maybe("supersedes", str),
    )
    r.done()
    return decision


def verdict_from_reader(r: Reader) -> Verdict:
    """A verdict from plain data, as :func:`verdict_to_dict` writes it."""
    reasons = []
    for index, item in enumerate(r.get("reasons", list)):
        rr = Reader(r.record, item, f"{r.where('reasons')}[{index}]")
        params = rr.get("params", dict)
        for key, value in params.items():
            ok = isinstance(value, str | int) and not isinstance(value, bool)
            if not ok and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise InvalidRecord(
                    r.record, rr.where(f"params.{key}"), "a text, number or list of texts", value
                )
        reasons.append(Reason(rr.get("code", str), params, rr.get("message", str)))
        rr.done()
    verdict = Verdict(
        r.get("guard", str), r.get("passed", bool), tuple(reasons), r.ints("evidence")
    )
    r.done()
    return verdict
