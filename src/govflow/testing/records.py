"""Strategies for govflow's records and for random lifecycles, registered by type.

:func:`register` (run when :mod:`govflow.testing` is imported) gives each public
record a strategy, so ``st.from_type(Decision)`` and ``st.builds(...)`` with govflow
types work. The records drawn use neutral names (authorities ``A``, ``B``, ``C``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from hypothesis import strategies as st

from govflow.errors import InvalidRecord, require
from govflow.events import EventLogger
from govflow.model.body import Body
from govflow.model.decision import Decision, Delegation, Source, Target
from govflow.model.kind import DecisionKind, Kind, Position
from govflow.model.terms import MAX_ID, Terms, flag, writable
from govflow.model.when import When
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import Transition

__all__ = [
    "Fixed",
    "decision_sequences",
    "decisions",
    "lifecycles",
    "quiet",
    "terms",
    "whens",
]

#: The names records are drawn with: neutral, not any real case's.
AUTHORITIES = ("A", "B", "C")
PARTNERS = ("A", "B")

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
#: Any text a record may hold: no NUL, no lone surrogate (``govflow.model.terms``).
WRITABLE = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")


def _label(record: object, attribute: attrs.Attribute[str], value: object) -> None:
    """An attrs validator: a :class:`Fixed` guard's label, the end of its name (a verdict's)."""
    if type(value) is not str:  # what a name may hold, the Lifecycle holding it checks
        raise InvalidRecord("Fixed", "label", "a text, the end of the guard's name", value)


@attrs.frozen
class Fixed:
    """A guard that always gives the same answer: for random lifecycles.

    Attributes:
        value: What the guard returns.
        label: Tells guards with the same value apart.
    """

    value: bool = attrs.field(validator=flag)
    label: str = attrs.field(default="", validator=_label)

    @property
    def name(self) -> str:
        """The guard's name."""
        return f"{'always' if self.value else 'never'}{self.label}"

    def __call__(self, body: Body, on: When) -> bool:
        """Return :attr:`value`."""
        return self.value


def whens(
    min_value: dt.date = dt.date(2000, 1, 1), max_value: dt.date = dt.date(2040, 12, 31)
) -> st.SearchStrategy[When]:
    """Dates of every precision: a day, a month, a year or a span.

    Spans are drawn at their edges too: a span that is exactly a whole month or year
    (which reads back as that month or year), one that ends where another begins, and
    one that starts on a month's first day without filling it. Days and spans stay
    from ``min_value`` to ``max_value``; a month or a year holds a day between them.

    Raises:
        InvalidRecord: A bound is not a ``datetime.date``, or ``max_value`` is before
            ``min_value``.
    """
    for name, bound in (("min_value", min_value), ("max_value", max_value)):
        require(type(bound) is dt.date, "whens", name, "a datetime.date", bound)
    ordered = min_value <= max_value
    require(ordered, "whens", "max_value", f"a day from min_value ({min_value})", max_value)
    return _whens(min_value, max_value)


@st.composite
def _whens(draw: st.DrawFn, min_value: dt.date, max_value: dt.date) -> When:
    day = draw(st.dates(min_value, max_value))
    precision = draw(st.sampled_from(["day", "month", "year", "span", "edge"]))
    if precision == "day":
        return When.on(day)
    if precision == "month":
        return When.month(day.year, day.month)
    if precision == "year":
        return When.year(day.year)
    if precision == "edge":
        first = day.replace(day=1)
        month = When.month(day.year, day.month)
        edges = [
            (first, month.latest),  # a whole month, as a span
            (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)),  # a whole year
            (first, min(first + dt.timedelta(days=14), max_value)),  # part of a month
            (month.latest, month.latest + dt.timedelta(days=month.latest < max_value)),  # touching
        ]
        start, end = draw(st.sampled_from(edges))
        start = min(max(start, min_value), max_value)
        end = max(min(end, max_value), start)
        return When.between(start, max(start, end))
    length = min(draw(st.integers(1, 400)), (max_value - day).days)
    return When.between(day, day + dt.timedelta(days=length))


def terms(partners: Sequence[str] = PARTNERS) -> st.SearchStrategy[Terms]:
    """Terms with the given partners and a random title and remit.

    Raises:
        InvalidRecord: ``partners`` is not a non-empty list of names.
    """
    _texts(partners, "terms", "partners")
    return st.builds(
        Terms,
        title=st.text(WRITABLE, min_size=1, max_size=20).filter(str.strip),
        partners=st.just(tuple(partners)),
        remit=st.lists(
            st.text(WRITABLE, min_size=1, max_size=20).filter(str.strip), max_size=3
        ).map(tuple),
    )


