"""Decisions: immutable records of what was decided, by whom, when, and on what authority.

The fields follow the statutory record of an executive decision in English local
government (the 2012 access-to-information regulations, regulation 12): the
decision and its date, the reasons, the alternatives considered and rejected,
the conflicts of interest declared and the dispensations granted.

A wrong record is never edited. A later decision that names it in
``supersedes`` either rescinds it (kind ``rescind``) or corrects it (a decision
of the same kind that takes its place); the original stays in the log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from govflow.errors import InvalidRecord, article
from govflow.model.kind import NOTE, DecisionKind, Kind, Position, kind_of, kinds_of
from govflow.model.terms import (
    Terms,
    exactly,
    identifier,
    name,
    optional_text,
    text,
    texts,
    tupled,
    writable,
)
from govflow.model.unreadable import Unread, read_out
from govflow.model.when import When

#: Kinds that bind to the terms version current when they are taken: once the terms are
#: amended, guards no longer count them.
BINDING = frozenset(
    {Kind.AGREE, Kind.ENDORSE, Kind.NOMINATE, Kind.AGREE_BUDGET, Kind.ESTABLISH, Kind.REAFFIRM}
)


def _locator(record: Source, attribute: attrs.Attribute[str], value: object) -> None:
    if not writable(value):
        raise InvalidRecord("Source", "locator", "a text (see govflow.model.terms.MAX_TEXT)", value)


def _day(optional: bool) -> Any:  # noqa: ANN401, FBT001 - an attrs validator
    """An attrs validator: a ``datetime.date`` (not a datetime), or ``None`` if ``optional``."""

    def check(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not (type(value) is dt.date or (optional and value is None)):
            expected = "a datetime.date or None" if optional else "a datetime.date"
            raise InvalidRecord(type(record).__name__, attribute.name, expected, value)

    return check


@attrs.frozen
class Source:
    """Where a decision is recorded: a meeting and item, or a document and paragraph.

    Attributes:
        document: The meeting ("LGA Leadership Board, 13 February 2013") or document.
        locator: The item or paragraph within it ("Item 8, paragraph 2"); may be empty.
    """

    document: str = attrs.field(validator=text)
    locator: str = attrs.field(default="", validator=_locator)

    def __str__(self) -> str:
        return f"{self.document}, {self.locator}" if self.locator else self.document


def _kinds(value: object) -> tuple[DecisionKind, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple | frozenset | set):
        raise InvalidRecord("Delegation", "kinds", "a list of decision kinds", value)
    found = read_out(value)
    if type(found) is Unread:
        raise InvalidRecord("Delegation", "kinds", "a list of decision kinds", found)
    try:
        return kinds_of(found, "Delegation")
    except InvalidRecord:
        if not found:
            return ()  # named by the check for at least one kind
        raise InvalidRecord("Delegation", "kinds", "a list of decision kinds", value) from None


def _some(record: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise InvalidRecord("Delegation", "kinds", "at least one kind", value)


@attrs.frozen
class Delegation:
    """Powers handed by the deciding authority to another, for a period.

    Attributes:
        to: The authority the powers are delegated to.
        kinds: The kinds of decision it may take for the delegator.
        start: The first day the delegation is in force.
        end: The last day it is in force; ``None`` for open-ended.
    """

    to: str = attrs.field(validator=text)
    kinds: tuple[DecisionKind, ...] = attrs.field(converter=_kinds, validator=_some)
    start: dt.date = attrs.field(validator=_day(optional=False))
    end: dt.date | None = attrs.field(default=None, validator=_day(optional=True))

    def __attrs_post_init__(self) -> None:
        # The check across fields: the end not before the start.
        if self.end is not None and self.end < self.start:
            raise InvalidRecord("Delegation", "end", f"None or a day from {self.start}", self.end)

    def covers(self, when: When) -> bool:
        """Whether a decision dated ``when`` certainly falls within the delegation."""
        return when.earliest >= self.start and (self.end is None or when.latest <= self.end)


@attrs.frozen
class Target:
    """A hoped-for date for a body to reach a state ("formally established in April 2013").

    Attributes:
        state: The state hoped for.
        by: When it was hoped to be reached.
    """

    state: str = attrs.field(validator=name)
    by: When = attrs.field(validator=exactly(When, "a When"))


def _kind(value: DecisionKind | str) -> DecisionKind:
    if type(value) is Kind:  # the common case, at once
        return value
    return kind_of(value)


def _position(value: object) -> Position | None:
    if value is None or type(value) is Position:
        return value
    try:
        if type(value) is str:  # anything else Position would repr in its error, deep or not
            return Position(value)
    except ValueError:
        pass
    expected = "None or a Position (for, against, abstain)"
    raise InvalidRecord("Decision", "position", expected, value)


#: Field metadata: written to the log from entry schema 2 (3) on (see ``govflow.log.codec``).
_SINCE_2 = {"since": 2}
_SINCE_3 = {"since": 3}


def _optional_when(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and type(value) is not When:
        raise InvalidRecord(type(record).__name__, attribute.name, "a When or None", value)


@attrs.frozen(kw_only=True)
class Decision:
    """One decision, as recorded.

    Attributes:
        id: Unique across the log; applying the same id twice records it once.
        body: The id of the body the decision is about.
        kind: What sort of decision it is: a built-in :class:`Kind`, or a member of
            a :class:`DecisionKind` vocabulary the lifecycle declares.
        actor: Who took it ("LGA Executive").
        on_behalf_of: The organisation the actor decided for ("LGA"), if not itself.
        decided: When it was taken, as precisely as the sources say.
        recorded: The day it was recorded (the report or minutes), if known.
        source: Where it is recorded.
        reasons: The reasons given for it.
        alternatives_rejected: Alternatives considered and rejected.
        conflicts_declared: Conflicts of interest declared.
        dispensations: Dispensations granted for those conflicts.
        trigger: The lifecycle trigger it asks for, if any. Not on a proposal, a note,
            a correction, a rescission or a revocation (a decision that supersedes
            another): a transition waiting on one (``decided_by(Kind.RESCIND)``) is
            asked for by the next decision that may ask for it.
        terms: The terms proposed or amended (``propose`` and ``amend`` only).
        meeting: The meeting held (``hold_meeting`` only).
        nominees: The people nominated, where the sources name them (``nominate`` only).
        to: The authority a recommendation is made to (``recommend`` only).
        delegation: The powers delegated (``delegate`` only).
        ratifies: The ids of the provisional resolutions ratified (``ratify`` only).
        target: The hoped-for date recorded (``target`` only).
        supersedes: The id of an earlier decision this one rescinds, revokes or corrects.
        position: The position it takes, for a vote: for, against or abstaining.
            ``None`` (the default) counts as for.
        about: What a note is about (``note`` only): an authority's name, whose
            awaited decisions it explains, or a topic ("budget", "terms").
        expected: When something a note tells of was due or intended (``note`` only);
            once it has passed, the record still does not say whether it happened.

    A note (kind ``note``) records what a source says rather than a decision: its
    text is in ``reasons``, its ``decided`` is when the source says it held (or was
    said), and its actor the author who says it. It changes no state, and any state
    accepts it, in any order of dates.
    """

    id: str = attrs.field(validator=identifier)
    body: str = attrs.field(validator=identifier)
    kind: DecisionKind = attrs.field(converter=_kind)
    actor: str = attrs.field(validator=text)
    on_behalf_of: str | None = attrs.field(default=None, validator=optional_text)
    decided: When = attrs.field(
        validator=exactly(When, "a When (When.on(day) for a datetime.date)")
    )
    recorded: dt.date | None = attrs.field(default=None, validator=_day(optional=True))
    source: Source = attrs.field(validator=exactly(Source, "a Source"))
    reasons: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    alternatives_rejected: tuple[str, ...] = attrs.field(
        default=(), converter=tupled, validator=texts
    )
    conflicts_declared: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    dispensations: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    trigger: str | None = attrs.field(default=None, validator=optional_text)
    terms: Terms | None = None
    meeting: str | None = attrs.field(default=None, validator=optional_text)
    nominees: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    to: str | None = attrs.field(default=None, validator=optional_text)
    delegation: Delegation | None = None
    ratifies: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    target: Target | None = None
    supersedes: str | None = attrs.field(default=None, validator=optional_text)
    position: Position | None = attrs.field(default=None, converter=_position, metadata=_SINCE_2)
    about: str | None = attrs.field(default=None, validator=optional_text, metadata=_SINCE_3)
    expected: When | None = attrs.field(default=None, validator=_optional_when, metadata=_SINCE_3)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        from govflow.display.views import decision_bundle  # noqa: PLC0415 - on first display

        return decision_bundle(self, repr(self))

    def __attrs_post_init__(self) -> None:
        # Checks across fields: the day recorded against the day decided, and which
        # fields the kind needs.
        recorded = self.recorded
        if recorded is not None and recorded < self.decided.earliest:
            raise InvalidRecord(
                "Decision",
                "recorded",
                f"a day on or after the decision could have been taken ({self.decided})",
                recorded,
            )
        self._check_kind_fields()

    def _check_kind_fields(self) -> None:
        kind = self.kind
        terms, delegation, target = self.terms, self.delegation, self.target
        present = (
            terms is not None,
            self.meeting is not None,
            self.to is not None,
            delegation is not None,
            self.ratifies != (),
            target is not None,
        )
        # The common case in one comparison: exactly the fields the kind needs, of the
        # right types (_NEEDS, derived from _KIND_FIELDS). Anything else is looked at
        # field by field, and named. It saves 2.7 of the 14.1 µs a nomination takes to
        # build without it (medians of 7, 5 December 2026): reading a log builds each.
        if (
            present != _NEEDS.get(kind, _NEEDS_NOTHING)
            or (self.nominees != () and kind is not Kind.NOMINATE)
            or (terms is not None and not isinstance(terms, Terms))
            or (delegation is not None and not isinstance(delegation, Delegation))
            or (target is not None and not isinstance(target, Target))
        ):
            self._check_kind_specific()
        if self.supersedes is not None or kind in _SUPERSEDING or self.trigger is not None:
            self._check_supersedes()
        if kind is NOTE or self.about is not None or self.expected is not None:
            self._check_note()

    def _check_note(self) -> None:
        if self.kind is not Kind.NOTE:
            field = "about" if self.about is not None else "expected"
            value = getattr(self, field)
            raise InvalidRecord("Decision", field, "empty unless kind is note", value)
        if not self.reasons:
            raise InvalidRecord(
                "Decision", "reasons", "what the source says (a note's text)", self.reasons
            )
        if self.trigger is not None:
            raise InvalidRecord(
                "Decision", "trigger", "None on a note (a note changes no state)", self.trigger
            )

    def _check_kind_specific(self) -> None:
        kind = self.kind
        # The quick look in _check_kind_fields found a field that does not fit: one
        # of these names it.
        for field, (kinds, record) in _KIND_FIELDS.items():  # pragma: no branch
            value = getattr(self, field)
            present = bool(value) if isinstance(value, tuple) else value is not None
            if present and kind not in kinds:
                allowed = " or ".join(k.value for k in sorted(kinds))
                raise InvalidRecord("Decision", field, f"empty unless kind is {allowed}", value)
            if not present and kind in kinds and field != "nominees":
                raise InvalidRecord(
                    "Decision",
                    field,
                    f"given for {article(kind.value)} {kind.value} decision",
                    value,
                )
            if present and record is not None and not isinstance(value, record):
                raise InvalidRecord("Decision", field, f"a {record.__name__}", value)

    def _check_supersedes(self) -> None:
        kind = self.kind
        if kind in _SUPERSEDING and self.supersedes is None:
            raise InvalidRecord(
                "Decision", "supersedes", f"the id of the decision to {kind.value}", None
            )
        if kind is Kind.PROPOSE and self.trigger is not None:
            raise InvalidRecord(
                "Decision",
                "trigger",
                "None on a proposal (it puts the body in the initial state)",
                self.trigger,
            )
        if self.supersedes is not None and self.trigger is not None:
            raise InvalidRecord(
                "Decision",
                "trigger",
                "None on a correction, rescission or revocation (they change no state)",
                self.trigger,
            )
        if self.supersedes == self.id:
            raise InvalidRecord("Decision", "supersedes", "another decision's id", self.supersedes)

    @property
    def organisation(self) -> str:
        """The organisation the decision speaks for: ``on_behalf_of``, else the actor."""
        return self.on_behalf_of if self.on_behalf_of is not None else self.actor

    def speaks_for(self, authority: str) -> bool:
        """Whether the decision was taken by ``authority`` or on its behalf."""
        return authority in (self.actor, self.on_behalf_of)


# Each kind-specific field: the kinds that take it, and the record type it must be.
_KIND_FIELDS: dict[str, tuple[frozenset[Kind], type | None]] = {
    "terms": (frozenset({Kind.PROPOSE, Kind.AMEND}), Terms),
    "meeting": (frozenset({Kind.HOLD_MEETING}), None),
    "nominees": (frozenset({Kind.NOMINATE}), None),
    "to": (frozenset({Kind.RECOMMEND}), None),
    "delegation": (frozenset({Kind.DELEGATE}), Delegation),
    "ratifies": (frozenset({Kind.RATIFY}), None),
    "target": (frozenset({Kind.TARGET}), Target),
}

#: The kinds that must name the decision they supersede.
_SUPERSEDING = frozenset({Kind.RESCIND, Kind.REVOKE})

#: For each kind, which of terms, meeting, to, delegation, ratifies and target it needs
#: (nominees are optional on a nomination and absent elsewhere).
_NEEDS: dict[DecisionKind, tuple[bool, ...]] = {
    kind: tuple(
        kind in _KIND_FIELDS[field][0]
        for field in ("terms", "meeting", "to", "delegation", "ratifies", "target")
    )
    for kind in Kind
}
#: What a kind of a lifecycle's own vocabulary needs: none of those fields.
_NEEDS_NOTHING = (False,) * 6
