"""The kinds of decision a body's lifecycle is driven by, and the positions taken in a vote.

The built-in kinds are :class:`Kind`'s. A lifecycle may declare its own beside them:
subclass :class:`DecisionKind`, the base of every vocabulary, and give the class to the
lifecycle (``Lifecycle(kinds=Motion)``)::

    class Motion(DecisionKind):
        VOTE = "vote"
        CALL_IN = "call_in"

A kind is always a member of such a class, never a bare text a user could mistype:
``Motion.VOT`` fails where it is written, and a guard or a decision of a kind the
lifecycle does not declare is refused.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from difflib import get_close_matches

from govflow.errors import InvalidRecord

#: What a kind's value may be: a lower-case name, as the built-in kinds' are.
NAME = re.compile(r"[a-z][a-z0-9_]{0,99}")


def _no_member(vocabulary: type[enum.StrEnum], value: object) -> InvalidRecord:
    """The error for ``vocabulary(value)`` where no member has ``value``, with the nearest."""
    values = [member.value for member in vocabulary]
    close = get_close_matches(value, values, n=1) if type(value) is str else []
    advice = f"the nearest is {close[0]!r}" if close else "give one of those values"
    expected = f"one of: {', '.join(values)}" if values else "a member's value (it has none)"
    return InvalidRecord(vocabulary.__name__, "(value)", expected, value, advice)


class DecisionKind(enum.StrEnum):
    """The base of every vocabulary of decision kinds: subclass it to declare your own.

    A store does not know your vocabulary: a decision read back from one carries a
    member equal to yours (``==``, ``in``, a ``match`` case, a dict key) but not the
    same object, nor of your class. Compare kinds with ``==``, not ``is``.

    ``Kind("agre")``, a value no member has, raises :class:`~govflow.errors.InvalidRecord`
    (a ``ValueError``) naming the nearest.
    """

    @classmethod
    def _missing_(cls, value: object) -> DecisionKind:
        raise _no_member(cls, value)


class Position(enum.StrEnum):
    """The position a decision takes on what it decides (a vote for, against, or abstaining).

    ``Position("For")``, a value no member has, raises
    :class:`~govflow.errors.InvalidRecord` (a ``ValueError``) naming the nearest.
    """

    @classmethod
    def _missing_(cls, value: object) -> Position:
        raise _no_member(cls, value)

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Kind(DecisionKind):
    """The built-in kinds of decision a body's lifecycle is driven by."""

    PROPOSE = "propose"
    """Propose a body on its first terms; creates the body."""
    RECOMMEND = "recommend"
    """Recommend to another authority; a recommendation satisfies no decision guard."""
    AGREE = "agree"
    """Agree to the body, or to what a guard names."""
    ENDORSE = "endorse"
    """Endorse what another authority agreed."""
    NOMINATE = "nominate"
    """Nominate members to the body."""
    HOLD_MEETING = "hold_meeting"
    """Record that a named meeting was held."""
    AGREE_BUDGET = "agree_budget"
    """Agree a contribution to the body's budget."""
    ESTABLISH = "establish"
    """Agree that the body is formally established."""
    REQUEST_RECONSIDERATION = "request_reconsideration"
    """Ask for the body's role and remit to be reconsidered."""
    REAFFIRM = "reaffirm"
    """Reaffirm the body, unchanged, after reconsideration."""
    AMEND = "amend"
    """Amend the terms: a new version, on which earlier agreements no longer count."""
    END = "end"
    """End the body, or withdraw from it."""
    RESOLVE = "resolve"
    """A resolution of the body itself (in shadow form, one that needs ratifying)."""
    RATIFY = "ratify"
    """Ratify the body's provisional resolutions named in ``ratifies``."""
    DELEGATE = "delegate"
    """Delegate powers to another authority for a period (see ``delegation``)."""
    REVOKE = "revoke"
    """Revoke the delegation named in ``supersedes``."""
    TARGET = "target"
    """Record a hoped-for date for reaching a state; it blocks nothing and may slip."""
    RESCIND = "rescind"
    """Rescind an earlier decision named in ``supersedes``; the original stays recorded."""
    NOTE = "note"
    """Record what a source says about a body (context, an intention, a condition); it
    decides nothing, blocks nothing, and any state accepts it (logs of entry schema 3 on)."""


# A member read from its enum class (``Kind.NOTE``) goes through the class's Python
# ``__getattr__`` on Python 3.11, about 60 ns each: the kinds every decision is checked
# against are read once, here (four reads a fact-only decision, 0.2 of its 2.2 µs in
# replay).
NOTE, PROPOSE = Kind.NOTE, Kind.PROPOSE

