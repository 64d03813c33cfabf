"""The guards that count decisions: by whom, of which kinds, on which version of the terms.

``decided_by`` and its shorthands ``every_partner``, ``any_partner`` and
``budget_agreed``, and ``nominations_from_every_partner``, which counts nominees
against seats.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

import attrs

from govflow.errors import InvalidRecord, article
from govflow.guards.dates import LATER, Used
from govflow.guards.windows import Window, check_window, closed
from govflow.model.kind import DecisionKind, Kind, kinds_of
from govflow.model.terms import MAX_WHOLE, flag
from govflow.model.unreadable import Unread
from govflow.model.verdict import ParamValue, Reason, Verdict

if TYPE_CHECKING:
    from govflow.model.body import Body
    from govflow.model.when import When

_NOUNS: dict[Kind, str] = {
    Kind.PROPOSE: "a proposal",
    Kind.RECOMMEND: "a recommendation",
    Kind.AGREE: "agreement",
    Kind.ENDORSE: "endorsement",
    Kind.NOMINATE: "nominations",
    Kind.HOLD_MEETING: "a meeting",
    Kind.AGREE_BUDGET: "budget agreement",
    Kind.ESTABLISH: "agreement to establish",
    Kind.REQUEST_RECONSIDERATION: "a request for reconsideration",
    Kind.REAFFIRM: "reaffirmation",
    Kind.AMEND: "an amendment of the terms",
    Kind.END: "a decision to end",
    Kind.RESOLVE: "a resolution",
    Kind.RATIFY: "ratification",
    Kind.DELEGATE: "a delegation",
    Kind.REVOKE: "a revocation",
    Kind.TARGET: "a hoped-for date",
    Kind.RESCIND: "a rescission",
}


def _listing(names: Iterable[str]) -> str:
    return ", ".join(names)


def _kinds_field(record: object, attribute: Any, kinds: tuple[DecisionKind, ...]) -> None:  # noqa: ANN401
    """An attrs validator: a tuple of kinds (see :func:`checked_kinds`)."""
    checked_kinds(kinds, record)


def _authorities(record: object, attribute: Any, names: tuple[str, ...] | None) -> None:  # noqa: ANN401
    """An attrs validator: None (the partners), or the authorities' names."""
    if names is not None:
        checked_names(names, type(record).__name__, "authorities", _AUTHORITIES, names)


def _label(record: object, attribute: Any, name: str | None) -> None:  # noqa: ANN401
    """An attrs validator: a guard's name, when given (``name`` to its builder)."""
    if name is not None and (type(name) is not str or not name.strip()):
        wanted = "None or a non-empty text"
        raise InvalidRecord(type(record).__name__, attribute.name, wanted, name)


def _window(record: object, attribute: Any, within: Window | None) -> None:  # noqa: ANN401
    """An attrs validator: None, or a window of dates."""
    check_window(type(record).__name__, within)