#: The most states, triggers or decisions a strategy here draws: more would take minutes.
MOST = 1_000


def _at_most(strategy: str, field: str, value: object, least: int) -> None:
    fits = type(value) is int and least <= value <= MOST
    require(fits, strategy, field, f"a whole number from {least} to {MOST}", value)


@st.composite
def lifecycles(draw: st.DrawFn, max_states: int = 6, max_triggers: int = 4) -> Lifecycle:
    """Valid random lifecycles whose guards are :class:`Fixed`.

    Every state is reachable (each state after the first gets an edge from an
    earlier one); no trigger leaves a state twice.

    Raises:
        InvalidRecord: ``max_states`` is not a whole number from 2 to :data:`MOST`, or
            ``max_triggers`` from 1 to it (a bigger model would take minutes to draw).
    """
    _at_most("lifecycles", "max_states", max_states, 2)
    _at_most("lifecycles", "max_triggers", max_triggers, 1)
    count = draw(st.integers(2, max_states))
    states = [f"s{i}" for i in range(count)]
    triggers = [f"t{i}" for i in range(draw(st.integers(1, max_triggers)))]
    edges: dict[tuple[str, str], str] = {}
    for index in range(1, count):
        source = states[draw(st.integers(0, index - 1))]
        free = [t for t in triggers if (source, t) not in edges]
        trigger = draw(st.sampled_from(free)) if free else f"to_{states[index]}"
        edges[(source, trigger)] = states[index]
    extra = draw(
        st.lists(
            st.tuples(st.sampled_from(states), st.sampled_from(triggers), st.sampled_from(states))
        )
    )
    for source, trigger, dest in extra:
        edges.setdefault((source, trigger), dest)
    transitions = [
        Transition(
            trigger,
            source,
            dest,
            guards=draw(st.lists(st.builds(Fixed, st.booleans(), st.just(f"#{n}")), max_size=2)),
        )
        for n, ((source, trigger), dest) in enumerate(sorted(edges.items()))
    ]
    return Lifecycle(states=states, initial=states[0], transitions=transitions, name="random")


@st.composite
def decision_sequences(
    draw: st.DrawFn,
    lifecycle: Lifecycle,
    *,
    bodies: Sequence[str] = ("b0", "b1"),
    authorities: Sequence[str] = AUTHORITIES,
    partners: Sequence[str] = PARTNERS,
    max_size: int = 40,
) -> list[Decision]:
    """Lists of decisions on a few bodies: proposals, facts and trigger requests.

    Ids are unique; dates mostly move forward, sometimes back (to exercise
    out-of-order refusals); triggers are drawn from the lifecycle's.

    Raises:
        InvalidRecord: ``lifecycle`` is not a Lifecycle, or ``bodies``,
            ``authorities`` or ``partners`` not a non-empty list of names, or ``max_size``
            not a whole number from 0 to :data:`MOST`.
    """
    require(
        isinstance(lifecycle, Lifecycle),
        "decision_sequences",
        "lifecycle",
        "a Lifecycle",
        lifecycle,
    )
    for field, given in (("bodies", bodies), ("authorities", authorities), ("partners", partners)):
        _texts(given, "decision_sequences", field)
    _at_most("decision_sequences", "max_size", max_size, 0)
    triggers = sorted({t.trigger for t in lifecycle.transitions})
    states = [s.name for s in lifecycle.states]
    kinds = [k for k in Kind if k is not Kind.PROPOSE]
    day = dt.date(2012, 1, 1)
    result: list[Decision] = []
    for number in range(draw(st.integers(0, max_size))):
        body = draw(st.sampled_from(bodies))
        day += dt.timedelta(days=draw(st.integers(-40, 60)))
        decided = When.on(day) if draw(st.booleans()) else When.month(day.year, day.month)
        ident = f"d{number}"
        source = Source("generated", f"#{number}")
        if draw(st.integers(0, 5)) == 0:
            proposal = Decision(
                id=ident,
                body=body,
                kind=Kind.PROPOSE,
                actor=partners[0],
                decided=decided,
                source=source,
                terms=draw(terms(partners)),
            )
            result.append(proposal)
            continue
        kind = draw(st.sampled_from(kinds))
        fields = _kind_fields(
            draw,
            kind,
            number=number,
            day=day,
            authorities=authorities,
            partners=partners,
            states=states,
        )
        decision = Decision(
            id=ident,
            body=body,
            kind=kind,
            actor=draw(st.sampled_from(authorities)),
            on_behalf_of=draw(st.sampled_from([None, *partners])),
            decided=decided,
            source=source,
            trigger=None
            if "supersedes" in fields or kind is Kind.NOTE
            else draw(st.sampled_from([None, *triggers])),
            **fields,  # type: ignore[arg-type]
        )
        result.append(decision)
    return result


