"""Every exception govflow raises, under one base class.

The hierarchy::

    GovflowError
    ├── LifecycleError            a lifecycle definition is invalid (lists every problem)
    ├── DefinitionError           a definition or scenario file is invalid (line, path, words)
    ├── ProofError                a Merkle proof does not prove it (govflow.log.merkle)
    ├── InvalidRecord             a record has a field of the wrong type or value (also ValueError)
    ├── GuardError                a guard raised, or returned no bool or Verdict (also TypeError)
    ├── DecisionRefused           a decision was refused; nothing was changed
    │   ├── UnknownBody           the decision names a body nobody proposed
    │   ├── BodyExists            a proposal names a body that already exists
    │   ├── NotAuthorised         the actor lacks the power, or speaks for another unbidden
    │   ├── StaleTerms            an amendment does not follow the body's current terms version
    │   ├── TriggerNotAllowed     the trigger does not leave the body's current state
    │   ├── NotAccepted           the body's state does not accept decisions of that kind
    │   ├── GuardFailed           one or more guards of the transition failed
    │   ├── OutOfOrder            the decision is dated before the body's last decision
    │   ├── DuplicateDecision     the id was already used for a different decision
    │   ├── UnknownDecision       the decision supersedes an entry that cannot be superseded
    │   └── UnknownState          a target names a state the body's lifecycle does not have
    ├── NoSuchBody                a body was asked for by an id nobody proposed (also LookupError)
    ├── BadStoreURL               a store URL names no store govflow knows (also ValueError)
    ├── MissingExtra              an optional feature's package is not installed (also ImportError)
    ├── NoRenderer                a diagram's renderer (Graphviz's dot) is missing or failed
    ├── NoteError                 a note or key is malformed, or a signature fails (also ValueError)
    ├── WitnessRefused            a witness will not co-sign a checkpoint, or too few signed
    └── LogError                  an audit log cannot be read back as written
        ├── AppendConflict        an entry does not follow the log's head (a stale writer)
        ├── NotALog               a store holds no govflow log, or cannot be opened
        ├── TornLog               a JSON Lines log ends in a torn line, to repair explicitly
        ├── LifecycleMismatch     the log was written under another lifecycle
        ├── ReplayMismatch        recomputing an entry gave another result than recorded
        ├── TamperedLog           a log does not verify: an entry altered, dropped, ...
        ├── ReadOnlyStore         an append to a store opened read-only
        └── StoreFailed           a store's database failed or could not be reached (locked, lost)
            └── StoreClosed       the store was closed (``close()``) before it was used

Each error keeps its structured arguments as attributes and builds its message
from them, so programs read the attributes and people read the message.

Two more are never raised to a caller: :class:`Unreadable`, an input the command line
cannot read (it exits 2 with the message), and :class:`UnreadableValue`, a value of a
definition file a guard's argument cannot be read from (told as a ``DefinitionError``).
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from govflow.model.decision import Decision
    from govflow.model.kind import DecisionKind
    from govflow.model.verdict import Reason
    from govflow.rules.explain import Explanation


class GovflowError(Exception):
    """Base class of every error govflow raises."""


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 3, 80, 80, 40


def quoted(value: object) -> str:
    """A text as a message names it (a URL, an id): whole, up to 1,000 characters."""
    return repr(value) if isinstance(value, str) and len(value) <= 1000 else shown(value)  # noqa: PLR2004


def shown(value: object) -> str:
    """``repr(value)`` cut short: a message shows a 5 MB text or a deep list in one line."""
    try:
        return _SHORT.repr(value)
    except Exception:  # noqa: BLE001 - a value's own __repr__ may raise anything
        return f"<{type(value).__name__}>"


#: What an argument check's error advises (a record's says to create the record again).
ARGUMENT = "pass the argument it expects"


def require(ok: bool, record: str, field: str, expected: str, received: object) -> None:  # noqa: FBT001
    """Raise :class:`InvalidRecord` unless ``ok``: a public function's argument check."""
    if not ok:
        raise InvalidRecord(record, field, expected, received, ARGUMENT)