#: Each built-in kind by its value.
BUILT_IN = {kind.value: kind for kind in Kind}

#: The first entry schema whose logs hold each built-in kind added later: a reader of
#: an older schema would take it for a kind its lifecycle never declared.
_SINCE = {Kind.NOTE.value: 3}


def held(value: object, schema: int) -> bool:
    """Whether a log of entry schema ``schema`` may hold a decision of kind ``value``.

    Schema 1 holds only the built-in kinds of its time; schema 2 on also a lifecycle's
    own (any lower-case name); a built-in kind added later, only from its schema on.
    """
    if type(value) is not str and not isinstance(value, DecisionKind):
        return False
    built_in = value in BUILT_IN
    if built_in and _SINCE.get(value, 1) > schema:
        return False
    if schema < 2:  # noqa: PLR2004 - schema 1 holds only the built-in kinds
        return built_in and (type(value) is str or type(value) is Kind)
    return NAME.fullmatch(value) is not None


@functools.cache
def recorded(value: str) -> DecisionKind:
    """The kind a log records as ``value``, read without its lifecycle's vocabulary.

    A built-in value gives the :class:`Kind`; any other well-formed name a member of
    a one-member vocabulary made for it, equal to (and hashing as) the member the
    lifecycle declares, so that guards count it alike.

    Raises:
        InvalidRecord: ``value`` is not a lower-case name.
    """
    if value in BUILT_IN:
        return BUILT_IN[value]
    if type(value) is not str or NAME.fullmatch(value) is None:
        raise InvalidRecord("Decision", "kind", "a decision kind's name", value)
    made: type[DecisionKind] = DecisionKind("RecordedKind", [(value.upper(), value)])  # type: ignore[call-arg, assignment]
    return made(value)


def kind_of(value: object, record: str = "Decision", field: str = "kind") -> DecisionKind:
    """``value`` as a decision kind: a member of a vocabulary, or a built-in kind's value.

    Raises:
        InvalidRecord: A text that is no built-in kind's value (declare your own as a
            :class:`DecisionKind`), or anything else.
    """
    if isinstance(value, DecisionKind):
        if type(value) is not Kind and (
            NAME.fullmatch(value.value) is None or value.value in BUILT_IN
        ):
            expected = "a lower-case name that is no built-in kind's (declare another value)"
            raise InvalidRecord(record, field, expected, value.value)
        return value
    kind = BUILT_IN.get(value) if type(value) is str else None
    if kind is None:
        choices = ", ".join(BUILT_IN)
        expected = f"one of: {choices}; or a member of a DecisionKind subclass"
        name = value if type(value) is str and NAME.fullmatch(value) else "vote"
        # A near miss only ("agre"): a kind of one's own ("vote") is no misspelt "note".
        close = get_close_matches(value, BUILT_IN, n=1, cutoff=0.85) if type(value) is str else []
        own = (
            (f"did you mean {close[0]!r}? Else " if close else "")
            + "a kind of your own is declared in a DecisionKind subclass and given as its "
            f"member, not as text: Motion.{name.upper()}, after class Motion(DecisionKind): "
            f"{name.upper()} = {name!r}"
        )
        raise InvalidRecord(record, field, expected, value, own if type(value) is str else "")
    return kind


def kinds_of(value: object, record: str, field: str = "kinds") -> tuple[DecisionKind, ...]:
    """One kind, or a list of at least one, as a tuple of kinds.

    Raises:
        InvalidRecord: Nothing, or anything but kinds.
    """
    expected = (
        "a kind of decision, or a list of at least one (built-in kinds' values, or members "
        "of a DecisionKind subclass)"
    )
    if not isinstance(value, Iterable) or isinstance(value, bytes | dict):
        raise InvalidRecord(record, field, expected, value)
    if isinstance(value, set | frozenset):  # a set's order differs between runs
        value = sorted(value, key=str)
    try:  # an item that is no kind is named where it stands, with a near miss suggested
        if isinstance(value, str):
            kinds: tuple[DecisionKind, ...] = (kind_of(value, record, field),)
        else:
            kinds = tuple(kind_of(k, record, f"{field}[{n}]") for n, k in enumerate(value))
    except InvalidRecord:
        raise
    except Exception:  # noqa: BLE001 - a caller's iterable that raised
        raise InvalidRecord(record, field, expected, value) from None
    if not kinds:
        raise InvalidRecord(record, field, expected, value)
    return kinds
