"""The canonical text of a log entry, assembled directly in key order.

This is the hot path of every append and every verification. It writes exactly
what :func:`govflow._canonical.canonical_bytes` writes for the same data (the
tests compare the two on generated entries), several times faster: the keys of
every record are known, so they are written in sorted order as literals, and
only the values are encoded.

Two entry points share the encoders of values:

* :func:`entry_parts` writes an entry from records, for sealing and storing;
* :func:`parts_from_data` writes it from plain data as a store read it back, for
  verification; it raises ``KeyError``, ``TypeError`` or ``ValueError`` for data
  whose shape is not an entry's, and the caller then takes the strict path.

Both return the text in two parts, before and after the ``hash`` field (the keys
sorted put ``hash`` between ``decision`` and ``mandate``): the hash is taken over
``before + "," + after`` and the stored text is ``before + ',"hash":"…",' + after``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring  # what json.dumps uses with ensure_ascii=False
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govflow._authority import Mandate
    from govflow._decision import Decision
    from govflow._terms import Terms
    from govflow._verdict import Verdict

_s = encode_basestring


def _os(value: str | None) -> str:
    return "null" if value is None else _s(value)


def _texts(values: Sequence[str]) -> str:
    return "[" + ",".join(map(_s, values)) + "]" if values else "[]"


def _int(value: object) -> str:
    # bool is an int in Python; the canonical form has whole numbers only.
    if type(value) is not int:
        raise TypeError(value)
    return str(value)


def _param(value: object) -> str:
    if isinstance(value, str):
        return _s(value)
    if isinstance(value, list | tuple):
        return _texts(value)
    return _int(value)


def _params(params: Mapping[str, object]) -> str:
    items = ",".join(_s(k) + ":" + _param(params[k]) for k in sorted(params))
    return "{" + items + "}"


def _seats(seats: Sequence[tuple[str, int]]) -> str:
    return "{" + ",".join(_s(p) + ":" + _int(n) for p, n in seats) + "}"


def _terms(t: Terms | None) -> str:
    if t is None:
        return "null"
    return (
        f'{{"budget":{_os(t.budget)},"conditions":{_texts(t.conditions)},'
        f'"partners":{_texts(t.partners)},"places":{_texts(t.places)},'
        f'"remit":{_texts(t.remit)},"seats":{_seats(t.seats)},"title":{_s(t.title)},'
        f'"version":{_int(t.version)}}}'
    )


def _decision(d: Decision) -> str:
    delegation, target, recorded = d.delegation, d.target, d.recorded
    if delegation is None:
        delegated = "null"
    else:
        end = "null" if delegation.end is None else _s(delegation.end.isoformat())
        delegated = (
            f'{{"end":{end},"kinds":{_texts(delegation.kinds)},'
            f'"start":{_s(delegation.start.isoformat())},"to":{_s(delegation.to)}}}'
        )
    targeted = (
        "null" if target is None else f'{{"by":{_s(target.by.iso)},"state":{_s(target.state)}}}'
    )
    return (
        f'{{"actor":{_s(d.actor)},"alternatives_rejected":'
        f"{_texts(d.alternatives_rejected) if d.alternatives_rejected else '[]'},"
        f'"body":{_s(d.body)},"conflicts_declared":'
        f"{_texts(d.conflicts_declared) if d.conflicts_declared else '[]'},"
        f'"decided":{_s(d.decided.iso)},"delegation":{delegated},"dispensations":'
        f"{_texts(d.dispensations) if d.dispensations else '[]'},"
        # Kind is a StrEnum: its members are their own text.
        f'"id":{_s(d.id)},"kind":{_s(d.kind)},'
        f'"meeting":{"null" if d.meeting is None else _s(d.meeting)},'
        f'"nominees":{_texts(d.nominees) if d.nominees else "[]"},'
        f'"on_behalf_of":{"null" if d.on_behalf_of is None else _s(d.on_behalf_of)},'
        f'"ratifies":{_texts(d.ratifies) if d.ratifies else "[]"},'
        f'"reasons":{_texts(d.reasons) if d.reasons else "[]"},'
        f'"recorded":{"null" if recorded is None else _s(recorded.isoformat())},'
        f'"source":{{"document":{_s(d.source.document)},"locator":{_s(d.source.locator)}}},'
        f'"supersedes":{"null" if d.supersedes is None else _s(d.supersedes)},'
        f'"target":{targeted},"terms":{"null" if d.terms is None else _terms(d.terms)},'
        f'"to":{"null" if d.to is None else _s(d.to)},'
        f'"trigger":{"null" if d.trigger is None else _s(d.trigger)}}}'
    )


def _verdicts(verdicts: Sequence[Verdict]) -> str:
    if not verdicts:
        return "[]"
    return (
        "["
        + ",".join(
            f'{{"evidence":[{",".join(map(_int, v.evidence))}],"guard":{_s(v.guard)},'
            f'"passed":{"true" if v.passed else "false"},"reasons":['
            + ",".join(
                f'{{"code":{_s(r.code)},"message":{_s(r.message)},"params":{_params(r.params)}}}'
                for r in v.reasons
            )
            + "]}"
            for v in verdicts
        )
        + "]"
    )


def entry_parts(  # noqa: PLR0917 - positional: it runs for every entry sealed
    seq: int,
    body: str,
    decision: Decision,
    before: str | None,
    after: str,
    terms_version: int,
    verdicts: Sequence[Verdict],
    mandate: Mandate,
    prev: str,
    schema: int,
    /,
) -> tuple[str, str]:
    """An entry's canonical text without ``hash``, split where ``hash`` goes."""
    head = (
        f'{{"after":{_s(after)},"before":{_os(before)},"body":{_s(body)},'
        f'"decision":{_decision(decision)}'
    )
    tail = (
        f'"mandate":{{"actor":{_s(mandate.actor)},"delegated_by":{_os(mandate.delegated_by)},'
        f'"organisation":{_s(mandate.organisation)}}},"prev":{_s(prev)},'
        # Whole numbers all: the schema is a constant, seq a count, the version checked.
        f'"schema":{schema},"seq":{seq},"terms_version":{terms_version},'
        f'"verdicts":{_verdicts(verdicts)}}}'
    )
    return head, tail


