"""What a blocked transition awaits, as a decision: the walk's main step; who can give it.

Each unmet reason an explanation gives (``govflow.guards``' reason codes) is met by a
decision drawn here: a decision of the kind a guard counts by an authority it names (or
one of that organisation), a nomination, a vote, a meeting, a ratification, an
amendment giving a parameter the guard lacks; for a guard of your own, whose reasons
say nothing a walk can read, a guess (``guessed``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
from hypothesis import strategies as st

from govflow.errors import DecisionRefused, require
from govflow.guards.counting import DecidedBy, Nominations
from govflow.guards.votes import Votes
from govflow.model.body import Body
from govflow.model.decision import Decision
from govflow.model.kind import DecisionKind, Kind, Position
from govflow.model.terms import Terms
from govflow.model.verdict import Reason
from govflow.rules.lifecycle import Lifecycle
from govflow.testing.aside import dated, unusual

if TYPE_CHECKING:
    from govflow.registry import Registry
    from govflow.testing.walk import Walker

#: The meeting a ``hold_meeting`` decision names when a guard waits on none in particular.
SOME_MEETING = "meeting"

#: What a walk gives a parameter a guard lacks, by what the guard wants
#: (``govflow.guards``' ``parameter_missing`` reasons); a day is the walk's day.
_GIVEN: dict[str, object] = {"a whole number of 1 or more": 1, "a whole number of days": 1}

#: The most nominees one nomination of a walk names: a partner with more seats is
#: nominated for in turns (terms of 10^9 seats would otherwise build 10^9 names).
NOMINEES = 50

#: Votes drawn mostly for, so that a motion needing a large majority can pass.
_POSITIONS = (
    Position.FOR,
    Position.FOR,
    Position.FOR,
    Position.FOR,
    Position.AGAINST,
    Position.ABSTAIN,
)
#: The positions a guessed decision takes: none first, then mostly for.
_GUESSED = (None, *_POSITIONS)
#: Votes drawn mostly against, for a guard whose rules count votes against (a defeat).
_AGAINST = (
    Position.AGAINST,
    Position.AGAINST,
    Position.AGAINST,
    Position.AGAINST,
    Position.FOR,
    Position.ABSTAIN,
)


def awaited(  # noqa: PLR0911, PLR0917 - one answer per kind of unmet reason
    self: Walker,
    draw: st.DrawFn,
    body: Body,
    reason: Reason,
    trigger: str,
    accepted: frozenset[DecisionKind],
) -> Decision | None:
    """A decision that meets ``reason``, or ``None`` when none can be drawn."""
    params = dict(reason.params)
    code = reason.code
    if code == "awaiting_meeting":
        kind = Kind.HOLD_MEETING
        actors = self.actors(kind, body.id)
        if kind not in accepted or not actors:
            return None
        meeting = str(params.get("meeting", SOME_MEETING))
        return self.decision(body.id, kind, draw(st.sampled_from(actors)), meeting=meeting)
    if code == "guard_error":  # ask anyway: the guard's own exception shows the bug
        return self.asking(draw, body, trigger, accepted)
    if code == "too_early":  # one of your own so coded may give no day: as unreadable
        day = _day(params.get("not_before"))
        self.day = self.day if day is None else max(self.day, day)
        return None
    if code == "parameter_missing":
        name, wanted = str(params.get("parameter")), str(params.get("wanted", ""))
        values: dict[str, object] = {
            p.name: next(v for v in (p.day, p.number, p.text) if v is not None)
            for p in body.terms.parameters
        }
        values[name] = _GIVEN.get(wanted, self.day)
        terms = attrs.evolve(body.terms, version=body.terms.version + 1, parameters=values)
        return self.by_one_of(draw, body, Kind.AMEND, accepted, terms=terms)
    if code == "unratified":
        listed = params.get("decisions", ())
        ratifies = tuple(listed) if isinstance(listed, tuple) else (str(listed),)
        return self.by_one_of(draw, body, Kind.RATIFY, accepted, ratifies=ratifies)
    if params.get("closed"):  # its window closed: no decision drawn now counts
        return None
    names_of = {
        "awaiting_decisions": "missing",
        "awaiting_nominations": "missing",
        "awaiting_votes": "not_voted",
    }
    if code not in names_of:
        return None
    names = params.get(names_of[code], ())
    names = names if isinstance(names, tuple) else ()
    kinds = params.get("kinds", ("nominate",) if code == "awaiting_nominations" else ())
    kinds = kinds if isinstance(kinds, tuple) else ()
    if code == "awaiting_votes" and not kinds:
        kinds = tuple(k.value for k in self.guard_kinds(body.state, trigger))
    for name in draw(st.permutations(names)) if names else ():
        decision = _from(self, draw, body, str(name), kinds, accepted, reason, trigger)
        if decision is not None:
            return decision
    return None


def _day(value: object) -> dt.date | None:
    """``not_before`` as a day (``not_before``'s reasons give one), or ``None``."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _from(  # noqa: PLR0917 - one awaited name and what drawing its decision needs
    self: Walker,
    draw: st.DrawFn,
    body: Body,
    name: str,
    kinds: tuple[object, ...],
    accepted: frozenset[DecisionKind],
    reason: Reason,
    trigger: str,
) -> Decision | None:
    """A decision of one of ``kinds`` that speaks for ``name``, or ``None``."""
    for value in kinds:
        kind = _kind_named(self.lifecycle, str(value))
        speaker = None if kind not in accepted else self.speaker(name, kind, body.id)
        if kind is None or speaker is None:
            continue
        fields: dict[str, object] = {"on_behalf_of": speaker[1]}
        fills = True  # whether this decision gives all that is awaited from ``name``
        if kind is Kind.NOMINATE:
            named = dict(reason.params).get("named", 0)  # a partner short of its seats
            named = named if type(named) is int and named >= 0 else 0
            seats = max(body.terms.seats_of(name) or 1, named + 1)
            more = min(seats - named, NOMINEES)
            fields["nominees"] = tuple(f"{name} member {n}" for n in range(named, named + more))
            fills = named + more >= seats
        if reason.code == "awaiting_votes":
            against = dict(reason.params).get("wants") == "against"
            fields["position"] = draw(st.sampled_from(_AGAINST if against else _POSITIONS))
        if fills and _last_awaited(reason.code, dict(reason.params)) and draw(st.booleans()):
            fields["trigger"] = trigger  # the last one awaited may carry the trigger
        return self.decision(body.id, kind, speaker[0], **fields)
    return None


