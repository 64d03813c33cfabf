"""govflow: lifecycles of governance bodies, with guards that give reasons and a verifiable log.

Define a :class:`Lifecycle` (or take :func:`partnership_lifecycle`), hold bodies
in a :class:`Registry`, apply :class:`Decision` records to them, ask
:meth:`Registry.explain` what can happen next, and :func:`verify` and
:func:`replay` the :class:`AuditLog`.
"""

import importlib as _importlib
import typing as _typing

from govflow._authority import Authority, Mandate
from govflow._body import Body
from govflow._decide import Outcome, decide, explain
from govflow._decision import BINDING, Decision, Delegation, Kind, Source, Target
from govflow._entry import SCHEMA_VERSION, Entry, entry_to_dict
from govflow._errors import (
    AppendConflict,
    BadStoreURL,
    GovflowError,
    GuardError,
    InvalidRecord,
    LifecycleError,
    LifecycleMismatch,
    LogError,
    NoSuchBody,
    NotALog,
    ReplayMismatch,
    TornLog,
)
from govflow._explain import Explanation, Option
from govflow._facts import Fact, Facts
from govflow._guards import Guard
from govflow._lifecycle import Lifecycle, State, Transition
from govflow._log import AuditLog, Log
from govflow._refusals import (
    BodyExists,
    DecisionRefused,
    DuplicateDecision,
    GuardFailed,
    NotAuthorised,
    OutOfOrder,
    StaleTerms,
    TriggerNotAllowed,
    UnknownBody,
    UnknownDecision,
)
from govflow._registry import EventLogger, Registry
from govflow._terms import Terms
from govflow._verdict import Reason, Verdict
from govflow._when import When

if _typing.TYPE_CHECKING:
    from govflow._checkpoint import Checkpoint
    from govflow._conditions import came_from, meeting_held, not_before, ratified
    from govflow._partnership import SHADOW_MEETING, partnership_lifecycle
    from govflow._queries import Overdue, Waiting
    from govflow._reading import entry_from_dict
    from govflow._replay import body_as_of, replay
    from govflow._tallies import (
        any_partner,
        budget_agreed,
        decided_by,
        every_partner,
        nominations_from_every_partner,
    )
    from govflow._verify import Problem, Verification, verify

__version__ = "0.1.0"

# Loaded on first use: what a registry does not need to apply decisions.
_LAZY = {
    "Checkpoint": "govflow._checkpoint",
    "any_partner": "govflow._tallies",
    "budget_agreed": "govflow._tallies",
    "decided_by": "govflow._tallies",
    "every_partner": "govflow._tallies",
    "nominations_from_every_partner": "govflow._tallies",
    "came_from": "govflow._conditions",
    "meeting_held": "govflow._conditions",
    "not_before": "govflow._conditions",
    "ratified": "govflow._conditions",
    "SHADOW_MEETING": "govflow._partnership",
    "partnership_lifecycle": "govflow._partnership",
    "Overdue": "govflow._queries",
    "Waiting": "govflow._queries",
    "entry_from_dict": "govflow._reading",
    "body_as_of": "govflow._replay",
    "replay": "govflow._replay",
    "Problem": "govflow._verify",
    "Verification": "govflow._verify",
    "verify": "govflow._verify",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govflow' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "BINDING",
    "SCHEMA_VERSION",
    "SHADOW_MEETING",
    "AppendConflict",
    "AuditLog",
    "Authority",
    "BadStoreURL",
    "Body",
    "BodyExists",
    "Checkpoint",
    "Decision",
    "DecisionRefused",
    "Delegation",
    "DuplicateDecision",
    "Entry",
    "EventLogger",
    "Explanation",
    "Fact",
    "Facts",
    "GovflowError",
    "Guard",
    "GuardError",
    "GuardFailed",
    "InvalidRecord",
    "Kind",
    "Lifecycle",
    "LifecycleError",
    "LifecycleMismatch",
    "Log",
    "LogError",
    "Mandate",
    "NoSuchBody",
    "NotALog",
    "NotAuthorised",
    "Option",
    "OutOfOrder",
    "Outcome",
    "Overdue",
    "Problem",
    "Reason",
    "Registry",
    "ReplayMismatch",
    "Source",
    "StaleTerms",
    "State",
    "Target",
    "Terms",
    "TornLog",
    "Transition",
    "TriggerNotAllowed",
    "UnknownBody",
    "UnknownDecision",
    "Verdict",
    "Verification",
    "Waiting",
    "When",
    "any_partner",
    "body_as_of",
    "budget_agreed",
    "came_from",
    "decide",
    "decided_by",
    "entry_from_dict",
    "entry_to_dict",
    "every_partner",
    "explain",
    "meeting_held",
    "nominations_from_every_partner",
    "not_before",
    "partnership_lifecycle",
    "ratified",
    "replay",
    "verify",
]
