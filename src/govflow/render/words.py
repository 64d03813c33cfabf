"""How a decision, a date and a name read in a sentence ("The LGA agreed the Board.").

The words :mod:`govflow.render.story` tells a record in, and that a decision notice
(:mod:`govflow.render.records`) and the PROV labels use too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from govflow.model.decision import Decision, Delegation
from govflow.model.kind import Kind, Position
from govflow.model.terms import Terms
from govflow.model.when import When

#: What an actor did, by kind: "{actor} proposed the joint Board".
_ARTICLE_WORDS = frozenset(
    {"Board", "Executive", "Group", "Committee", "Council", "Association", "Panel", "Cabinet",
     "Authority", "Officer", "Secretary", "Commission", "Trust", "Partnership", "Forum",
     "Office", "Department", "Agency", "Service", "Assembly", "Directorate"}
)  # fmt: skip

_VERBS = {
    Kind.PROPOSE: "proposed {title}",
    Kind.AGREE: "agreed {title}",
    Kind.ENDORSE: "endorsed {title}",
    Kind.NOMINATE: "agreed nominations to {title}",
    Kind.HOLD_MEETING: "held {meeting}",
    Kind.AGREE_BUDGET: "agreed a contribution to the budget",
    Kind.ESTABLISH: "agreed to establish {title}",
    Kind.REQUEST_RECONSIDERATION: "asked for the role and remit of {title} to be reconsidered",
    Kind.REAFFIRM: "reaffirmed {title}, unchanged",
    Kind.AMEND: "amended the terms (version {version})",
    Kind.END: "ended {title}",
    Kind.RESOLVE: "resolved",
    Kind.RATIFY: "ratified {ratifies}",
    Kind.DELEGATE: "delegated {powers} to {delegate}{period}",
    Kind.REVOKE: "revoked {supersedes}",
    Kind.RESCIND: "rescinded {supersedes}",
    Kind.RECOMMEND: "recommended to {to}: {text}",
    Kind.TARGET: "had hoped it would reach {state} {by}",
}


def named(name: str) -> str:
    """An authority's name as a sentence uses it: "the APCC", "the Finance Sub-committee"."""
    if name[:4].lower() == "the " or ", " in name:  # "The Housing Trust"; "Ms Patel, Officer"
        return name
    last = name.rsplit(maxsplit=1)[-1]
    part = last.rsplit("-", 1)[-1].capitalize()  # "Sub-committee" ends as a "Committee"
    if (last.isupper() and len(last) > 1) or part in _ARTICLE_WORDS:  # "the LGA", not "the A"
        return f"the {name}"
    return name


#: The last words of a meeting's name that name it as a meeting already.
_MEETINGS = frozenset({"meeting", "session", "conference", "event", "assembly", "summit",
                       "forum", "agm", "hearing", "sitting", "workshop"})  # fmt: skip


def meeting(name: str) -> str:
    """A meeting's name as a sentence uses it: "the shadow meeting", "the inaugural meeting"."""
    words = {word.strip(".,;:()").lower() for word in name.split()}
    return f"the {name}" if words & _MEETINGS else f"the {name} meeting"


def upper_first(text: str) -> str:
    """``text`` with its first letter a capital: a sentence's start."""
    return text[:1].upper() + text[1:]


def entry_count(count: int) -> str:
    """A number of log entries in words: "1 entry", "26 entries"."""
    return f"{count} entry" if count == 1 else f"{count} entries"


def day(date: dt.date) -> str:
    """A day as an officer writes it: "13 February 2013"."""
    return f"{date.day} {date:%B} {date.year}"


def when(date: When) -> str:
    """A date as precisely as it is known: "September 2012", "some day between ... and ..."."""
    precision = date.precision
    if precision == "day":
        return day(date.earliest)
    if precision == "month":
        return f"{date.earliest:%B} {date.earliest.year}"
    if precision == "year":
        return str(date.earliest.year)
    return f"some day between {day(date.earliest)} and {day(date.latest)}"


def at(date: When) -> str:
    """A date after a verb: "on 13 February 2013", "in April 2013", "some day between ..."."""
    precision = date.precision
    said = when(date)
    return said if precision == "span" else f"{'on' if precision == 'day' else 'in'} {said}"


def titled(terms: Terms | None) -> str:
    """The body as a sentence names it: "the Strategic Partnership Board", or "the body"."""
    return "the body" if terms is None else f"the {terms.title}"


def sentence(decision: Decision, terms: Terms | None = None) -> str:
    """What ``decision`` records, as a sentence (a note: its text)."""
    if decision.kind is Kind.NOTE:
        return decision.reasons[0]
    template = _VERBS.get(decision.kind)  # type: ignore[call-overload]
    target, delegation = decision.target, decision.delegation
    fields = {
        "title": titled(decision.terms or terms),
        "meeting": meeting(decision.meeting) if decision.meeting else "",
        "version": decision.terms.version if decision.terms else "",
        "to": named(decision.to) if decision.to else "",
        "delegate": named(delegation.to) if delegation else "",
        "state": target.state if target else "",
        "by": at(target.by) if target else "",
        "text": lower_first(decision.reasons[0].rstrip(".")) if decision.reasons else "",
        "supersedes": f"decision {decision.supersedes}" if decision.supersedes else "a decision",
        "ratifies": _ids("resolution", decision.ratifies) or "earlier resolutions",
        "powers": _powers(delegation),
        "period": _period(delegation),
    }
    done = (
        template.format(**fields)
        if template is not None
        else f"decided: {decision.kind.value.replace('_', ' ')}"
    )
    # "on behalf of", not "for": "voting for, for Prof Ada" read as a vote for her.
    behalf = f", on behalf of {named(decision.on_behalf_of)}" if decision.on_behalf_of else ""
    if decision.supersedes is not None and decision.kind not in (Kind.RESCIND, Kind.REVOKE):
        behalf += f", correcting decision {decision.supersedes}"
    return upper_first(f"{named(decision.actor)} {done}{_stance(decision)}{behalf}.")


def _joined(items: Sequence[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def _ids(what: str, ids: Sequence[str]) -> str:
    """Decisions by id as a sentence names them: "resolutions r1 and r2"."""
    return f"{what}{'s' if len(ids) > 1 else ''} {_joined(ids)}" if ids else ""


def _powers(delegation: Delegation | None) -> str:
    """The kinds a delegation passes on, as words: "powers to agree and nominate"."""
    if delegation is None:
        return "powers"
    kinds = [k.value.replace("_", " ") for k in delegation.kinds]
    return "powers to " + " and ".join(
        [", ".join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds
    )


def _period(delegation: Delegation | None) -> str:
    """When a delegation is in force: " from 1 May 2013 to 30 April 2014"."""
    if delegation is None:
        return ""
    until = f" to {day(delegation.end)}" if delegation.end is not None else ""
    return f" from {day(delegation.start)}{until}"


#: How a decision's position reads after what it decided.
_STANCES = {Position.FOR: ", voting for", Position.AGAINST: ", voting against"}


def _stance(decision: Decision) -> str:
    """What a decision's vote or nominees add to its sentence: ", voting against"."""
    vote = "" if decision.position is None else _STANCES.get(decision.position, ", abstaining")
    names = decision.nominees
    return vote + (f", nominating {_joined(names)}" if names else "")


def lower_first(text: str) -> str:
    """``text`` with its first letter small: within a sentence."""
    return text[:1].lower() + text[1:]