def _last_awaited(code: str, params: Mapping[str, object]) -> bool:
    """Whether one more decision meets the reason (so it may ask for the trigger too)."""
    if code == "awaiting_decisions":
        needed, have = params.get("needed"), params.get("have")
        return isinstance(needed, int) and isinstance(have, int) and needed - have == 1
    missing = params.get("missing", ())
    return code == "awaiting_nominations" and isinstance(missing, tuple) and len(missing) == 1


def _kind_named(lifecycle: Lifecycle, value: str) -> DecisionKind | None:
    for kind in lifecycle.kinds:
        if kind.value == value:
            return kind
    return None


def counts_against(lifecycle: Lifecycle, state: str, trigger: str) -> bool:
    """Whether a guard of ``trigger`` out of ``state`` counts votes against only."""
    transition = lifecycle.table.get((state, trigger))
    guards = () if transition is None else transition.guards
    return any(type(g) is Votes and g.wants == "against" for g in guards)


def default_terms(lifecycle: Lifecycle, bodies: Sequence[str] | None = None) -> Terms:
    """Terms whose partners are the organisations that can take what every partner must.

    Each must decide, by an authority, one of the kinds each guard waits for from every
    partner (``every_partner``, nominations), or walks stay in their first states; without
    such guards, those that may ``agree``; else all; ``A``, ``B`` with none declared.
    Given ``bodies``, only the powers an authority holds for one of them count (an
    authority may name the bodies it decides for).

    Raises:
        InvalidRecord: ``lifecycle`` is not a Lifecycle, or ``bodies`` not body ids.
    """
    fits = isinstance(lifecycle, Lifecycle)
    require(fits, "default_terms", "lifecycle", "a Lifecycle", lifecycle)
    ids = bodies is None or (
        isinstance(bodies, Sequence)
        and not isinstance(bodies, str)
        and all(type(b) is str for b in bodies)
    )
    require(ids, "default_terms", "bodies", "None, or a list of body ids", bodies)
    waited: set[frozenset[DecisionKind]] = set()  # one of each guard's kinds counts
    for guard in (g for t in lifecycle.transitions for g in t.guards):
        if isinstance(guard, DecidedBy) and guard.authorities is None and guard.at_least is None:
            waited.add(frozenset(guard.kinds))
        elif isinstance(guard, Nominations):
            waited.add(frozenset({Kind.NOMINATE}))
    powers: dict[str, set[DecisionKind]] = {}
    for authority in (lifecycle.authorities or {}).values():
        scope = authority.bodies
        if bodies is None or scope is None or not scope.isdisjoint(bodies):
            powers.setdefault(authority.organisation, set()).update(authority.may)
    needs = waited or {frozenset({Kind.AGREE})}
    partners = sorted(o for o, may in powers.items() if all(may & k for k in needs))
    partners = partners or sorted(powers) or ["A", "B"]
    return Terms(title="a board", partners=tuple(partners))