@attrs.frozen
class DecidedBy:
    """Decisions of some kinds by all of, or ``at_least`` of, some authorities.

    Build it with :func:`decided_by`, :func:`every_partner`, :func:`any_partner` or
    :func:`budget_agreed`.

    Attributes:
        kinds: The kinds of decision that count.
        authorities: The authorities, or ``None`` for the body's partners.
        at_least: How many must have decided; ``None`` for all of them.
        label: The guard's name, when it is not derived from the other fields.
        since_entered: Count only decisions taken since the body entered its
            current state (a request to reconsider, a reaffirmation: each time anew).
        within: Count only decisions certainly taken within this window of dates.
    """

    kinds: tuple[DecisionKind, ...] = attrs.field(validator=_kinds_field)
    authorities: tuple[str, ...] | None = attrs.field(validator=_authorities)
    at_least: int | None = None
    label: str | None = attrs.field(default=None, validator=_label)
    since_entered: bool = attrs.field(default=False, validator=flag)
    within: Window | None = attrs.field(default=None, metadata=LATER, validator=_window)

    def __attrs_post_init__(self) -> None:
        """Refuse what depends on two fields: ``at_least`` past the authorities, a window."""
        most = MAX_WHOLE if self.authorities is None else len(self.authorities)
        at_least = self.at_least
        if at_least is not None and (type(at_least) is not int or not 1 <= at_least <= most):
            wanted = f"None or a whole number from 1 to {most}"
            raise InvalidRecord("DecidedBy", "at_least", wanted, at_least)
        if self.within is not None and self.within.since_entered:  # as the builders hold it
            wanted = "a window of dates: give since_entered=True beside it, as decided_by does"
            raise InvalidRecord("DecidedBy", "within", wanted, self.within)

    @property
    def name(self) -> str:
        """The guard's name."""
        if self.label is not None:
            return self.label
        kinds = "/".join(kind.value for kind in self.kinds)
        who = "partners" if self.authorities is None else _listing(self.authorities)
        quantity = "all of" if self.at_least is None else f"{self.at_least} of"
        window = "" if self.within is None else f", {self.within}"
        return f"{kinds} by {quantity}: {who}{window}"

    def uses(self, body: Body) -> Used:
        """The days the window stood for on ``body``."""
        return () if self.within is None else self.within.uses(body)

    def __call__(self, body: Body, on: When) -> Verdict:
        """Count the body's decisions of these kinds by each authority."""
        authorities = body.terms.partners if self.authorities is None else self.authorities
        found: dict[str, int] = {}
        stale: set[str] = set()
        window = self.within
        start, end, known = (None, None, True) if window is None else window.admits(body)
        kinds, entered = self.kinds, body.entered if self.since_entered else 0
        # The facts read in one loop, not through Body.decisions (a generator): at ten
        # facts, an endorsement's guard took 4.0 µs that way, 2.6 so.
        for fact in body.facts:
            if fact.decision.kind not in kinds or fact.seq < entered:
                continue
            if window is not None and not (known and window.counts(body, fact, start, end)):
                continue
            current = body.current(fact)
            for authority in authorities:
                if authority not in found and fact.speaks_for(authority):
                    if current:
                        found[authority] = fact.seq
                    else:
                        stale.add(authority)
        evidence = tuple(sorted(found.values()))
        needed = len(authorities) if self.at_least is None else self.at_least
        if len(found) >= needed:
            return Verdict.ok(self.name, evidence)
        missing = tuple(a for a in authorities if a not in found)
        outdated = tuple(a for a in missing if a in stale)
        awaited = " or ".join(noun(kind) for kind in self.kinds)
        if self.at_least is None:
            message = f"awaiting {awaited} from: {_listing(missing)}"
        else:
            message = f"awaiting {awaited} from {needed - len(found)} more of: {_listing(missing)}"
        if outdated:
            message += (
                f" ({_listing(outdated)} decided on an earlier version of the terms; "
                f"they must decide again on version {body.terms.version})"
            )
        if window is not None:
            message += f" (counting decisions {window})"
        params: dict[str, ParamValue] = {
            "kinds": tuple(kind.value for kind in self.kinds),
            "missing": missing,
            "needed": needed,
            "have": len(found),
            "stale": outdated,
        }
        reason = Reason("awaiting_decisions", params, message)
        gaps = () if window is None else window.lacking(body)  # a window with no day counts none
        return Verdict.fail(
            self.name, *(gaps or (closed(reason, start, end, on),)), evidence=evidence
        )


def checked_kinds(kinds: object, record: object) -> None:
    """Refuse a guard's ``kinds`` that is not a tuple of kinds, as its builder makes it.

    ``record`` is the guard (as an attrs validator gets it), or its name.
    """
    record = record if type(record) is str else type(record).__name__
    if not (type(kinds) is tuple and kinds and all(isinstance(k, DecisionKind) for k in kinds)):
        wanted = "a tuple of at least one kind of decision (its builder makes it of a list)"
        raise InvalidRecord(record, "kinds", wanted, kinds)
    counted_kinds(kinds)