# Reading back: the same text from the plain data a store parsed. Every key is read
# by name, so a missing key raises KeyError; exact key sets are checked where a
# record could carry more.

_KEYS = {
    "entry": frozenset(
        [
            "after",
            "before",
            "body",
            "decision",
            "hash",
            "mandate",
            "prev",
            "schema",
            "seq",
            "terms_version",
            "verdicts",
        ]
    ),
    "decision": frozenset(
        [
            "actor",
            "alternatives_rejected",
            "body",
            "conflicts_declared",
            "decided",
            "delegation",
            "dispensations",
            "id",
            "kind",
            "meeting",
            "nominees",
            "on_behalf_of",
            "ratifies",
            "reasons",
            "recorded",
            "source",
            "supersedes",
            "target",
            "terms",
            "to",
            "trigger",
        ]
    ),
    "terms": frozenset(
        ["budget", "conditions", "partners", "places", "remit", "seats", "title", "version"]
    ),
    "source": frozenset(("document", "locator")),
    "mandate": frozenset(("actor", "delegated_by", "organisation")),
    "delegation": frozenset(("end", "kinds", "start", "to")),
    "target": frozenset(("by", "state")),
    "verdict": frozenset(("evidence", "guard", "passed", "reasons")),
    "reason": frozenset(("code", "message", "params")),
}


def shaped(data: object, name: str) -> dict[str, Any]:
    """``data`` if it is a JSON object with exactly the keys of record ``name``.

    Raises:
        ValueError: It is not.
    """
    if type(data) is not dict or data.keys() != _KEYS[name]:
        raise ValueError(name)
    return data


def _terms_data(t: object) -> str:
    if t is None:
        return "null"
    t = shaped(t, "terms")
    seats = t["seats"]
    if type(seats) is not dict:
        raise TypeError(seats)
    return (
        f'{{"budget":{_os(t["budget"])},"conditions":{_texts(t["conditions"])},'
        f'"partners":{_texts(t["partners"])},"places":{_texts(t["places"])},'
        f'"remit":{_texts(t["remit"])},"seats":{_seats(sorted(seats.items()))},'
        f'"title":{_s(t["title"])},"version":{_int(t["version"])}}}'
    )