def guessed(
    self: Walker,
    draw: st.DrawFn,
    body: Body,
    trigger: str,
    accepted: frozenset[DecisionKind],
) -> Decision | None:
    """For reasons a walk cannot read, a decision of a kind they may await, or ``None``.

    A guard of your own that returns ``False`` (or reasons of its own codes) says
    nothing of what it waits for: a walk that only noted would never pass it. This is
    a decision, asking for ``trigger``, of a kind the state accepts that needs no
    particular field, that some authority holds and that no guard of govflow's counts
    (if there is none, one of those half the time), by an authority that holds it.
    """
    known = self.known.get(body.id)
    plain = [  # a kind no authority holds would only be refused, and a note drawn instead
        k
        for k in accepted
        if k != Kind.NOTE and not self.needs(k, known) and self.actors(k, body.id)
    ]
    # Kinds no guard the walk can read counts are those a guard of your own may await.
    counted = {k for t in self.lifecycle.transitions for g in t.guards for k in kinds_of(g)}
    uncounted = sorted((k for k in plain if k not in counted), key=lambda k: k.value)
    guessing: bool = bool(uncounted) or (bool(plain) and draw(st.booleans()))
    if not guessing:
        return None
    kind = draw(st.sampled_from(uncounted or sorted(plain, key=lambda k: k.value)))
    # A position now and then: a guard of your own may count votes (shrunk: none).
    position = draw(st.sampled_from(_GUESSED))
    fields = {"decided": dated(self, draw)} if unusual(self, draw) else {}  # a month, say
    return self.by_one_of(draw, body, kind, accepted, trigger=trigger, position=position,
                          **fields)  # fmt: skip


def kinds_of(guard: object) -> tuple[DecisionKind, ...]:
    """The kinds of decision a guard of govflow's counts; none for one of your own."""
    kinds = getattr(guard, "kinds", ())
    return kinds if isinstance(kinds, tuple) else ()


def settled(registry: Registry, decision: Decision) -> Decision:
    """``decision``, less the trigger it asks for unless, taken, it would open it.

    A decision meeting one unmet reason may carry the trigger only when no other
    reason stays unmet: else a clean walk (``invalid=0``) would be refused. A guard
    that errs is asked anyway: its own exception shows the bug.
    """
    if decision.trigger is None:
        return decision
    plain = attrs.evolve(decision, trigger=None)
    try:
        after = registry.explain(decision.body, decision.decided, assuming=plain)
    except DecisionRefused:  # not even the decision itself is taken
        return plain
    unmet = after.blocked.get(decision.trigger, ())
    opens = not unmet or any(r.code == "guard_error" for r in unmet)
    return decision if opens else plain
