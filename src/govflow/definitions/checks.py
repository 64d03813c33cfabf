"""Static checks of a model that builds: mistakes no single key shows, found as warnings.

Each finding names what it is about by key path, so ``govflow check`` can give its line.
The checks, and what each catches:

* ``no_way_out``: a state that is not final has no transition out of it.
* ``nobody_may``: a guard waits for an authority's decision of kinds that no declared
  authority of that name or organisation may take, and no delegation in the file gives;
  for a guard that counts the body's partners (``every_partner``, ``any_partner``,
  nominations, a tally of the partners), too few of the file's terms' partners can (for
  a tally, fewer than the most votes its rules count, or the terms name fewer partners).
* ``backwards_window``: a window whose start and end are days in the history of the
  same state or decision, with the end before the start (dated windows are refused
  when they are built).
* ``kind_never_accepted``: a guard counts a kind no state accepts (with ``accepts``).
* ``never_passes``: a transition with one of the guards above that cannot pass.
* ``partner_unknown``: a partner of the file's terms is no declared authority's name or
  organisation, and no delegation names it: no decision can speak for it.
* ``one_vote_passes``: a ``votes`` guard of several voters (or the partners) whose only
  rules are ``majority``, ``share`` or ``majority_against``, with no ``quorum``,
  ``for_at_least`` or ``against_at_least``: a single vote passes it.
* ``votes_counted_again``: a ``votes`` guard without ``since_entered`` or a window from
  entering a state, on a transition out of a state the body can come back to: votes
  taken there before count again.
* ``decisions_counted_again``: a ``decided_by`` or ``every_partner`` guard without either,
  on a transition the body can take again, counting kinds that do not all bind to the
  terms: the decisions that took it once take it again.
* ``delegations_refused``: the file gives delegations and the initial state does not
  accept ``delegate``: ``govflow run`` records them after each proposal, and is refused.
* ``parameter_unknown``: a guard reads a parameter (``{param = {name = ...}}``) the
  file's terms do not give, or give as another type (a text where a day is read).
* ``ratification_lost``: every transition out of a provisional state leads to a final
  state, and none has a ``ratified`` guard: resolutions taken provisionally can then
  never be ratified (a final state accepts only corrections).
* ``unreachable``: a final state, or a state a hoped-for date could name, that no path
  from the initial state reaches once transitions that can never pass are left out.
* ``no_end``: no final state is reachable from the initial state that way.
* ``anyone_may``: with authorities declared, a transition none of whose guards counts
  who decided (``decided_by``, ``every_partner``, ``votes``, nominations; a custom guard
  may, and is let be): any authority's decision of a kind the state accepts takes it.
* ``look_alike``: two states whose names differ only in how they are written (Unicode
  normalisation, or case), or a state's name that mixes Latin letters with Cyrillic or
  Greek ones: decisions and files that mean one state may name the other. The names are
  shown escaped, so that the difference shows.

What none can find: whether real decisions will ever be taken; a custom guard's logic
(it is treated as able to pass); dates that depend on a body's history (a window
between two different anchors, a parameter's value), or counts whose authorities are
the body's partners, which only its terms name.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from difflib import get_close_matches
from typing import TYPE_CHECKING

import attrs

from govflow.definitions.cycles import counted_again, reached
from govflow.errors import article
from govflow.guards import dates, windows
from govflow.guards.conditions import Ratified
from govflow.guards.counting import DecidedBy, Nominations
from govflow.guards.protocol import Named
from govflow.guards.votes import Votes, most_counted
from govflow.model.kind import DecisionKind, Kind
from govflow.rules.parts import PREVIOUS
from govflow.rules.vocabulary import built_in, guard_values

if TYPE_CHECKING:
    from govflow.definitions.definition import Definition
    from govflow.rules.lifecycle import Lifecycle

Path = tuple[str | int, ...]


@attrs.frozen
class Finding:
    """A warning about a model: what kind, where (key path), and why."""

    code: str
    path: Path
    message: str


def findings(model: Definition) -> list[Finding]:
    """Every warning the static checks find in ``model``."""
    lifecycle = model.lifecycle
    found: list[Finding] = []
    leaving = {s for t in lifecycle.transitions for s in t.sources}
    for number, state in enumerate(lifecycle.states):
        if state.name not in lifecycle.final and state.name not in leaving:
            message = f"state {state.name!r} is not final, and no transition leaves it"
            found.append(Finding("no_way_out", ("states", number), message))
    accepted = set().union(*lifecycle.accepting.values()) if lifecycle.accepting else set()
    dead = set()
    explicit = lifecycle_accepts(model)
    for number, transition in enumerate(lifecycle.transitions):
        for index, guard in enumerate(transition.guards):
            path: Path = ("transitions", number, "guards", index)
            problems = [
                *_nobody_may(guard, model, path),
                *_backwards(guard, path),
                *_never_accepted(guard, accepted, path, explicit=explicit),
            ]
            found.extend([*problems, *_one_vote(guard, path), *_parameters(guard, model, path)])
            if problems:
                dead.add(number)
                message = f"transition {transition.trigger!r} can never pass: {problems[0].message}"
                found.append(Finding("never_passes", ("transitions", number), message))
    found.extend(_unratifiable(lifecycle))
    found.extend(Finding(*counted) for counted in counted_again(lifecycle))
    found.extend(_reach(model, dead))
    found.extend(_unvoiced(model))
    found.extend(_anyone_may(lifecycle))
    found.extend(_look_alike(lifecycle))
    if model.delegations and Kind.DELEGATE not in lifecycle.accepting[lifecycle.initial]:
        message = (
            f"the initial state {lifecycle.initial!r} does not accept 'delegate': the file's "
            "delegations, recorded after each proposal, would be refused"
        )
        found.append(Finding("delegations_refused", ("delegations",), message))
    return found


#: What a parameter read in each field of a built-in guard must be, by the field's name.
_WANTED: dict[str, tuple[type, str]] = {
    "for_at_least": (int, "a whole number"),
    "against_at_least": (int, "a whole number"),
    "quorum": (int, "a whole number"),
    "days": (int, "a whole number of days"),
}


def _parameters(guard: object, model: Definition, path: Path) -> list[Finding]:
    """The parameters ``guard`` reads that the file's terms lack, or give as another type."""
    terms = model.terms
    if terms is None:
        return []
    given = {p.name: p for p in terms.parameters}
    found = []
    for name, (kind, wanted) in sorted(_read_params(guard).items()):
        parameter = given.get(name)
        if parameter is None:
            near = get_close_matches(name, sorted(given), 1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            message = (
                f"a guard reads the parameter {name!r}, which the file's terms do not give{hint}"
            )
            found.append(Finding("parameter_unknown", path, message))
            continue
        value = parameter.value
        if type(value) is not kind:
            message = (
                f"a guard reads the parameter {name!r} as {wanted}; the file's terms give {value!r}"
            )
            found.append(Finding("parameter_unknown", path, message))
    return found


def _read_params(guard: object) -> dict[str, tuple[type, str]]:
    """The parameters a built-in guard reads, each with what it must be, by its field."""
    return {
        value.name: _WANTED.get(field, (dt.date, "a day"))
        for record, field, value in guard_values(guard)
        if isinstance(value, dates.Param) and (record is None or built_in(record))
    }


def _unratifiable(lifecycle: Lifecycle) -> list[Finding]:
    """Provisional states every way out of which ends the body without waiting to ratify.

    Resolutions taken there are ratified in a state after it that is not final, or
    before leaving it (a ``ratified`` guard); a final state accepts only corrections.
    """
    found = []
    for state in sorted(lifecycle.provisional):
        out = [(n, t) for n, t in enumerate(lifecycle.transitions) if state in t.sources]
        ratifying = any(type(g) is Ratified for _, t in out for g in t.guards)
        if out and not ratifying and all(t.dest in lifecycle.final for _, t in out):
            number, t = out[0]
            message = (
                f"every way out of the provisional state {state!r} ends the body ({t.trigger!r} "
                f"to {t.dest!r}) and none waits for ratified: resolutions taken there could "
                "never be ratified (a final state accepts only corrections)"
            )
            found.append(Finding("ratification_lost", ("transitions", number), message))
    return found


def _unvoiced(model: Definition) -> list[Finding]:
    """The terms' partners no authority, and no delegation, speaks for."""
    authorities = model.lifecycle.authorities
    if authorities is None or model.terms is None:
        return []
    voices = {n for a in authorities.values() for n in (a.name, a.organisation)}
    voices |= {d.to for _, d in model.delegations}
    found = []
    for number, partner in enumerate(model.terms.partners):
        if partner not in voices:
            near = get_close_matches(partner, sorted(voices), 1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            message = f"partner {partner!r} is no authority's name or organisation{hint}"
            found.append(Finding("partner_unknown", ("terms", "partners", number), message))
    return found


def _look_alike(lifecycle: Lifecycle) -> list[Finding]:
    """The states whose names one could take for another's (see the module docstring)."""
    found: list[Finding] = []
    seen: dict[str, str] = {}
    for number, state in enumerate(lifecycle.states):
        name = state.name
        key = unicodedata.normalize("NFKC", name).casefold()
        if key in seen:
            message = f"state {name!a} is written like state {seen[key]!a}"
            found.append(Finding("look_alike", ("states", number), message))
        seen.setdefault(key, name)
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in name if c.isalpha()}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            mixed = " and ".join(sorted(s.title() for s in scripts & _SCRIPTS))
            message = f"state {name!a} mixes {mixed} letters that look alike"
            found.append(Finding("look_alike", ("states", number), message))
    return found


#: The scripts whose letters a Latin name is read as when they look alike.
_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})