def _kind_fields(  # noqa: PLR0911 - one return per kind that needs fields
    draw: st.DrawFn,
    kind: DecisionKind,
    *,
    number: int,
    day: dt.date,
    authorities: Sequence[str],
    partners: Sequence[str],
    states: Sequence[str],
) -> dict[str, object]:
    """The kind-specific fields a decision of ``kind`` needs, drawn at random."""
    earlier = st.integers(0, number - 1).map(lambda i: f"d{i}") if number else st.just("unknown")
    if kind is Kind.HOLD_MEETING:
        return {"meeting": draw(st.sampled_from(["shadow meeting", "other"]))}
    if kind is Kind.RECOMMEND:
        return {"to": draw(st.sampled_from(authorities))}
    if kind is Kind.AMEND:
        version = draw(st.integers(1, 3))
        return {"terms": attrs.evolve(draw(terms(partners)), version=version)}
    if kind is Kind.DELEGATE:
        delegation = Delegation(
            to=draw(st.sampled_from(authorities)),
            kinds=draw(st.lists(st.sampled_from(list(Kind)), min_size=1, max_size=3)),
            start=day,
            end=draw(st.one_of(st.none(), st.just(day + dt.timedelta(days=90)))),
        )
        return {"delegation": delegation}
    if kind is Kind.RATIFY:
        return {"ratifies": (draw(earlier),)}
    if kind is Kind.TARGET:
        return {"target": Target(draw(st.sampled_from(states)), When.year(day.year))}
    if kind in (Kind.RESCIND, Kind.REVOKE):
        return {"supersedes": draw(earlier)}
    if kind is Kind.NOTE:
        expected = draw(st.one_of(st.none(), whens()))
        about = draw(st.sampled_from([None, "budget", *authorities]))
        return {"reasons": ("a note",), "about": about, "expected": expected}
    return {}


@st.composite
def decisions(draw: st.DrawFn, kinds: Sequence[DecisionKind] = tuple(Kind)) -> Decision:
    """One decision of any kind, with the fields its kind needs (for ``st.from_type``).

    Raises:
        InvalidRecord: ``kinds`` is not a non-empty list of decision kinds.
    """
    given = list(kinds) if isinstance(kinds, Sequence) and not isinstance(kinds, str) else []
    require(
        bool(given) and all(isinstance(k, DecisionKind) for k in given),
        "decisions",
        "kinds",
        "a list of decision kinds",
        kinds,
    )
    kind = draw(st.sampled_from(given))
    day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
    number = draw(st.integers(1, 10**6))
    fields = _kind_fields(
        draw,
        kind,
        number=number,
        day=day,
        authorities=AUTHORITIES,
        partners=PARTNERS,
        states=("s0", "s1"),
    )
    if kind is Kind.PROPOSE:
        fields["terms"] = draw(terms())
    if kind in (Kind.AGREE, Kind.REAFFIRM) and draw(st.booleans()):
        fields["position"] = draw(st.sampled_from(list(Position)))
    return Decision(
        id=f"d{number}",
        body=draw(st.sampled_from(["b0", "b1"])),
        kind=kind,
        actor=draw(st.sampled_from(AUTHORITIES)),
        decided=draw(whens()),
        source=Source("generated", f"#{number}"),
        **fields,  # type: ignore[arg-type]
    )


def _texts(given: object, where: str, field: str) -> None:
    good = (
        isinstance(given, Sequence)
        and not isinstance(given, str)
        and bool(given)
        and all(writable(t) and t and not t.isspace() and len(t) <= MAX_ID for t in given)
    )
    wanted = f"a non-empty list of names (texts of at most {MAX_ID} characters, without NUL)"
    require(good, where, field, wanted, given)


def quiet() -> EventLogger:
    """A logger that drops every event: for registries under test."""

    class Quiet:
        def info(self, event: str, **fields: object) -> None:
            """Drop the event."""

        def warning(self, event: str, **fields: object) -> None:
            """Drop the event."""

    return Quiet()
