"""Guards: named, pure predicates over a body's facts and a decision's date.

A guard is any callable ``guard(body, on) -> Verdict | bool``. The built-ins below
return a :class:`~govflow.Verdict` with every unmet reason and the log entries that
satisfied them; a plain function returning a bool is a guard too, and its failure
reason is its name. Use them as ``attrs.validators`` are used::

    from govflow import guards

    Transition("adopt", "proposed", "adopted", guards=[guards.decided_by("agree", ["Cabinet"])])
"""

from govflow.guards.conditions import (
    CameFrom,
    MeetingHeld,
    NotAfter,
    NotBefore,
    Ratified,
    came_from,
    meeting_held,
    not_after,
    not_before,
    ratified,
)
from govflow.guards.counting import (
    DecidedBy,
    Nominations,
    any_partner,
    budget_agreed,
    decided_by,
    every_partner,
    nominations_from_every_partner,
)
from govflow.guards.dates import Decided, Entered, Param, decided, entered, param
from govflow.guards.protocol import Guard, Named, describe_guard, guard_name, named
from govflow.guards.votes import Votes, votes
from govflow.guards.windows import Window, within

__all__ = [
    "CameFrom",
    "Decided",
    "DecidedBy",
    "Entered",
    "Guard",
    "MeetingHeld",
    "Named",
    "Nominations",
    "NotAfter",
    "NotBefore",
    "Param",
    "Ratified",
    "Votes",
    "Window",
    "any_partner",
    "budget_agreed",
    "came_from",
    "decided",
    "decided_by",
    "describe_guard",
    "entered",
    "every_partner",
    "guard_name",
    "meeting_held",
    "named",
    "nominations_from_every_partner",
    "not_after",
    "not_before",
    "param",
    "ratified",
    "votes",
    "within",
]