def listed(given: object, record: str, field: str, expected: str) -> tuple[str, ...]:
    """A list, tuple or set of names as a tuple, a set's sorted (its order differs between runs).

    Raises:
        InvalidRecord: It is none of those, or reading it (or a name) raised.
    """
    if not isinstance(given, list | tuple | set | frozenset):
        raise InvalidRecord(record, field, expected, given)
    try:
        return tuple(sorted(given, key=str) if isinstance(given, set | frozenset) else given)
    except Exception as error:  # noqa: BLE001 - a caller's own collection may raise anything
        raise InvalidRecord(record, field, expected, Unread(given, error)) from None


def checked_names(names: object, record: str, field: str, expected: str, given: object) -> None:
    """Refuse anything but a tuple of names (texts, not blank), each once; show ``given``."""
    fits = (
        type(names) is tuple
        and names
        and all(type(n) is str and n.strip() for n in names)
        and len(set(names)) == len(names)
    )
    if not fits:
        raise InvalidRecord(record, field, expected, given)


_AUTHORITIES: Final = "a list of authority names (texts), each once"


def counted_kinds(kinds: DecisionKind | Iterable[DecisionKind]) -> tuple[DecisionKind, ...]:
    """The kinds a counting guard is given, as a tuple; a recommendation's is refused."""
    result = kinds_of(kinds, "decision guard")
    if Kind.RECOMMEND in result:
        raise InvalidRecord(
            "decision guard",
            "kinds",
            "kinds of decision other than recommend (a recommendation satisfies no guard; "
            "count the decision of the authority it was made to)",
            kinds,
        )
    return result


def noun(kind: DecisionKind) -> str:
    """What a guard awaits of ``kind``, in words: "endorsement", "a 'vote' decision"."""
    return _NOUNS.get(kind, f"{article(kind.value)} {kind.value!r} decision")  # type: ignore[call-overload, no-any-return]


def _options(
    name: object, since_entered: object, within: object, record: str = "decision guard"
) -> tuple[bool, Window | None]:
    """Check the options every counting guard shares; give ``since_entered`` and the window.

    ``within(since_entered=True)`` is held as ``since_entered=True``, so that the two ways
    of saying it give one fingerprint.
    """
    if name is not None and (type(name) is not str or not name.strip()):
        raise InvalidRecord(record, "name", "None or a non-empty text", name)
    if type(since_entered) is not bool:
        raise InvalidRecord(record, "since_entered", "True or False", since_entered)
    check_window(record, within)
    if within is None:
        return since_entered, None
    assert isinstance(within, Window)  # noqa: S101 - checked above
    dates = (
        None if within.start is None and within.end is None else Window(within.start, within.end)
    )
    return since_entered or within.since_entered, dates


def decided_by(
    kinds: DecisionKind | Iterable[DecisionKind],
    authorities: Iterable[str],
    *,
    at_least: int | None = None,
    name: str | None = None,
    since_entered: bool = False,
    within: Window | None = None,
) -> DecidedBy:
    """A guard that passes once all of (or ``at_least`` of) ``authorities`` decided.

    A decision counts for an authority when the authority took it or it was taken
    on the authority's behalf: naming it in ``on_behalf_of``, or under its delegation
    (from entry schema 4: ``Fact.delegated_by``). One taken for an organisation counts
    for the organisation's name, not for each authority of it.

    Args:
        kinds: The kind, or kinds, of decision that count.
        authorities: The named authorities ("LGA Executive", "APCC").
        at_least: ``k`` for k-of-n; ``None`` (the default) for all of them.
        name: The guard's name; derived from the arguments when omitted.
        since_entered: Count only decisions taken since the body entered its state.
        within: Count only decisions certainly taken within a window of dates:
            ``within(start, end)``, each bound a day or a day in the body's history.

    Raises:
        InvalidRecord: No authority or kind, an authority that is not a text, an
            ``at_least`` outside 1 to n, or a recommendation counted as a decision
            (InvalidRecord is a ValueError).
    """
    names = listed(authorities, "decided_by", "authorities", _AUTHORITIES)
    checked_names(names, "decided_by", "authorities", _AUTHORITIES, authorities)  # as given
    if at_least is not None and (type(at_least) is not int or not 1 <= at_least <= len(names)):
        raise InvalidRecord(
            "decided_by", "at_least", f"None or a whole number from 1 to {len(names)}", at_least
        )
    entered, window = _options(name, since_entered, within)
    return DecidedBy(counted_kinds(kinds), names, at_least, name, entered, window)


