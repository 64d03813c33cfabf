"""Bodies and their facts: the light, immutable data a lifecycle moves from state to state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import TYPE_CHECKING, overload

import attrs

from govflow.errors import ARGUMENT, InvalidRecord
from govflow.model.decision import BINDING, Decision, Target
from govflow.model.kind import DecisionKind, Kind
from govflow.model.terms import (
    Terms,
    exactly,
    exactly_or_none,
    flag,
    identifier,
    name,
    names,
    optional_text,
    shown_name,
    text,
    tupled,
    whole,
)
from govflow.model.unreadable import read_out
from govflow.model.when import When

if TYPE_CHECKING:
    from govflow.rules.lifecycle import Lifecycle


@attrs.frozen
class Fact:
    """A decision in effect, with what applying it established.

    Attributes:
        seq: The sequence number of the log entry that records it.
        decision: The decision.
        organisation: The organisation it counts for (from its mandate).
        terms_version: The version of the terms it was taken on.
        provisional: Whether it was taken while the body was in a provisional
            state (such as shadow form) and so needs ratifying.
        delegated_by: The authority whose delegation it was taken under (from its
            mandate), for whom it counts too; ``None`` when taken under the actor's own
            power, and for every decision of a log of entry schema 1 to 3, where a
            delegate's decision counted for its delegator only when it named it in
            ``on_behalf_of``.
    """

    seq: int = attrs.field(validator=whole(0))
    decision: Decision = attrs.field(validator=exactly(Decision, "a Decision"))
    organisation: str = attrs.field(validator=text)
    terms_version: int = attrs.field(default=1, validator=whole(1))
    provisional: bool = attrs.field(default=False, validator=flag)
    delegated_by: str | None = attrs.field(default=None, validator=optional_text)

    def speaks_for(self, authority: str) -> bool:
        """Whether the decision was taken by ``authority`` or counts for it.

        It counts for the organisation it was taken for, for an authority it names in
        ``on_behalf_of``, and for the authority whose delegation it was taken under.
        """
        d = self.decision
        return authority in (d.actor, d.on_behalf_of, self.organisation, self.delegated_by)


class Facts(Sequence[Fact]):
    """A body's facts, in log order: an immutable, hashable sequence.

    Applying a decision gives a new body with one more fact. Copying every fact each
    time would make a body's n-th decision cost time in proportion to n (at 10^5
    facts, a copy costs about 300 µs against 10 µs for the whole decision), so the
    versions of a body share one list that only grows: each version sees its own first
    ``len`` items, and :meth:`added` appends in place when nothing follows those
    items yet, and copies otherwise. What a version holds never changes. A version that
    may yet be refused (:meth:`plus`) leaves the list alone.
    """

    __slots__ = ("_items", "_len")

    _items: list[Fact]
    _len: int

    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        self._items = list(facts)
        self._len = len(self._items)

    @classmethod
    def _view(cls, items: list[Fact], length: int) -> Facts:
        view = object.__new__(cls)
        view._items, view._len = items, length
        return view

    def added(self, fact: Fact) -> Facts:
        """These facts with ``fact`` after them; ``self`` is unchanged."""
        items, length = self._items, self._len
        # As extended does, for one fact, with no tuple made: 240 ns a next version, not 365.
        if len(items) == length:  # never so for a _Plus
            items.append(fact)
            if items[length] is fact:
                return Facts._view(items, length + 1)
        return self.extended((fact,))

    def extended(self, facts: Iterable[Fact]) -> Facts:
        """These facts with ``facts`` after them; ``self`` is unchanged."""
        more = tuple(facts)
        items, length = self._items, self._len
        if more and len(items) == length:
            items.extend(more)
            # Appending is atomic, checking and appending together are not: a version
            # grown by another thread at the same moment finds its items displaced, and
            # copies.
            if items[length] is more[0]:
                return Facts._view(items, length + len(more))
        return Facts._view([*items[:length], *more], length + len(more))

    def plus(self, fact: Fact) -> Facts:
        """These facts with ``fact`` after them, leaving the shared list as it is.

        For a body that may yet be refused (a trigger's guards are still to run):
        were it appended, a refusal would leave the list longer than every version,
        and the next version would copy it. :meth:`kept` gives the version to keep.
        """
        return _Plus(self, fact)

    def kept(self) -> Facts:
        """The version to keep of facts made by :meth:`plus` (these facts, for any other)."""
        return self

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> Fact: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Fact, ...]: ...
    def __getitem__(self, index: int | slice) -> Fact | tuple[Fact, ...]:
        if isinstance(index, slice):
            return tuple(self._items[: self._len][index])
        if not -self._len <= index < self._len:
            raise IndexError("fact index out of range")
        return self._items[index if index >= 0 else self._len + index]

    def __iter__(self) -> Iterator[Fact]:
        # Bounded by this version's length even if a later version appends meanwhile.
        return islice(self._items, self._len)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Facts):
            if type(self) is type(other) is Facts and other._items is self._items:
                return other._len == self._len
            return self._len == other._len and tuple(self) == tuple(other)
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Facts({list(self)!r})"

    def __reduce__(self) -> tuple[type[Facts], tuple[list[Fact]]]:
        return Facts, (self._items[: self._len],)


class _Plus(Facts):
    """A version of a body's facts with one more, that the shared list does not hold yet."""

    __slots__ = ("_base", "_extra")

    _base: Facts
    _extra: Fact

    def __init__(self, base: Facts, extra: Fact) -> None:
        self._base, self._extra = base, extra
        self._items, self._len = [], len(base) + 1  # the list is the base's, read through it

    def extended(self, facts: Iterable[Fact]) -> Facts:
        return Facts([*self, *facts])

    def kept(self) -> Facts:
        """The base's facts grown in place by the one fact: the version to keep."""
        return self._base.added(self._extra)

    def __getitem__(self, index: int | slice) -> Fact | tuple[Fact, ...]:  # type: ignore[override]
        if isinstance(index, slice):
            return tuple(self)[index]
        if not -self._len <= index < self._len:
            raise IndexError("fact index out of range")
        index = index if index >= 0 else self._len + index
        return self._extra if index == self._len - 1 else self._base[index]

    def __iter__(self) -> Iterator[Fact]:
        return chain(self._base, (self._extra,))

    def __reduce__(self) -> tuple[type[Facts], tuple[list[Fact]]]:
        return Facts, (list(self),)


def as_facts(value: Iterable[Fact]) -> Facts:
    """An attrs converter: any iterable of facts becomes ``Facts``.

    Raises:
        InvalidRecord: It is not an iterable of ``Fact`` records.
    """
    if type(value) is Facts or type(value) is _Plus or isinstance(value, Facts):  # the ABC's last
        return value
    found = read_out(value) if isinstance(value, Iterable) and not isinstance(value, str) else None
    if type(found) is not tuple or any(type(f) is not Fact for f in found):  # Unread: raised
        said = value if found is None or type(found) is tuple else found  # Unread: what raised
        raise InvalidRecord("Body", "facts", "a list of Fact records", said)
    return Facts(list(found))


@attrs.frozen(repr=False)
class Body:
    """A governance body as its accepted decisions leave it.

    Bodies are values: applying a decision gives a new ``Body`` and leaves the old
    one as it was. They hold no state machine, so a million of them cost only their
    data; a body a registry made refers to its lifecycle, shared by all of them, so
    that a notebook can draw it.

    Attributes:
        id: The body's id, as decisions name it.
        state: Its current lifecycle state.
        terms: The terms it currently stands on.
        facts: The decisions in effect, in log order: accepted, and neither rescinded
            nor replaced by a correction. A read-only sequence; give any iterable of
            facts when building a body.
        history: Every state it has been in, in order, the current one last.
        floor: The latest day on which an applied decision may have started; a new
            decision ending before it is out of order.
        entered: The sequence number of the entry that moved it into its current state.
        entered_on: The date of the decision that moved it into its current state (kept
            when that decision is later corrected or rescinded); ``None`` if not known.
        lifecycle: The lifecycle it follows, when a registry or a replay made it; not
            compared (two bodies with the same data are equal), and ``None`` for a body
            built by hand. Its ``binding`` kinds count only on their terms version
            (:meth:`current`); ``explain`` gives a body built by hand the lifecycle asked.
    """

    id: str = attrs.field(validator=identifier)
    state: str = attrs.field(validator=name)
    terms: Terms = attrs.field(validator=exactly(Terms, "a Terms"))
    facts: Facts = attrs.field(converter=as_facts)
    history: tuple[str, ...] = attrs.field(converter=tupled, validator=names)
    floor: dt.date = attrs.field(validator=exactly(dt.date, "a datetime.date"))
    entered: int = attrs.field(default=0, validator=whole(0))
    entered_on: When | None = attrs.field(default=None, validator=exactly_or_none(When, "a When"))
    lifecycle: Lifecycle | None = attrs.field(default=None, eq=False, repr=False)

    def decisions(self, *kinds: DecisionKind) -> Iterator[Fact]:
        """The facts whose decisions are of one of ``kinds``, in log order.

        Raises:
            InvalidRecord: A kind cannot be looked up (a list given as one kind).
        """
        try:
            wanted = frozenset(kinds)
        except TypeError:  # unhashable: a list given as one kind
            expected = "kinds of decision, each its own argument"
            raise InvalidRecord("Body.decisions", "kinds", expected, kinds, ARGUMENT) from None
        return (fact for fact in self.facts if fact.decision.kind in wanted)

    @property
    def previous_state(self) -> str | None:
        """The state the body was in before its current one, if any."""
        return self.history[-2] if len(self.history) > 1 else None

    def current(self, fact: Fact) -> bool:
        """Whether ``fact`` still counts under the current terms.

        Kinds that bind to the terms (agreements, endorsements, nominations, budget,
        establishment, reaffirmation, and those the lifecycle says bind: its
        ``binding``) count only on the version they were taken on.
        """
        kind, lifecycle = fact.decision.kind, self.lifecycle
        if kind not in BINDING and (lifecycle is None or kind not in lifecycle.binding):
            return True
        return fact.terms_version == self.terms.version

    @property
    def delegations(self) -> tuple[Decision, ...]:
        """The delegation decisions not revoked, in log order."""
        return tuple(f.decision for f in self.decisions(Kind.DELEGATE))

    @property
    def unratified(self) -> tuple[str, ...]:
        """The ids of the provisional resolutions no ratification names yet."""
        ratified = {i for f in self.decisions(Kind.RATIFY) for i in f.decision.ratifies}
        return tuple(
            f.decision.id
            for f in self.decisions(Kind.RESOLVE)
            if f.provisional and f.decision.id not in ratified
        )

    @property
    def targets(self) -> dict[str, Target]:
        """The latest hoped-for date recorded for each state."""
        return {
            f.decision.target.state: f.decision.target
            for f in self.decisions(Kind.TARGET)
            if f.decision.target is not None
        }

    def __repr__(self) -> str:
        # One line, whatever the history: the facts are in ``facts``.
        return (
            f"<Body {self.id!r} {shown_name(self.state)}: terms v{self.terms.version}, "
            f"{len(self.facts)} facts, entered at entry {self.entered}>"
        )

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        """What a notebook shows: the body's path and a table of the decisions in effect.

        A body does not know its lifecycle: :meth:`govflow.Registry.view` draws it too.
        """
        from govflow.display.views import body_bundle  # noqa: PLC0415 - on first display

        return body_bundle(self, repr(self))