def _decision_data(data: object) -> str:
    d = shaped(data, "decision")
    delegation, target, source = d["delegation"], d["target"], shaped(d["source"], "source")
    if delegation is not None:
        g = shaped(delegation, "delegation")
        delegation = (
            f'{{"end":{_os(g["end"])},"kinds":{_texts(g["kinds"])},'
            f'"start":{_s(g["start"])},"to":{_s(g["to"])}}}'
        )
    if target is not None:
        g = shaped(target, "target")
        target = f'{{"by":{_s(g["by"])},"state":{_s(g["state"])}}}'
    return (
        f'{{"actor":{_s(d["actor"])},"alternatives_rejected":{_texts(d["alternatives_rejected"])},'
        f'"body":{_s(d["body"])},"conflicts_declared":{_texts(d["conflicts_declared"])},'
        f'"decided":{_s(d["decided"])},"delegation":{delegation or "null"},'
        f'"dispensations":{_texts(d["dispensations"])},"id":{_s(d["id"])},'
        f'"kind":{_s(d["kind"])},"meeting":{_os(d["meeting"])},'
        f'"nominees":{_texts(d["nominees"])},"on_behalf_of":{_os(d["on_behalf_of"])},'
        f'"ratifies":{_texts(d["ratifies"])},"reasons":{_texts(d["reasons"])},'
        f'"recorded":{_os(d["recorded"])},'
        f'"source":{{"document":{_s(source["document"])},"locator":{_s(source["locator"])}}},'
        f'"supersedes":{_os(d["supersedes"])},"target":{target or "null"},'
        f'"terms":{_terms_data(d["terms"])},"to":{_os(d["to"])},"trigger":{_os(d["trigger"])}}}'
    )


def _verdicts_data(verdicts: object) -> str:
    if type(verdicts) is not list:
        raise TypeError(verdicts)
    if not verdicts:
        return "[]"
    out = []
    for item in verdicts:
        v = shaped(item, "verdict")
        passed = v["passed"]
        if type(passed) is not bool or type(v["evidence"]) is not list:
            raise TypeError(v)
        reasons = []
        for each in v["reasons"]:
            r = shaped(each, "reason")
            params = r["params"]
            if type(params) is not dict:
                raise TypeError(params)
            reasons.append(
                f'{{"code":{_s(r["code"])},"message":{_s(r["message"])},"params":{_params(params)}}}'
            )
        out.append(
            f'{{"evidence":[{",".join(map(_int, v["evidence"]))}],"guard":{_s(v["guard"])},'
            f'"passed":{"true" if passed else "false"},"reasons":[{",".join(reasons)}]}}'
        )
    return "[" + ",".join(out) + "]"


def parts_from_data(data: object) -> tuple[str, str, str]:
    """The canonical text of an entry read as plain data: ``(head, tail, stated hash)``.

    Raises:
        KeyError, TypeError, ValueError: The data does not have an entry's shape.
    """
    e = shaped(data, "entry")
    m = shaped(e["mandate"], "mandate")
    head = (
        f'{{"after":{_s(e["after"])},"before":{_os(e["before"])},"body":{_s(e["body"])},'
        f'"decision":{_decision_data(e["decision"])}'
    )
    tail = (
        f'"mandate":{{"actor":{_s(m["actor"])},"delegated_by":{_os(m["delegated_by"])},'
        f'"organisation":{_s(m["organisation"])}}},"prev":{_s(e["prev"])},'
        f'"schema":{_int(e["schema"])},"seq":{_int(e["seq"])},'
        f'"terms_version":{_int(e["terms_version"])},"verdicts":{_verdicts_data(e["verdicts"])}}}'
    )
    return head, tail, e["hash"]


def full_text(head: str, tail: str, digest: str) -> str:
    """The stored text of an entry: its canonical text with ``hash`` in place."""
    return f'{head},"hash":{_s(digest)},{tail}'
