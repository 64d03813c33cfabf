"""Bodies: the light, immutable data a lifecycle moves from state to state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from types import MemberDescriptorType
from typing import TYPE_CHECKING, overload

import attrs

from govflow._decision import BINDING, Decision, Kind, Target
from govflow._quick import quick_init
from govflow._record import record_methods
from govflow._terms import Terms


@quick_init
@record_methods
@attrs.frozen(repr=False, eq=False)
class Fact:
    """A decision that counts, with what applying it established.

    Attributes:
        seq: The sequence number of the log entry that records it.
        decision: The decision.
        organisation: The organisation it counts for (from its mandate).
        terms_version: The version of the terms it was taken on.
        provisional: Whether it was taken while the body was in a provisional
            state (such as shadow form) and so needs ratifying.
    """

    seq: int
    decision: Decision
    organisation: str
    terms_version: int = 1
    provisional: bool = False

    def speaks_for(self, authority: str) -> bool:
        """Whether the decision was taken by ``authority`` or counts for it."""
        d = self.decision
        return authority in (d.actor, d.on_behalf_of, self.organisation)


if TYPE_CHECKING:  # for annotations only
    from collections.abc import Callable

    #: Makes the fact that the entry at a position records, given the provisional
    #: states: how a body's facts build, when first read, those ``Facts.recorded`` added.
    Resolve = Callable[[int, frozenset[str]], Fact]
    #: From which item on a version's positions may stand for facts, the provisional
    #: states they need, and how to make their facts; ``None`` once all are built.
    Pending = tuple[int, frozenset[str], Resolve] | None


def recorded_fact(
    seq: int,
    decision: Decision,
    organisation: str,
    terms_version: int,
    *,
    before: str | None,
    provisional: frozenset[str],
) -> Fact:
    """The fact a log entry records, from its parts.

    It is provisional when the body was in one of the ``provisional`` states before it.
    """
    return Fact(
        seq, decision, organisation, terms_version, before is not None and before in provisional
    )


class Facts(Sequence[Fact]):
    """A body's facts, in log order: an immutable sequence.

    Applying a decision gives a new body with one more fact. Copying every fact
    each time would make a body's n-th decision cost time in proportion to n, so
    the versions of a body share one list that only grows: each version sees its
    own first ``len`` items, and a version that adds a fact appends it in place when
    no later version already has, and copies otherwise. No version ever changes.

    The registry and replay add the facts of decisions that only add a fact as the
    positions of the log entries that record them (``recorded``); each is made a
    ``Fact`` in place the first time any version is read, so facts nobody reads are
    never built, and until then a fact costs the garbage collector nothing to visit.
    """

    __slots__ = ("_items", "_len", "_pending")

    _items: list[Fact | int]
    _len: int
    _pending: Pending

    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        self._items = list(facts)
        self._len = len(self._items)
        self._pending = None

    @classmethod
    def _view(
        cls,
        items: list[Fact | int],
        length: int,
        pending: Pending,
    ) -> Facts:
        view = object.__new__(cls)
        view._items, view._len, view._pending = items, length, pending
        return view

    def _facts(self) -> list[Fact]:
        """The shared list, every item of this version made a ``Fact``."""
        pending = self._pending
        items = self._items
        if pending is not None:
            first, provisional, resolve = pending
            for i in range(first, self._len):
                item = items[i]
                if not isinstance(item, Fact):
                    items[i] = resolve(item, provisional)
            self._pending = None
        return items  # type: ignore[return-value] # every item up to _len is a Fact now

    def added(self, fact: Fact) -> Facts:
        """These facts with ``fact`` after them; ``self`` is unchanged."""
        return self._one(fact, self._pending)

    def extended(self, facts: Sequence[Fact]) -> Facts:
        """These facts with ``facts`` after them; ``self`` is unchanged."""
        return self._grown(facts, self._pending)

    def recorded(
        self, positions: Sequence[int], resolve: Resolve, provisional: frozenset[str]
    ) -> Facts:
        """These facts with the facts of the entries at ``positions`` after them.

        ``resolve(position, provisional)`` makes each entry's fact when it is first
        read (:func:`recorded_fact` of the entry, as a registry's log or replay's
        entries hold it); ``self`` is unchanged. The entries must be checked ones (as
        the registry and :func:`govflow.replay` check them): their states, terms
        version and mandate are what applying their decisions to these facts' body
        gives.
        """
        pending = self._pending
        if pending is not None and (pending[1] != provisional or pending[2] is not resolve):
            self._facts()
            pending = None
        first = self._len if pending is None else pending[0]
        if len(positions) == 1:
            return self._one(positions[0], (first, provisional, resolve))
        # A list: _grown checks by identity that its items are the ones it extended with.
        return self._grown(list(positions), (first, provisional, resolve))

    def _one(self, item: Fact | int, pending: Pending) -> Facts:
        """``_grown`` for one item, without a list: this runs once per decision."""
        items, length = self._items, self._len
        if len(items) == length:
            items.append(item)
            if items[length] is item:
                return Facts._view(items, length + 1, pending)
        return Facts._view([*items[:length], item], length + 1, pending)

    def _grown(self, more: Sequence[Fact | int], pending: Pending) -> Facts:
        items, length, count = self._items, self._len, len(more)
        if not count:
            return Facts._view(items, length, pending)
        if len(items) == length:
            items.extend(more)
            # Another version may have grown the list at the same moment: the first
            # to do so owns it (its items follow ours and nothing follows them), and
            # the other copies.
            if len(items) == length + count and items[length] is more[0]:
                return Facts._view(items, length + count, pending)
        return Facts._view([*items[:length], *more], length + count, pending)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> Fact: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Fact, ...]: ...
    def __getitem__(self, index: int | slice) -> Fact | tuple[Fact, ...]:
        items = self._facts()
        if isinstance(index, slice):
            return tuple(items[: self._len][index])
        if not -self._len <= index < self._len:
            raise IndexError("fact index out of range")
        return items[index if index >= 0 else self._len + index]

    def __iter__(self) -> Iterator[Fact]:
        # Bounded by this version's length even if a later version appends meanwhile.
        return islice(self._facts(), self._len)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Facts):
            mine, theirs = self._facts(), other._facts()
            if mine is theirs:
                return self._len == other._len
            return self._len == other._len and mine[: self._len] == theirs[: other._len]
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Facts({list(self)!r})"

    def __reduce__(self) -> tuple[type[Facts], tuple[list[Fact]]]:
        return Facts, (self._facts()[: self._len],)


class _Proposed(Facts):
    """The facts of a body just proposed: its proposal, made a ``Fact`` when first read.

    For a proposal whose fact counts for another organisation than the decision
    names (its actor's, under declared authorities); otherwise the body holds the
    proposal itself (see ``Body.facts``).
    """

    __slots__ = ("_decision", "_organisation", "_seq")

    _decision: Decision | None

    def __init__(self, seq: int, decision: Decision, organisation: str) -> None:
        self._len, self._pending = 1, None
        self._seq, self._decision, self._organisation = seq, decision, organisation

    def _facts(self) -> list[Fact]:
        decision = self._decision
        if decision is not None:
            self._items = [_proposal_fact(self._seq, decision, self._organisation)]
            self._decision = None
        return super()._facts()

    def _one(self, item: Fact | int, pending: Pending) -> Facts:
        self._facts()
        return super()._one(item, pending)

    def _grown(self, more: Sequence[Fact | int], pending: Pending) -> Facts:
        self._facts()
        return super()._grown(more, pending)


def _proposal_fact(seq: int, decision: Decision, organisation: str) -> Fact:
    """The fact of a proposal: on the version of the terms it proposes."""
    version = 1 if decision.terms is None else decision.terms.version
    return Fact(seq, decision, organisation, version)


def proposed(seq: int, decision: Decision, organisation: str) -> Facts:
    """The facts of a body ``decision`` proposes: ``Fact(seq, decision, organisation, version)``.

    The fact is built when first read (``version`` is that of the decision's terms).
    """
    return _Proposed(seq, decision, organisation)


def _facts(value: Iterable[Fact]) -> Facts:
    return value if isinstance(value, Facts) else Facts(value)


@quick_init
@record_methods
@attrs.frozen(repr=False, eq=False)
class Body:
    """A governance body as its accepted decisions leave it.

    Bodies are values: applying a decision gives a new ``Body`` and leaves the old
    one as it was. They hold no reference to a state machine, so a million of them
    cost only their data.

    Attributes:
        id: The body's id, as decisions name it.
        state: Its current lifecycle state.
        terms: The terms it currently stands on.
        facts: The decisions that count, in log order: accepted, and neither rescinded
            nor replaced by a correction. A read-only sequence; give any iterable of
            facts when building a body.
        history: Every state it has been in, in order, the current one last.
        floor: The latest day on which an applied decision may have started; a new
            decision ending before it is out of order.
        entered: The sequence number of the entry that moved it into its current state.
    """

    id: str
    state: str
    terms: Terms
    facts: Facts = attrs.field(converter=_facts)
    history: tuple[str, ...]
    floor: dt.date
    entered: int = 0

    def decisions(self, *kinds: Kind) -> Iterator[Fact]:
        """The facts whose decisions are of one of ``kinds``, in log order."""
        wanted = frozenset(kinds)
        return (fact for fact in self.facts if fact.decision.kind in wanted)

    @property
    def previous_state(self) -> str | None:
        """The state the body was in before its current one, if any."""
        return self.history[-2] if len(self.history) > 1 else None

    def current(self, fact: Fact) -> bool:
        """Whether ``fact`` still counts under the current terms.

        Kinds that bind to the terms (agreements, endorsements, nominations, budget,
        establishment, reaffirmation) count only on the version they were taken on.
        """
        return fact.decision.kind not in BINDING or fact.terms_version == self.terms.version

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


class _FactsSlot:
    """``Body.facts``: the field's slot, read through this descriptor.

    A body just proposed, whose proposal's fact counts for the organisation the
    decision names, holds the proposal itself in the slot (``proposed_body``):
    bodies are created by the hundred thousand, many are not read for a while, and
    a ``Facts`` for each would be one more object a body for the garbage collector
    to visit. The first read puts the facts in its place, so a body reads the same
    as if it had held them from the start.
    """

    __slots__ = ("_get", "_set")

    def __init__(self, slot: MemberDescriptorType) -> None:
        self._get = slot.__get__
        self._set = slot.__set__

    @overload
    def __get__(self, body: None, owner: type | None = None) -> _FactsSlot: ...
    @overload
    def __get__(self, body: Body, owner: type | None = None) -> Facts: ...
    def __get__(self, body: Body | None, owner: type | None = None) -> Facts | _FactsSlot:
        if body is None:
            return self
        facts = self._get(body)
        if type(facts) is Decision:
            fact = _proposal_fact(body.entered, facts, facts.organisation)
            facts = Facts._view([fact], 1, None)
            self._set(body, facts)
        return facts  # type: ignore[no-any-return]

    def __set__(self, body: Body, value: Facts) -> None:
        self._set(body, value)


_FACTS_SLOT: MemberDescriptorType = Body.__dict__["facts"]
setattr(Body, "facts", _FactsSlot(_FACTS_SLOT))  # noqa: B010 - mypy refuses Body.facts = ...
#: A placeholder the facts slot of a just-proposed body holds until the proposal replaces it.
_PLACEHOLDER = Facts()


def proposed_body(seq: int, decision: Decision, organisation: str, history: tuple[str]) -> Body:
    """The body ``decision`` proposes, in the state ``history`` holds: its facts, the proposal.

    ``organisation`` is the one its mandate gives. The proposal's ``Fact`` is built
    when the facts are first read.
    """
    state = history[0]
    terms = decision.terms
    assert terms is not None  # noqa: S101 - Decision's validator guarantees it
    behalf = decision.on_behalf_of
    earliest = decision.decided.earliest
    if organisation == (decision.actor if behalf is None else behalf):
        body = Body(decision.body, state, terms, _PLACEHOLDER, history, earliest, seq)
        _FACTS_SLOT.__set__(body, decision)
        return body
    facts = proposed(seq, decision, organisation)
    return Body(decision.body, state, terms, facts, history, earliest, seq)