def _anyone_may(lifecycle: Lifecycle) -> list[Finding]:
    """With authorities declared, the transitions no guard says who may take."""
    if lifecycle.authorities is None:
        return []
    found = []
    for number, t in enumerate(lifecycle.transitions):
        if not any(isinstance(g, _WHO) or _custom(g) for g in t.guards):
            message = (
                f"transition {t.trigger!r} has no guard on who decides: any authority's "
                "decision of a kind the state accepts takes it; guard it with decided_by, "
                "every_partner or votes"
            )
            found.append(Finding("anyone_may", ("transitions", number), message))
    return found


#: The guards that count who decided.
_WHO = (DecidedBy, Votes, Nominations)


def _custom(guard: object) -> bool:
    """Whether ``guard`` is a user's own (named with ``guards.named`` or not)."""
    return isinstance(guard, Named) or not built_in(type(guard))


def _one_vote(guard: object, path: Path) -> list[Finding]:
    """A votes guard of several voters that counts only shares of those voting: one vote passes."""
    if not isinstance(guard, Votes) or guard.quorum is not None:
        return []
    if guard.voters is not None and len(guard.voters) < 2:  # noqa: PLR2004 - one voter is all
        return []
    if guard.for_at_least is not None or guard.against_at_least is not None:
        return []
    side = "against" if guard.majority_against else "for"
    counts = "against_at_least" if side == "against" else "for_at_least"
    message = (
        f"guard {guard.name!r} counts only a share of those voting: a single vote {side} "
        f"passes it; give quorum or {counts}"
    )
    return [Finding("one_vote_passes", path, message)]


