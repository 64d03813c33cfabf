"""Decisions drawn from a model: walks that take a lifecycle where its guards allow.

Each step reads the body's :class:`~govflow.Explanation`. Most steps give what a
blocked transition awaits (a decision of the kind its guard counts, by an authority it
names, a meeting, a nomination, a vote, a ratification) or ask for a transition whose
guards pass; a share are wrong on purpose, so that refusals are tested too. Actors come
from the lifecycle's declared authorities and their powers (or, without any, from the
names its guards wait on), and kinds from what the body's state accepts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from numbers import Real
from typing import TYPE_CHECKING, Any, cast

import attrs
from hypothesis import strategies as st

from govflow.definitions.cycles import distances
from govflow.definitions.definition import Definition
from govflow.errors import DecisionRefused, InvalidRecord, NotAuthorised
from govflow.model.body import Body
from govflow.model.decision import Decision, Delegation, Source, Target
from govflow.model.kind import DecisionKind, Kind, Position
from govflow.model.terms import Terms, identifier
from govflow.model.when import When
from govflow.rules.explain import Option
from govflow.rules.kinds import check_delegation
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.parts import led_to
from govflow.testing.aside import aside
from govflow.testing.awaited import (
    SOME_MEETING,
    awaited,
    counts_against,
    default_terms,
    guessed,
    kinds_of,
    settled,
)
from govflow.testing.mistakes import MISTAKES, mistake

if TYPE_CHECKING:
    from govflow.registry import Registry

__all__ = ["MISTAKES", "Walker"]

_LAST_DAY = dt.date.max  # the last day a walk dates a decision: the calendar's

#: Reasons no decision can meet.
_CLOSED = frozenset({"came_from_elsewhere", "too_late", "date_out_of_range"})

#: What to do about an argument a walk cannot be drawn with.
AGAIN = "call walks (or Walker) with another"

#: The days between one decision and the next, drawn alike.
_STEPS = (0, 0, 0, 0, 0, 0, 1, 1, 2, 7, 30)


#: The days a walk may start on: it moves forward by years, and back a little.
_FIRST, _LAST = dt.date(1000, 1, 1), dt.date(8999, 12, 31)


@attrs.define
class Walker:
    """Draws the next decision for a registry, as its explanations say.

    Attributes:
        lifecycle: The model the decisions are for.
        bodies: The ids of the bodies to walk.
        terms: The terms each body is proposed with.
        invalid: The share of steps that are wrong on purpose (0 to 1).
        unusual: The share of steps aside that are unusual (0 to 1; see ``aside``).
        start: The day the walk's dates count from (given as ``None``: the first day a
            delegation given is in force, else 1 January 2020).
    """

    lifecycle: Lifecycle
    bodies: Sequence[str] = ("b0",)
    #: The terms given (``None``: :func:`default_terms` for the bodies, once they are checked).
    given_terms: Terms | None = attrs.field(default=None, alias="terms")
    invalid: float = 0.1
    given_start: dt.date | None = attrs.field(default=None, alias="start")
    start: dt.date = attrs.field(init=False)
    #: The terms each body is proposed with.
    terms: Terms = attrs.field(init=False)
    #: Delegations in force on each body from its proposal on, as (delegator,
    #: delegation): a model file's (``Definition.delegations``).
    delegations: Sequence[tuple[str, Delegation]] = ()
    unusual: float = 0.0
    count: int = attrs.field(default=0, init=False)
    day: dt.date = attrs.field(init=False)
    used: list[str] = attrs.field(factory=list, init=False)
    known: dict[str, Body] = attrs.field(factory=dict, init=False)
    #: Each body's state to head for, drawn afresh when reached.
    goals: dict[str, str] = attrs.field(factory=dict, init=False)
    paths: dict[tuple[str, bool], dict[str, int]] = attrs.field(factory=dict, init=False)
    #: Each body's state when its next step was last drawn.
    arrived: dict[str, str] = attrs.field(factory=dict, init=False)
    #: The lifecycle with the delegations: what records them after each proposal.
    model: Definition = attrs.field(init=False)

    @property
    def _states(self) -> list[str]:
        return [s.name for s in self.lifecycle.states if s.name != self.lifecycle.initial]

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.lifecycle, Lifecycle):
            raise InvalidRecord("walks", "lifecycle", "a Lifecycle", self.lifecycle, AGAIN)
        for field in ("invalid", "unusual"):  # any real number (numpy's too), as a float
            share = getattr(self, field)
            if isinstance(share, bool) or not isinstance(share, Real) or not 0 <= float(share) <= 1:
                wanted = "a share from 0 to 1 (a number: an int, a float; not a bool)"
                raise InvalidRecord("walks", field, wanted, share, AGAIN)
            setattr(self, field, float(share))
        if self.given_terms is not None and type(self.given_terms) is not Terms:
            raise InvalidRecord("walks", "terms", "None or a Terms", self.given_terms, AGAIN)
        start = self.given_start
        if start is not None and (type(start) is not dt.date or not _FIRST <= start <= _LAST):
            expected = f"None or a datetime.date from {_FIRST} to {_LAST}"
            raise InvalidRecord("walks", "start", expected, start, AGAIN)
        bodies = self.bodies
        ids = isinstance(bodies, Sequence) and not isinstance(bodies, str) and bool(bodies)
        try:  # each an id a decision may name
            for body in bodies if ids else ():
                identifier(self, attrs.fields(Body).id, body)
        except InvalidRecord:
            ids = False
        if not ids or len(set(bodies)) != len(bodies):
            expected = (
                "a non-empty list of distinct body ids (texts without NUL or lone surrogates)"
            )
            raise InvalidRecord("walks", "bodies", expected, bodies, AGAIN)
        self.bodies = tuple(bodies)
        given = self.given_terms
        self.terms = default_terms(self.lifecycle, self.bodies) if given is None else given
        try:
            self.model = Definition(self.lifecycle, delegations=self.delegations)  # checks them
        except InvalidRecord as error:
            raise InvalidRecord(
                "walks", "delegations", error.expected, error.received, AGAIN
            ) from None
        first = min((d.start for _, d in self.model.delegations), default=dt.date(2020, 1, 1))
        self.start = min(max(first, _FIRST), _LAST) if start is None else start
        self._delegable()
        if not any(self.actors(Kind.PROPOSE, body) for body in self.bodies):
            raise InvalidRecord(
                "walks",
                "lifecycle",
                "a lifecycle in which some declared authority may propose one of the bodies "
                f"{list(self.bodies)} (else every decision of a walk is refused)",
                self.lifecycle.name,
                AGAIN,
            )
        self.day = self.start

    def _delegable(self) -> None:
        """Check that each delegation given is one its delegator may make, on every body.

        Raises:
            InvalidRecord: One is not (a clean walk would then hold refused delegations).
        """
        declared = self.lifecycle.authorities
        if declared is None:  # without declared authorities, anyone may delegate anything
            return
        for number, (by, delegation) in enumerate(self.delegations):
            for body in self.bodies:
                decision = Decision(
                    id=f"delegations[{number}]", body=body, kind=Kind.DELEGATE, actor=by,
                    decided=When.on(self.start), source=Source("walks"), delegation=delegation,
                )  # fmt: skip
                why = None if by in declared else f"{by!r} is no declared authority"
                try:
                    if why is None:
                        check_delegation(declared, decision)
                except NotAuthorised as refused:
                    why = str(refused)
                if why:
                    wanted = "delegations the lifecycle's authorities may make"
                    raise InvalidRecord("walks", f"delegations[{number}]", wanted, why, AGAIN)

    # Who may decide ---------------------------------------------------------------

    def actors(self, kind: DecisionKind, body: str) -> list[str]:
        """The authorities that hold ``kind`` for ``body`` (any name, without authorities).

        Those that hold it by a delegation in force on the body, on the walk's day, too.
        """
        declared = self.lifecycle.authorities
        if declared is None:
            return list(self.terms.partners)
        holding = [a.name for a in declared.values() if a.holds(kind, body)]
        return holding + [d for d in self._delegated(kind, body) if d not in holding]

    def _delegated(self, kind: DecisionKind, body: str) -> list[str]:
        """The declared authorities a delegation in force on ``body`` lets take ``kind``."""
        declared, current = self.lifecycle.authorities or {}, self.known.get(body)
        return [
            given.delegation.to
            for given in (() if current is None else current.delegations)
            if given.delegation is not None
            and given.delegation.to in declared
            and kind in given.delegation.kinds
            and given.delegation.covers(When.on(self.day))
        ]

    def speaker(self, name: str, kind: DecisionKind, body: str) -> tuple[str, str | None] | None:
        """An actor that speaks for ``name`` with ``kind``: (actor, on_behalf_of)."""
        declared = self.lifecycle.authorities
        if declared is None:
            return name, None
        own = declared.get(name)
        if own is not None and (own.holds(kind, body) or name in self._delegated(kind, body)):
            return name, None
        for authority in declared.values():
            if authority.organisation == name and authority.holds(kind, body):
                return authority.name, None
        return None

    # Drawing ------------------------------------------------------------------------

    def draw(self, draw: st.DrawFn, registry: Registry) -> Decision:
        """The next decision for ``registry``: valid most of the time."""
        body = draw(st.sampled_from(self.bodies))
        self.known = dict(registry.bodies)
        current = registry.bodies.get(body)
        # Mostly the same day or the next few (a guard's window may be short), now and
        # then weeks on (for dates a guard waits for).
        step = dt.timedelta(days=draw(st.sampled_from(_STEPS)))
        self.day = self.day + step if self.day < _LAST_DAY - step else _LAST_DAY
        # Wrong on purpose at the top of the draw's range: shrunk, it goes to 0, a valid
        # decision (a failing run's report then holds the mistakes it needs, no others).
        if self.invalid and draw(st.integers(0, 999)) >= 1000 - self.invalid * 1000:
            log = list(registry.log)
            options = registry.explain(body, When.on(self.day)).options if current else ()
            blocked = [o.trigger for o in options if not o.possible]
            last_id = log[-1].decision.id if log else None
            return mistake(self, draw, blocked=blocked, last_id=last_id, body=body, current=current)
        if current is None:
            return self._propose(draw, body)
        return self._onward(draw, registry, current)

    def needs(self, kind: DecisionKind, body: Body | None) -> dict[str, object]:
        """The fields a decision of ``kind`` cannot do without."""
        terms = self.terms if body is None else body.terms
        earlier = self.used[0] if self.used else "w0"
        needs: dict[Kind, dict[str, object]] = {
            Kind.PROPOSE: {"terms": terms, "trigger": None},
            Kind.AMEND: {"terms": attrs.evolve(terms, version=terms.version + 1)},
            Kind.RECOMMEND: {"to": "the board"},
            Kind.HOLD_MEETING: {"meeting": SOME_MEETING},
            Kind.DELEGATE: {
                "delegation": Delegation(to="someone", kinds=(Kind.NOTE,), start=self.day)
            },
            Kind.RATIFY: {"ratifies": (earlier,)},
            Kind.TARGET: {"target": Target(self.lifecycle.initial, When.year(self.day.year))},
            Kind.RESCIND: {"supersedes": earlier, "trigger": None},
            Kind.REVOKE: {"supersedes": earlier, "trigger": None},
            Kind.NOTE: {"reasons": ("a note",), "trigger": None},
        }
        return needs.get(kind, {}) if isinstance(kind, Kind) else {}

    def decision(self, body: str, kind: DecisionKind, actor: str, **fields: object) -> Decision:
        """A decision with the next id and the fields its kind needs, dated today."""
        self.count += 1
        ident = f"w{self.count}"
        self.used.append(ident)
        fields.setdefault("decided", When.on(self.day))
        for key, value in self.needs(kind, self.known.get(body)).items():
            if key == "trigger":
                fields["trigger"] = None
            else:
                fields.setdefault(key, value)
        source, given = Source("generated", f"step {self.count}"), cast("dict[str, Any]", fields)
        return Decision(id=ident, body=body, kind=kind, actor=actor, source=source, **given)

    def _propose(self, draw: st.DrawFn, body: str) -> Decision:
        actors = self.actors(Kind.PROPOSE, body) or ["proposer"]
        return self.decision(body, Kind.PROPOSE, draw(st.sampled_from(actors)), terms=self.terms)

    def _onward(self, draw: st.DrawFn, registry: Registry, body: Body) -> Decision:
        every = registry.explain(body.id, When.on(self.day)).options
        # Leave aside the ways no decision can open (the body came from elsewhere, a
        # time ran out), unless there is no other.
        options = [o for o in every if not {r.code for r in o.reasons} & _CLOSED] or every
        if not options:  # a final state: only notes remain
            return self._note(draw, body)
        goal = self.goals.get(body.id)
        final = self.lifecycle.final
        ends = [
            o.dest
            for o in options
            if o.dest in final and led_to(self.lifecycle, o.dest) == {body.state}
        ]
        arrived = self.arrived.get(body.id) != body.state
        self.arrived[body.id] = body.state
        if arrived and ends and draw(st.integers(0, 4)) == 0:
            # On arriving where an end only this state leads to can be reached (a motion
            # defeated, a proposal rejected), now and then head for it: a walk aiming
            # deeper would pass it by every time.
            goal = self.goals[body.id] = draw(st.sampled_from(ends))
        accepted = self.lifecycle.accepting.get(body.state, frozenset())
        if draw(st.integers(0, 9)) == 9:  # noqa: PLR2004 - now and then (shrunk: never)
            decision = aside(self, draw, body, accepted)  # one no guard waits for
            if decision is not None:
                return decision
        if goal is None or goal == body.state:
            # Unseen states first, and an end only now and then: it ends the walk.
            final = self.lifecycle.final
            unseen = [s for s in self._states if s not in body.history and s not in final]
            if draw(st.integers(0, 4)) == 4:  # noqa: PLR2004 - back to one seen (a review again)
                seen = [s.name for s in self.lifecycle.states if s.name in body.history]
                unseen = [s for s in seen if s != body.state and s not in final] or unseen
            elif not unseen or draw(st.integers(0, 9)) == 0:
                unseen = [s for s in self._states if s not in body.history] or self._states
            unseen = unseen or [body.state]  # a lifecycle of one state: nowhere else to go
            if draw(st.booleans()):  # half the time, the deepest: the walk passes the rest
                depth = self._distances(self.lifecycle.initial, forward=True)
                deepest = max(depth.get(s, 0) for s in unseen)
                unseen = [s for s in unseen if depth.get(s, 0) == deepest]  # each, if tied
            goal = self.goals[body.id] = draw(st.sampled_from(unseen))
        option = self._toward(draw, options, goal)
        if option.possible:  # unless, taken, the decision asking would close it (an amendment)
            return settled(registry, self.asking(draw, body, option.trigger, accepted))
        for reason in option.reasons:
            decision = awaited(self, draw, body, reason, option.trigger, accepted)
            if decision is not None:
                return settled(registry, decision)
        guess = guessed(self, draw, body, option.trigger, accepted)  # for a guard of your own
        if guess is not None:
            guess = settled(registry, guess)
            with contextlib.suppress(DecisionRefused):  # not by this actor, or not now: a note
                registry.explain(body.id, guess.decided, assuming=guess)
                return guess
        return self._note(draw, body)

    def _toward(self, draw: st.DrawFn, options: Sequence[Option], goal: str) -> Option:
        """The option that leads nearest to ``goal``, most of the time; else any."""
        # Now and then a detour, but not to an end not aimed for (at 9: shrunk, none).
        if draw(st.integers(0, 9)) == 9:  # noqa: PLR2004
            detours = [o for o in options if o.dest not in self.lifecycle.final]
            return draw(st.sampled_from(detours or options))
        far = self._distances(goal)
        nearest = min(far.get(o.dest, len(far) + 1) for o in options)
        return draw(st.sampled_from([o for o in options if far.get(o.dest) == nearest] or options))

    def _distances(self, goal: str, *, forward: bool = False) -> dict[str, int]:
        """Each state's number of transitions to ``goal`` (from it, when ``forward``)."""
        if (goal, forward) not in self.paths:
            self.paths[goal, forward] = distances(self.lifecycle, goal, forward=forward)
        return self.paths[goal, forward]

    def asking(
        self, draw: st.DrawFn, body: Body, trigger: str, accepted: frozenset[DecisionKind]
    ) -> Decision:
        """A decision that asks for ``trigger``, of a kind its guards count if one fits.

        An amendment comes last: taken, it voids the decisions on the terms before it,
        which the same guards may count.
        """
        kinds = [k for k in self.guard_kinds(body.state, trigger) if k in accepted]
        kinds = kinds or sorted(accepted, key=lambda k: k.value)
        for kind in sorted(kinds, key=lambda k: k is Kind.AMEND):
            actors = self.actors(kind, body.id)
            if actors:
                # A vote that asks is counted too: for a guard that counts votes against
                # (a defeat), it votes against, or it would tip the tally the other way.
                against = counts_against(self.lifecycle, body.state, trigger)
                fields = {"position": Position.AGAINST} if against else {}
                return self.decision(
                    body.id, kind, draw(st.sampled_from(actors)), trigger=trigger, **fields
                )
        return self._note(draw, body)

    def guard_kinds(self, state: str, trigger: str) -> list[DecisionKind]:
        """The kinds of decision the guards of ``trigger`` out of ``state`` count."""
        transition = self.lifecycle.table.get((state, trigger))
        guards = () if transition is None else transition.guards
        return [k for g in guards for k in kinds_of(g)]

    def by_one_of(
        self,
        draw: st.DrawFn,
        body: Body,
        kind: DecisionKind,
        accepted: frozenset[DecisionKind],
        **fields: object,
    ) -> Decision | None:
        """A decision of ``kind`` by any authority that holds it, or ``None``."""
        actors = self.actors(kind, body.id)
        if kind not in accepted or not actors:
            return None
        return self.decision(body.id, kind, draw(st.sampled_from(actors)), **fields)

    def _note(self, draw: st.DrawFn, body: Body) -> Decision:
        actors = self.actors(Kind.NOTE, body.id) or list(self.terms.partners)
        return self.decision(body.id, Kind.NOTE, draw(st.sampled_from(actors)), reasons=("a note",))
