"""govflow: lifecycles of governance bodies, with guards that give reasons and a verifiable log.

Define a :class:`Lifecycle` with guards from :mod:`govflow.guards` (or take
``govflow.scenarios.partnership_lifecycle``), hold bodies in a :class:`Registry`,
apply :class:`Decision` records to them, ask :meth:`Registry.explain` what can happen
next, and :func:`verify` and :func:`replay` the :class:`AuditLog`.

The packages show the design: ``govflow.model`` holds the records, ``govflow.guards``
the guards, ``govflow.rules`` the lifecycle and the pure step of deciding,
``govflow.log`` the entries, their canonical form, verification and replay; the
registry joins them. ``govflow.stores``, ``govflow.render``, ``govflow.cli``,
``govflow.scenarios`` and ``govflow.testing`` are the edge, which imports the core.
"""

from govflow.errors import (
    AppendConflict,
    BadStoreURL,
    BodyExists,
    DecisionRefused,
    DuplicateDecision,
    GovflowError,
    GuardError,
    GuardFailed,
    InvalidRecord,
    LifecycleError,
    LifecycleMismatch,
    LogError,
    NoSuchBody,
    NotALog,
    NotAuthorised,
    OutOfOrder,
    ReplayMismatch,
    StaleTerms,
    TamperedLog,
    TornLog,
    TriggerNotAllowed,
    UnknownBody,
    UnknownDecision,
)
from govflow.events import EventLogger
from govflow.guards.protocol import Guard
from govflow.log.as_of import body_as_of
from govflow.log.checkpoint import Checkpoint
from govflow.log.entry import Entry
from govflow.log.memory import AuditLog, Log
from govflow.log.problem import Problem, Verification
from govflow.log.replay import replay
from govflow.log.verify import verify
from govflow.model.authority import Authority, Mandate
from govflow.model.body import Body, Fact
from govflow.model.decision import Decision, Delegation, Source, Target
from govflow.model.kind import DecisionKind, Kind, Position
from govflow.model.terms import Terms
from govflow.model.verdict import Reason, Verdict
from govflow.model.when import When
from govflow.queries import Overdue, Waiting
from govflow.registry import Registry
from govflow.rules.explain import Explanation, Option
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import PREVIOUS, State, Transition

__version__ = "0.2.0.dev0"

__all__ = [
    "PREVIOUS",
    "AppendConflict",
    "AuditLog",
    "Authority",
    "BadStoreURL",
    "Body",
    "BodyExists",
    "Checkpoint",
    "Decision",
    "DecisionKind",
    "DecisionRefused",
    "Delegation",
    "DuplicateDecision",
    "Entry",
    "EventLogger",
    "Explanation",
    "Fact",
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
    "Overdue",
    "Position",
    "Problem",
    "Reason",
    "Registry",
    "ReplayMismatch",
    "Source",
    "StaleTerms",
    "State",
    "TamperedLog",
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
    "body_as_of",
    "replay",
    "verify",
]