def lifecycle_accepts(model: Definition) -> bool:
    """Whether the model says which kinds its states accept."""
    return "accepts" in model.lifecycle.describe()


def _nobody_may(guard: object, model: Definition, path: Path) -> list[Finding]:
    authorities = model.lifecycle.authorities
    if authorities is None or not isinstance(guard, DecidedBy | Votes | Nominations):
        return []
    kinds = (Kind.NOMINATE,) if isinstance(guard, Nominations) else guard.kinds
    names = guard.voters if isinstance(guard, Votes) else getattr(guard, "authorities", None)
    able = {d.to for _, d in model.delegations if set(kinds) & set(d.kinds)}
    for a in authorities.values():  # once each: a name's place is looked up, not searched
        if set(kinds) & set(a.may):
            able.update((a.name, a.organisation))
    said = ", ".join(k.value for k in kinds)
    if names is None:  # the body's partners: those of the file's terms, if it gives them
        partners = () if model.terms is None else model.terms.partners
        unable = [p for p in partners if p not in able]
        # How many must be able: as many as the guard counts (a tally: the most any of its
        # rules counts, else any one, since a majority or a share may be met by one).
        needed: int | None = getattr(guard, "at_least", None)
        if isinstance(guard, Votes):
            needed = most_counted(guard, model.terms) or 1
            if needed > len(partners) and model.terms is not None:
                message = (
                    f"the tally counts {needed} votes, and the file's terms name "
                    f"{len(partners)} partners to vote: no votes can meet it"
                )
                return [Finding("nobody_may", path, message)]
        if not unable or len(partners) - len(unable) >= (needed or len(partners)):
            return []
        return [
            Finding("nobody_may", path, f"no authority of the partner {p!r} may decide {said}, "
                    "and none is delegated it")
            for p in unable
        ]  # fmt: skip
    key = "authorities" if isinstance(guard, DecidedBy) else "voters"
    return [
        Finding("nobody_may", (*path, key, number),
                f"no authority {name!r} may decide {said}, and none is delegated it")
        for number, name in enumerate(names)
        if name not in able
    ]  # fmt: skip


