"""Advice: what to do about the reasons a guard gave, a sentence for each kind of reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from govflow.model.terms import nearest

if TYPE_CHECKING:
    from govflow.model.authority import Authority
    from govflow.model.verdict import Reason


def _listed(value: object) -> str:
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def _more(params: Mapping[str, object]) -> str:
    """The words "at least 2 more of: ", when not every voter named is needed."""
    more = params.get("at_least_more")
    return f"at least {more} more of: " if isinstance(more, int) else ""


#: What to do about each kind of unmet reason, from its parameters.
_ADVICE: dict[str, Callable[[Mapping[str, object]], str]] = {
    "awaiting_decisions": lambda p: _closed(
        p, f"Record the decisions of {_listed(p.get('missing', ''))} first"
    ),
    "awaiting_nominations": lambda p: _closed(
        p, f"Record nominations from {_listed(p.get('missing', ''))} first"
    ),
    "awaiting_votes": lambda p: _closed(
        p,
        (
            "No votes can meet it: it counts more votes than there are voters. Amend the "
            "terms (their partners, or the parameter it reads), or define the rule again"
            if p.get("by_any_votes") == "no"
            else f"Record the votes of {_more(p)}{_listed(p.get('not_voted', ''))} first"
            if p.get("not_voted") and p.get("by_new_votes") != "no"
            else "The votes still to come cannot meet it: it passes only if a vote is changed"
            if p.get("not_voted")
            else "Every voter has voted: it passes only if a vote is changed"
        ),
    ),
    "awaiting_meeting": lambda p: f"Record the meeting {p.get('meeting', '')!s} as held first",
    "unratified": lambda p: f"Ratify {_listed(p.get('decisions', ''))} first",
    "too_early": lambda p: f"A decision dated on or after {p.get('not_before', '')!s} can take it",
    "too_late": lambda p: (
        f"Its time ran out on {p.get('not_after', '')!s}: no decision dated later can take it"
    ),
    "date_unknown": lambda p: "It counts from a date the body does not have yet",
    "parameter_missing": lambda p: (
        f"Give the body's terms the parameter {p.get('parameter', '')!s}"
        + (f" ({p['wanted']!s})" if p.get("wanted") else "")
        + " by amending them"
    ),
    "date_out_of_range": lambda p: "No decision can meet it: its day is past the calendar's end",
    "came_from_elsewhere": lambda p: (
        f"Only a body that came from {p.get('expected', '')!s} can take it"
    ),
}


#: The parameter each sentence above is made from: a guard of your own may give a reason
#: one of these codes without it (or empty), and is then advised as a reason of its own
#: code is.
_MADE_FROM = {
    "awaiting_decisions": "missing",
    "awaiting_nominations": "missing",
    "awaiting_meeting": "meeting",
    "unratified": "decisions",
    "too_early": "not_before",
    "too_late": "not_after",
    "parameter_missing": "parameter",
    "came_from_elsewhere": "expected",
}


def unspoken(partners: Iterable[object], authorities: Mapping[str, Authority]) -> tuple[str, ...]:
    """The ``partners`` no declared authority decides for, as its name or its organisation."""
    known = {*authorities, *(a.organisation for a in authorities.values())}
    return tuple(p for p in partners if isinstance(p, str) and p not in known)


def _unspoken(missing: object, authorities: Mapping[str, Authority]) -> str:
    """For the awaited partners no declared authority decides for: that none can."""
    nobody = unspoken(missing, authorities) if isinstance(missing, tuple) else ()
    if not nobody:
        return ""
    known = {*authorities, *(a.organisation for a in authorities.values())}
    # Only a near miss: "South" is not "North" misspelt, though they share four letters.
    near = [f"{n!r} for {m!r}" for m in nobody if (n := nearest(m, known, 0.8)) is not None]
    meant = f"; did you mean {', '.join(near)}?" if near else ""
    return (
        f" (no declared authority decides for {', '.join(nobody)}: name each partner as "
        f"its authorities' organisation is named{meant})"
    )


def _closed(params: Mapping[str, object], then: str) -> str:
    """``then``, what to do; from when its window opens; or, closed, that nothing now counts."""
    if params.get("opens"):
        return f"{then}, taken on or after {params['opens']!s}, when its window opens"
    return then if not params.get("closed") else (
        "No decision taken now counts toward it, unless its window opens again (one that "
        "runs from entering a state does when the body enters it again)"
    )  # fmt: skip


def advice(reasons: Sequence[Reason], authorities: Mapping[str, Authority] | None = None) -> str:
    """What to do about ``reasons``: a sentence for each kind of reason, in their order.

    A missing decision names who must decide, a date says when the guard will pass
    (or that its time has run out), a meeting names itself. Given the lifecycle's
    declared ``authorities``, a partner none of them decides for is named as such.
    """
    said: list[str] = []
    for reason in reasons:
        params = dict(reason.params)
        make = _ADVICE.get(reason.code)
        if reason.code in _MADE_FROM and params.get(_MADE_FROM[reason.code]) in (None, "", ()):
            make = None
        sentence = make(params) if make is not None else "Meet its conditions first"
        if authorities is not None and reason.code == "awaiting_decisions":
            sentence += _unspoken(params.get("missing"), authorities)
        if sentence + "." not in said:
            said.append(sentence + ".")
    final = ("too_late", "date_out_of_range")
    if any(r.code not in final and not dict(r.params).get("closed") for r in reasons):
        said.append("Then ask for the trigger again.")
    return " ".join(said)