class LifecycleError(GovflowError):
    """A lifecycle definition is invalid.

    Attributes:
        problems: One sentence per problem found, each naming the offending item.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"The lifecycle is invalid ({count} {noun}); fix each one and build it again:\n"
            f"{listing}"
        )


class Problem(NamedTuple):
    """One problem in a definition file: its file, line (from 1), key path, and what is wrong."""

    file: str
    line: int | None
    path: tuple[str | int, ...]
    message: str

    def __str__(self) -> str:
        where = "".join(  # a key of control characters shown as Python writes it
            f"[{p}]" if isinstance(p, int) else f".{p}" if p.isprintable() else f"[{p!r}]"
            for p in self.path
        )
        at = f"{self.file}:{self.line}" if self.line else self.file
        return f"{at}: {where.lstrip('.') or '(the file)'}: {self.message}"


class DefinitionError(GovflowError):
    """A definition or scenario file is invalid; ``problems`` lists every :class:`Problem` found.

    ``what`` names the kind of file in the message: ``"definition"`` or ``"scenario"``.
    """

    def __init__(self, problems: Sequence[Problem], *, what: str = "definition") -> None:
        self.problems = tuple(problems)
        self.what = what
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"The {what} is invalid ({len(self.problems)}):\n{listing}")


class InvalidRecord(GovflowError, ValueError):
    """A record was given a field value of the wrong type or form.

    Attributes:
        record: The record type, such as ``"Decision"``.
        field: The field name; in brackets, a part that is no field: ``(text)``, or
            ``(record)`` for the record whole (the message says "Entry #2's text").
        expected: What the field accepts, in words.
        received: The value that was given.
        fault: The message without its advice, for one that says what to do otherwise.
        advice: What to do about it; by default, to correct the field and create the
            record again, or, for a function's argument (a name in lower case), to call
            it again (data read back from a log gets advice about the log).
    """

    def __init__(
        self, record: str, field: str, expected: str, received: object, advice: str = ""
    ) -> None:
        self.record = record
        self.field = field
        self.expected = expected
        self.received = received
        last = record.rsplit(".", 1)[-1]  # a function's name ("open_store"), not a noun's
        called = last.isidentifier() and last[:1].islower()
        again = f"correct the argument and call {record} again" if called else ""
        advice = advice or again or f"correct the field and create the {record} again"
        part = field[1:-1] if field[:1] + field[-1:] == "()" else None
        named = (
            record if part == "record" else f"{record}'s {part}" if part else f"{record}.{field}"
        )
        self.fault = f"{named} must be {expected}, but {shown(received)} was given"
        super().__init__(f"{self.fault}; {advice}.")


class GuardError(GovflowError, TypeError):
    """A guard raised, or returned something other than a bool or a Verdict.

    Raised for the transition the guard belongs to when a decision asks for it (the
    guard's own exception is the ``__cause__``). Elsewhere (:meth:`govflow.Registry.explain`,
    ``waiting_on``, other transitions' refusals) the guard's verdict is a failure with
    the reason ``guard_error``, and the rest carries on.

    Also for a verdict citing as evidence an entry after the body's latest fact.

    Attributes:
        guard: The guard's name.
        returned: What it returned (``None`` when it raised).
        raised: The exception it raised, if it did.
        latest: The body's latest fact's seq, for a verdict citing a later entry.
    """

    def __init__(
        self, guard: str, returned: object = None, raised: BaseException | None = None, *,
        latest: int | None = None,
    ) -> None:  # fmt: skip
        self.guard, self.returned, self.raised, self.latest = guard, returned, raised, latest
        if latest is not None:
            message = (
                f"Guard {guard!r} cites entry {max(getattr(returned, 'evidence', (0,)))} as "
                f"evidence, after the body's latest fact (entry {latest}); a verdict's "
                "evidence names entries of the body's facts. Fix the guard."
            )
        elif raised is not None:
            try:
                said = str(raised)
            except Exception:  # noqa: BLE001 - an exception's own __str__ may fail too
                said = "(its message could not be read)"
            message = (
                f"Guard {guard!r} raised {type(raised).__name__}: {said}; a guard must "
                "return a bool or a Verdict for any body. Fix the guard."
            )
        else:
            message = (
                f"Guard {guard!r} returned {shown(returned)}; a guard must return a bool or a "
                "Verdict."
            )
        super().__init__(message)


class DecisionRefused(GovflowError):
    """A decision was refused; the body and the log are unchanged.

    Attributes:
        decision_id: The refused decision's id.
        body: The body the decision names.
        said: Why, in words: the message after the decision and body it names.
    """

    code = "refused"

    def __init__(self, decision_id: str, body: str, message: str) -> None:
        self.decision_id, self.body, self.said = decision_id, body, message
        super().__init__(f"Decision {decision_id!r} on body {body!r} was refused: {message}")


class UnknownBody(DecisionRefused):
    """The decision names a body that no accepted proposal created."""

    code = "unknown_body"

    def __init__(self, decision_id: str, body: str) -> None:
        super().__init__(
            decision_id,
            body,
            f"no body {body!r} exists; apply a 'propose' decision for it first.",
        )


class BodyExists(DecisionRefused):
    """A proposal names a body that already exists."""

    code = "body_exists"

    def __init__(self, decision_id: str, body: str) -> None:
        super().__init__(
            decision_id,
            body,
            f"body {body!r} already exists; a proposal creates a body only once.",
        )


class NotAuthorised(DecisionRefused):
    """The decision's actor may not take it.

    Attributes:
        actor: The authority that tried to decide.
        kind: The kind of decision (the kind it lacks, for a delegation).
        why: ``"unknown"`` (not a declared authority), ``"power"`` (it lacks the power
            and no delegation in force gives it), ``"behalf"`` (it speaks for another
            organisation without that organisation's delegation), ``"unknown delegate"``,
            ``"power to delegate"`` or ``"revoke"`` (only the delegator may revoke).
        organisation: The organisation it claimed to speak for, if any.
        missing: The missing power, in words.
        lapsed: The delegations to the actor for this kind whose dates do not cover the
            decision, each as "delegator, start to end".
        near: For an unknown actor or delegate, the authority it may have meant (or None).
    """

    code = "not_authorised"

    def __init__(
        self, decision: Decision, why: str, kind: DecisionKind | None = None, *,
        lapsed: tuple[str, ...] = (), near: str | None = None,
    ) -> None:  # fmt: skip
        self.actor, meant = decision.actor, "" if near is None else f" (did you mean {near!r}?)"
        self.lapsed = lapsed
        self.kind = decision.kind if kind is None else kind
        self.why, self.near = why, near
        self.organisation = decision.on_behalf_of
        kind_said = f"{article(self.kind.value)} {self.kind.value!r} decision"
        self.missing = f"{kind_said} for body {decision.body!r}"
        delegate = decision.delegation.to if decision.delegation else ""
        detail = {
            "unknown": f"{self.actor!r} is not a declared authority{meant}; declare it with "
            "its powers",
            "behalf": f"{self.actor!r} may not decide on behalf of {self.organisation!r}: an "
            f"authority speaks only for itself unless {self.organisation!r} delegated it the power",
            "unknown delegate": f"{delegate!r} is not a declared authority{meant}",
            "revoke": f"only the authority that delegated may revoke it, not {self.actor!r}",
        }.get(
            why,
            f"{self.actor!r} lacks the power to take {self.missing}"
            f"{'' if why == 'power' else f' ({why})'}, and no delegation in force gives it "
            f"(give its Authority {self.kind.value!r} in may, for this body if it names "
            "bodies, or have an authority that holds it delegate it)",
        )
        if lapsed:
            windows = "; ".join(lapsed)
            detail += (
                f" (a delegation to it does not cover a decision dated {decision.decided.iso}: "
                f"from {windows})"
            )
        super().__init__(decision.id, decision.body, f"{detail}.")


class StaleTerms(DecisionRefused):
    """An amendment's terms version does not follow the body's current one.

    Attributes:
        current: The body's current terms version.
        given: The version the amendment carries.
    """

    code = "stale_terms"

    def __init__(self, decision_id: str, body: str, current: int, given: int) -> None:
        self.current, self.given = current, given
        super().__init__(
            decision_id,
            body,
            f"it amends the terms to version {given}, but the body is on version {current}; "
            f"an amendment must carry version {current + 1}.",
        )


class TriggerNotAllowed(DecisionRefused):
    """The requested trigger does not lead anywhere from the body's current state.

    Attributes:
        trigger: The trigger that was asked for.
        state: The body's current state.
        allowed: The triggers that do leave that state.
    """

    code = "trigger_not_allowed"

    def __init__(
        self, decision_id: str, body: str, trigger: str, state: str, allowed: Sequence[str]
    ) -> None:
        self.trigger, self.state = trigger, state
        self.allowed = tuple(allowed)
        choices = ", ".join(repr(t) for t in self.allowed) if self.allowed else "none"
        super().__init__(
            decision_id,
            body,
            f"trigger {trigger!r} is not allowed from state {state!r}; "
            f"the triggers from {state!r} are: {choices}.",
        )


class GuardFailed(DecisionRefused):
    """One or more guards of the requested transition failed.

    Attributes:
        trigger: The trigger that was asked for.
        reasons: Every unmet reason, from every failed guard.
        explanation: The full explanation of the body at the decision's date, with the
            decision taken into account; equal to what ``explain`` answers.

    ``advice`` ends the message: what to do about these reasons (who may decide what,
    from the lifecycle's authorities).
    """

    code = "guard_failed"

    def __init__(
        self, decision_id: str, body: str, trigger: str, reasons: Sequence[Reason],
        explanation: Explanation, *,
        advice: str = "Meet its conditions first. Then ask for the trigger again.",
    ) -> None:  # fmt: skip
        self.trigger = trigger
        self.reasons = tuple(reasons)
        self.explanation = explanation
        why = "; ".join(reason.message for reason in self.reasons)
        super().__init__(
            decision_id,
            body,
            f"the guards of {trigger!r} did not pass: {why}. Nothing was recorded, not even "
            f"this decision (to record it alone, give it without its trigger). {advice}",
        )


class OutOfOrder(DecisionRefused):
    """The decision is dated certainly before a decision already applied to the body.

    Attributes:
        decided: The refused decision's date, as ISO 8601 text.
        floor: The earliest date a new decision on this body may end on.
    """

    code = "out_of_order"

    def __init__(self, decision_id: str, body: str, decided: str, floor: str) -> None:
        self.decided, self.floor = decided, floor
        super().__init__(
            decision_id,
            body,
            f"it is dated {decided}, before {floor}, the date of a decision already applied "
            "to this body; decisions are applied in the order they were taken.",
        )


class NotAccepted(DecisionRefused):
    """The body's current state does not accept decisions of this kind.

    Attributes:
        state: The body's state.
        kind: The decision's kind (its value).
        accepted: The kinds the state accepts (their values); a final state accepts
            none, only corrections. Empty with ``declared`` false too.
        declared: Whether the lifecycle knows the kind at all.
    """

    code = "not_accepted"

    def __init__(  # noqa: PLR0917 - the decision, and what its body's state accepts
        self, decision_id: str, body: str, state: str, kind: str, accepted: Sequence[str],
        declared: bool,  # noqa: FBT001
    ) -> None:  # fmt: skip
        self.state, self.kind, self.accepted, self.declared = state, kind, tuple(accepted), declared
        if not declared:
            detail = (
                f"kind {kind!r} is not one its lifecycle knows; declare it with "
                "Lifecycle(kinds=...)"
            )
        else:
            takes = (
                ", ".join(self.accepted)
                or "only corrections (decisions naming what they supersede)"
            )
            what = f"{article(kind)} {kind!r} decision"
            detail = f"state {state!r} does not accept {what}; it accepts: {takes}"
        super().__init__(decision_id, body, detail + ".")


class DuplicateDecision(DecisionRefused):
    """The decision id was already used for a different decision."""

    code = "duplicate_id"

    def __init__(self, decision_id: str, body: str) -> None:
        super().__init__(
            decision_id,
            body,
            "its id was already used for a different decision; give each decision its own id.",
        )


class UnknownDecision(DecisionRefused):
    """The decision names an entry that does not exist or that it cannot act on.

    It supersedes (corrects, rescinds or revokes) or ratifies a decision that no entry
    on the body holds, or one of a kind it cannot supersede or ratify.

    Attributes:
        target: The id of the decision that was to be superseded or ratified.
    """

    code = "unknown_target"

    def __init__(
        self, decision_id: str, body: str, target: str, why: str, *, verb: str = ""
    ) -> None:
        self.target = target  # verb: "ratifies", of a ratification
        super().__init__(decision_id, body, f"it {verb or 'supersedes'} {target!r}, but {why}.")


class UnknownState(DecisionRefused):
    """A target (``Kind.TARGET``) names a state the body's lifecycle does not have.

    Attributes:
        state: The state it names.
        states: The lifecycle's states.
    """

    code = "unknown_state"

    def __init__(self, decision_id: str, body: str, state: str, states: Sequence[str]) -> None:
        self.state, self.states = state, tuple(states)
        said = ", ".join(map(repr, self.states))
        super().__init__(decision_id, body, f"it targets {state!r}, not a state of: {said}.")


class NoSuchBody(GovflowError, LookupError):
    """A body was asked for by an id that no accepted proposal created.

    Attributes:
        body: The id asked for.
        held: The bodies the log asked of holds, when it was a log's entries (``None``:
            a registry's, which a proposal adds to).
    """

    def __init__(self, body: object, held: Sequence[str] | None = None) -> None:
        self.body, self.held = body, None if held is None else tuple(held)
        holds = ", ".join(map(quoted, (held or ())[:10])) + ", ..." * (len(held or ()) > 10)  # noqa: PLR2004
        said = f"is in the log; it holds {holds or 'none'}" if held is not None else "exists"
        advice = "" if held is not None else "; apply a 'propose' decision for it first"
        super().__init__(f"No body {quoted(body)} {said}{advice}.")


class LogError(GovflowError):
    """An audit log cannot be read back as it was written."""


class AppendConflict(LogError):
    """An entry was appended that does not follow the log's current head.

    Another writer appended first; reload the log and apply the decision again.

    Attributes:
        expected_seq: The sequence number the next entry must have.
        expected_prev: The hash the next entry must link to.
        seq: The sequence number the entry has.
        prev: The hash the entry links to.
    """

    def __init__(self, expected_seq: int, expected_prev: str, seq: int, prev: str) -> None:
        self.expected_seq = expected_seq
        self.expected_prev = expected_prev
        self.seq = seq
        self.prev = prev
        super().__init__(
            f"The entry (seq {seq}, prev {prev[:12]}…) does not follow the log's head "
            f"(next seq {expected_seq}, head {expected_prev[:12]}…); another writer appended "
            "first: reload the log and apply the decision again."
        )


class NotALog(LogError):
    """A store holds no govflow log, or cannot be read as one.

    Attributes:
        where: The store (a path or URL).
        why: What was found instead.
    """

    def __init__(self, where: str, why: str) -> None:
        self.where, self.why = where, why
        super().__init__(f"{where} is not a govflow log: {why}.")


class TornLog(LogError):
    """A JSON Lines log ends in a line with no newline: a write cut short, or its newline lost.

    The entries before it are intact. Nothing is dropped silently: repair the file
    (``JsonlStore.repair()``, ``govflow repair URL``) cuts the line, or ends a ``whole`` one.

    Attributes:
        path: The file.
        line: The torn line's number (the header is line 1).
        offset: The byte offset where the torn line starts.
        whole: Whether it lacks only its newline (the next entry, whole): repair ends it.
    """

    def __init__(self, path: str, line: int, offset: int, *, whole: bool = False) -> None:
        self.path, self.line, self.offset, self.whole = path, line, offset, whole
        super().__init__(
            f"{path} ends in line {line} (from byte {offset}) with no newline: it is the next "
            "entry whole. Repair the log to end the line."
            if whole
            else f"{path} ends in a torn line {line} (from byte {offset}): a write was cut "
            "short. The entries before it are intact; repair the log to cut the torn line."
        )


class ReadOnlyStore(LogError):
    """An append to a store opened read-only (``open_store(..., read_only=True)``).

    Attributes:
        where: The store (a path or URL).
    """

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(f"{where} was opened read-only; open it again to append.")


class StoreFailed(LogError):
    """A store's database could not do what was asked: it was locked, lost or refused.

    Nothing was appended: the append's transaction was rolled back.

    Attributes:
        where: The store (a path or URL).
        why: What the database said.
        remedy: What to do: try again, or give this process access.

    ``opening``: it failed as the store was opened (nothing could have been appended).
    """

    def __init__(
        self, where: str, why: str, remedy: str = "try again", *, opening: bool = False
    ) -> None:
        self.where, self.why, self.remedy = where, why, remedy
        super().__init__(
            f"The store {where} could not be opened: {why}; {remedy}."
            if opening
            else f"The store {where} failed: {why}. Nothing was appended; {remedy}."
        )


class StoreClosed(StoreFailed):
    """The store was closed (``close()``): open it again to read or append."""

    def __init__(self, where: str) -> None:
        self.where, self.why = where, "it was closed"
        LogError.__init__(self, f"The store {where} was closed (close()): open it again.")


def unsecret(url: str) -> str:
    """A URL as a message may show it: a password, in its user part or its query, as ``***``."""
    url = re.sub(r"//([^:@/?#]*):.*@", r"//\1:***@", url)  # to the last @: it may hold any
    return re.sub(r"(?i)([?&](?:ssl)?password=)[^&#]*", r"\1***", url)


class BadStoreURL(GovflowError, ValueError):
    """A store URL names no store govflow knows, or is malformed.

    Attributes:
        url: The URL given, any password in it shown as ``***``.
        why: The part at fault, in words ("" when the scheme is unknown).
    """

    def __init__(self, url: str, why: str = "") -> None:
        self.url, self.why = unsecret(url), why
        super().__init__(
            f"{quoted(self.url)} is not a store URL govflow knows{f': {why}' if why else ''}; use "
            "memory:, jsonl:///relative/log.jsonl, sqlite:////absolute/log.db or "
            "postgresql://user@host/db."
        )


class LifecycleMismatch(LogError):
    """The log was written under a lifecycle other than the one given to read it.

    Attributes:
        recorded: The fingerprint the log records.
        given: The fingerprint of the lifecycle given.
    """

    def __init__(self, recorded: str, given: str, *, copying: bool = False) -> None:
        self.recorded, self.given = recorded, given
        copied = (  # two logs, neither read with a lifecycle
            f"The log copied is written under lifecycle {recorded[:12]}…, the log it is "
            f"copied into under {given[:12]}…: a copy goes into a log of the same lifecycle."
        )
        super().__init__(
            copied
            if copying
            else f"The log was written under lifecycle {recorded[:12]}…, but lifecycle "
            f"{given[:12]}… was given; read it with the lifecycle it was written under. A "
            "lifecycle changed since (a power added, a guard changed) is another: the "
            "decisions taken under it go in a new log. (A log of release 0.1 under "
            "plain-function guards: open the store without a fingerprint and give it to a "
            "Registry, which accepts each of Lifecycle.fingerprints.)"
        )


class ReplayMismatch(LogError):
    """Recomputing an entry from the lifecycle and its decision gave another result.

    Attributes:
        seq: The entry's sequence number.
        field: What differs: ``"before"``, ``"after"``, ``"terms_version"``, ``"verdicts"``,
            ``"mandate"``, ``"body"``, ``"decision.id"`` (a repeat) or ``"refused"``.
        recorded: What the entry records.
        recomputed: What replay computed.
    """

    def __init__(self, seq: int, field: str, recorded: object, recomputed: object) -> None:
        self.seq = seq
        self.field = field
        self.recorded = recorded
        self.recomputed = recomputed
        super().__init__(
            f"Entry {seq} records {field} = {recorded!r}, but replaying its decision gives "
            f"{recomputed!r}; the log does not follow from its decisions under this lifecycle."
        )


class TamperedLog(LogError):
    """A log given to a registry does not verify; the registry does not build on it.

    Attributes:
        seq: The first bad entry (its position).
        kind: What is wrong with it (``altered``, ``dropped``, ``truncated``, ...).
        why: The verification's sentence.
    """

    def __init__(self, seq: int, kind: str, why: str) -> None:
        self.seq, self.kind, self.why = seq, kind, why
        super().__init__(
            f"The log does not verify at entry {seq} ({kind}: {why}); restore it from a copy "
            "or another store, and check it against a checkpoint kept elsewhere."
        )


class ProofError(GovflowError):
    """A Merkle proof does not prove what it was asked to, or a tree lacks what was asked."""


class NoteError(GovflowError, ValueError):
    """A signed note or key is malformed, or a signature on it does not verify."""


class WitnessRefused(GovflowError):
    """A witness will not co-sign a checkpoint, or too few witnesses signed one."""


class NoRenderer(GovflowError):
    """The renderer a diagram's format needs is not installed, or failed; the message says."""


class MissingExtra(GovflowError, ImportError):
    """An optional feature needs a package that is not installed; the message names the extra.

    Attributes:
        feature: What was asked for, such as ``"to_dataframe()"``.
        package: The package it needs, such as ``"pandas"``.
        extra: The govflow extra that installs it, such as ``"dataframe"``.
    """

    def __init__(self, feature: str, package: str, extra: str) -> None:
        self.feature, self.package, self.extra = feature, package, extra
        super().__init__(
            f"{feature} needs {package}, which is not installed: pip install 'govflow[{extra}]'"
            f" (in a clone of govflow: pip install '.[{extra}]')"
        )


def article(word: str) -> str:
    """The article before ``word`` in a message: "an" before a vowel, else "a"."""
    return "an" if word[:1].lower() in "aeiou" else "a"


class Unreadable(Exception):
    """An input the command line cannot read; the message says why (it exits 2)."""


class UnreadableValue(Exception):
    """A value a guard's argument cannot be read from; the definition loader names where."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message