def _backwards(guard: object, path: Path) -> list[Finding]:
    window = getattr(guard, "within", None)
    if not isinstance(window, windows.Window):
        return []
    start, end = window.start, window.end
    same = (
        isinstance(start, dates.Entered)
        and isinstance(end, dates.Entered)
        and start.state == end.state
    ) or (
        isinstance(start, dates.Decided)
        and isinstance(end, dates.Decided)
        and start.kinds == end.kinds
    )
    if same and _closes_first(start, end):  # type: ignore[arg-type]
        message = f"the window closes ({end}) before it opens ({start})"
        return [Finding("backwards_window", (*path, "within"), message)]
    return []


def _closes_first(start: dates.Entered | dates.Decided, end: dates.Entered | dates.Decided) -> bool:
    """Whether ``end``, on the same day as ``start``, certainly falls before it.

    A calendar month is 28 to 31 days: ``end`` is before when, at the most its months
    could add, it still is.
    """
    if not isinstance(start.days, int) or not isinstance(end.days, int):
        return False  # a number of days among the body's parameters: known only on a body
    months, days = end.months - start.months, end.days - start.days
    return (31 if months > 0 else 28) * months + days < 0


def _never_accepted(
    guard: object, accepted: set[DecisionKind], path: Path, *, explicit: bool
) -> list[Finding]:
    kinds: Iterable[DecisionKind] = getattr(guard, "kinds", ())
    if not explicit:
        return []
    return [
        Finding(
            "kind_never_accepted",
            (*path, "kinds"),
            f"no state accepts {article(kind.value)} {kind.value!r} decision",
        )
        for kind in kinds
        if kind not in accepted
    ]


def _reach(model: Definition, dead: set[int]) -> list[Finding]:
    lifecycle = model.lifecycle
    # A transition leaves only a state that accepts some kind of decision to ask for it.
    asking = {s for s, kinds in lifecycle.accepting.items() if kinds}
    after: dict[str, set[str]] = {}  # each state's ways out, by source: linear in states
    for n, t in enumerate(lifecycle.transitions):
        if n not in dead and t.dest is not PREVIOUS:  # a way back: already reached
            for source in set(t.sources) & asking:
                after.setdefault(source, set()).add(t.dest)
    got = reached(after, {lifecycle.initial})
    found = [
        Finding(
            "unreachable",
            ("states", number),
            f"state {state.name!r} cannot be reached from {lifecycle.initial!r} by transitions "
            "that can pass (from states that accept a decision to ask for them)",
        )
        for number, state in enumerate(lifecycle.states)
        if state.name not in got
    ]
    if lifecycle.final and not (lifecycle.final & got):
        message = "no final state can be reached from the initial one by transitions that can pass"
        found.append(Finding("no_end", ("final",), message))
    return found
