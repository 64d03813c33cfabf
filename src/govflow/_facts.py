"""Facts: the decisions that count on a body, and the versions of a body's facts."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, overload

import attrs

from govflow._decision import Decision
from govflow._quick import quick_init
from govflow._record import record_methods


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
    A version made by ``recorded`` keeps its new positions as machine integers (its
    tail) until it is read or grown: only then do they join the shared list.
    """

    __slots__ = ("_items", "_len", "_pending", "_tail")

    _items: list[Fact | int]
    _len: int
    _pending: Pending
    # The positions of this version's last len(_tail) facts, not yet in _items.
    _tail: array[int] | None

    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        self._items = list(facts)
        self._len = len(self._items)
        self._pending = self._tail = None

    @classmethod
    def _view(
        cls,
        items: list[Fact | int],
        length: int,
        pending: Pending,
    ) -> Facts:
        view = object.__new__(cls)
        view._items, view._len, view._pending, view._tail = items, length, pending, None
        return view

    def _spill(self) -> None:
        """Put this version's tail of positions into its list.

        At the shared list's end if nothing follows its items there yet, else in a
        copy, as ``_grown`` decides. Every way to read or grow a version goes through
        here first.
        """
        tail = self._tail
        if tail is None:
            return
        # The facts before the tail, grown by it as any version grows (_grown).
        before = Facts._view(self._items, self._len - len(tail), None)
        self._items = before._grown(tail.tolist(), None)._items
        self._tail = None

    def _facts(self) -> list[Fact]:
        """The shared list, every item of this version made a ``Fact``."""
        self._spill()
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
        entries hold it); ``self`` is unchanged, and ``positions`` are copied (several
        are kept as machine integers until the new version is read or grown). The
        entries must be checked ones (as the registry and :func:`govflow.replay` check
        them): their states, terms version and mandate are what applying their
        decisions to these facts' body gives.
        """
        pending = self._pending
        if pending is not None and (pending[1] != provisional or pending[2] is not resolve):
            self._facts()
            pending = None
        first = self._len if pending is None else pending[0]
        count = len(positions)
        if count == 1:
            return self._one(positions[0], (first, provisional, resolve))
        self._spill()
        view = Facts._view(self._items, self._len + count, (first, provisional, resolve))
        if count:
            # A copy as machine integers: the list gets an int object each only when read.
            view._tail = array("q", positions)
        return view

    def _one(self, item: Fact | int, pending: Pending) -> Facts:
        """``_grown`` for one item, without a list: this runs once per decision."""
        self._spill()
        items, length = self._items, self._len
        if len(items) == length:
            items.append(item)
            if items[length] is item:
                return Facts._view(items, length + 1, pending)
        return Facts._view([*items[:length], item], length + 1, pending)

    def _grown(self, more: Sequence[Fact | int], pending: Pending) -> Facts:
        self._spill()
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
        self._len, self._pending, self._tail = 1, None, None
        self._seq, self._decision, self._organisation = seq, decision, organisation

    def _spill(self) -> None:
        """Make the proposal's ``Fact`` the list's one item (such a version has no tail)."""
        decision = self._decision
        if decision is not None:
            self._items = [proposal_fact(self._seq, decision, self._organisation)]
            self._decision = None


def proposal_fact(seq: int, decision: Decision, organisation: str) -> Fact:
    """The fact of a proposal: on the version of the terms it proposes."""
    version = 1 if decision.terms is None else decision.terms.version
    return Fact(seq, decision, organisation, version)


def proposed(seq: int, decision: Decision, organisation: str) -> Facts:
    """The facts of a body ``decision`` proposes: ``Fact(seq, decision, organisation, version)``.

    The fact is built when first read (``version`` is that of the decision's terms).
    """
    return _Proposed(seq, decision, organisation)