def every_partner(
    kinds: DecisionKind | Iterable[DecisionKind],
    *,
    name: str | None = None,
    since_entered: bool = False,
    within: Window | None = None,
) -> DecidedBy:
    """A guard that passes once every partner of the body took a decision of ``kinds``."""
    entered, window = _options(name, since_entered, within)
    return DecidedBy(counted_kinds(kinds), None, None, name, entered, window)


def any_partner(
    kinds: DecisionKind | Iterable[DecisionKind],
    *,
    name: str | None = None,
    since_entered: bool = False,
    within: Window | None = None,
) -> DecidedBy:
    """A guard that passes once at least one partner took a decision of ``kinds``."""
    entered, window = _options(name, since_entered, within)
    return DecidedBy(counted_kinds(kinds), None, 1, name, entered, window)


@attrs.frozen
class Nominations:
    """A guard that passes once every partner has filled its seats by nomination.

    A partner whose seats the terms count must have named at least that many
    people; a partner whose seats they do not count must have made at least one
    nomination. Only nominations on the current terms count.

    Attributes:
        within: Count only nominations within this window (``None``: any).
    """

    within: Window | None = attrs.field(default=None, metadata=LATER, validator=_window)

    @property
    def name(self) -> str:
        """The guard's name."""
        if self.within is None:
            return "nominations from every partner"
        return f"nominations from every partner, {self.within}"

    def uses(self, body: Body) -> Used:
        """The days the window stood for on ``body``."""
        return () if self.within is None else self.within.uses(body)

    def __call__(self, body: Body, on: When) -> Verdict:
        """Count each partner's nominees against its seats."""
        evidence: list[int] = []
        missing: list[str] = []
        short: list[Reason] = []
        window = self.within
        start, end, known = (None, None, True) if window is None else window.admits(body)
        for partner in body.terms.partners:
            facts = [
                f
                for f in body.decisions(Kind.NOMINATE)
                if body.current(f)
                and f.speaks_for(partner)
                and (window is None or (known and window.counts(body, f, start, end)))
            ]
            evidence.extend(f.seq for f in facts)
            seats = body.terms.seats_of(partner)
            named = len({n for f in facts for n in f.decision.nominees})
            if not facts or (seats is not None and named == 0):
                missing.append(partner)
            elif seats is not None and named < seats:
                message = f"awaiting {seats - named} more nominations from: {partner}"
                params: dict[str, ParamValue] = {
                    "missing": (partner,),
                    "seats": seats,
                    "named": named,
                }
                short.append(Reason("awaiting_nominations", params, message))
        reasons = list(short)
        if missing:
            message = f"awaiting nominations from: {_listing(missing)}"
            reasons.insert(0, Reason("awaiting_nominations", {"missing": tuple(missing)}, message))
        if not reasons:
            return Verdict.ok(self.name, tuple(sorted(evidence)))
        gaps = () if window is None else window.lacking(body)  # a window with no day counts none
        reasons = list(gaps or (closed(r, start, end, on) for r in reasons))
        return Verdict.fail(self.name, *reasons, evidence=tuple(sorted(evidence)))


def nominations_from_every_partner(*, within: Window | None = None) -> Nominations:
    """A guard that passes once every partner has filled its seats by nomination."""
    check_window("nominations_from_every_partner", within)
    return Nominations(within)


def budget_agreed() -> DecidedBy:
    """A guard that passes once every partner has agreed its budget contribution."""
    return DecidedBy((Kind.AGREE_BUDGET,), None, None, "budget agreed by every partner")
