"""Terms: the numbered version of what is being decided on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from govflow._errors import InvalidRecord
from govflow._quick import quick_init
from govflow._record import record_methods


def tupled(value: Iterable[str]) -> tuple[str, ...]:
    """An attrs converter: a list becomes a tuple; anything else is left for the validator."""
    if type(value) is tuple:
        return value
    if isinstance(value, list | tuple):
        return tuple(value)
    return value  # type: ignore[return-value]


def check_texts(record: str, fields: Iterable[tuple[str, object]]) -> None:
    """Check that each ``(name, value)`` is a tuple of non-empty texts; name the first that is not.

    One call checks all of a record's lists: records are built for every decision,
    and per-field validators would cost a call each.
    """
    for name, value in fields:
        if type(value) is tuple:
            try:
                # str.strip of each item, in C: a non-text item raises TypeError.
                if all(map(str.strip, value)):
                    continue
            except TypeError:
                pass
        raise InvalidRecord(record, name, "a list of non-empty texts", value)


def _seats(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """An attrs converter: a mapping of partner to seats becomes sorted pairs."""
    if value == ():
        return ()
    if isinstance(value, Mapping):
        return tuple(sorted(value.items()))
    if isinstance(value, list | tuple):
        return tuple(sorted(tuple(pair) for pair in value))
    return value  # type: ignore[return-value]


def _pairs(seats: tuple[object, ...], partners: tuple[str, ...]) -> bool:
    """Whether ``seats`` holds (partner, whole number from 1) pairs."""
    for pair in seats:
        if not (isinstance(pair, tuple) and len(pair) == 2):  # noqa: PLR2004 - a pair
            return False
        partner, count = pair
        if partner not in partners or type(count) is not int or count < 1:
            return False
    return True


@quick_init
@record_methods
@attrs.frozen(repr=False, eq=False)
class Terms:
    """What a body is, as proposed or amended: the text that decisions bind to.

    Attributes:
        title: The body's name, such as "joint Strategic Partnership Board".
        partners: The organisations that make up the body; each speaks for itself.
        remit: The numbered items of its remit.
        budget: How it is funded, in words; ``None`` when the terms are silent.
        conditions: Any other conditions of the terms.
        seats: How many seats each partner fills by nomination, as sorted pairs; give
            a mapping (``{"LGA": 4, "APCC": 4}``). A partner not listed fills its
            seats with at least one nomination.
        places: Named places held by office rather than by nomination ("the Chair of
            the Safer and Stronger Communities Board").
        version: The version number, 1 for the terms a body is proposed on.
    """

    title: str
    partners: tuple[str, ...] = attrs.field(converter=tupled)
    remit: tuple[str, ...] = attrs.field(default=(), converter=tupled)
    budget: str | None = None
    conditions: tuple[str, ...] = attrs.field(default=(), converter=tupled)
    seats: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_seats)
    places: tuple[str, ...] = attrs.field(default=(), converter=tupled)
    version: int = 1

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.title, str) or not self.title.strip():
            raise InvalidRecord("Terms", "title", "a non-empty text", self.title)
        partners, remit, conditions, places = (
            self.partners,
            self.remit,
            self.conditions,
            self.places,
        )
        try:  # one pass over every text of the four lists; check_texts names a bad one
            texts = (
                type(partners) is tuple
                and type(remit) is tuple
                and type(conditions) is tuple
                and type(places) is tuple
                and all(map(str.strip, partners + remit + conditions + places))
            )
        except TypeError:
            texts = False
        if not texts:
            check_texts(
                "Terms",
                (
                    ("partners", partners),
                    ("remit", remit),
                    ("conditions", conditions),
                    ("places", places),
                ),
            )
        if not self.partners:
            raise InvalidRecord("Terms", "partners", "at least one partner", self.partners)
        if len(set(self.partners)) != len(self.partners):
            raise InvalidRecord("Terms", "partners", "partners named once each", self.partners)
        if self.budget is not None and not isinstance(self.budget, str):
            raise InvalidRecord("Terms", "budget", "a text or None", self.budget)
        if not isinstance(self.seats, tuple) or not _pairs(self.seats, self.partners):
            raise InvalidRecord(
                "Terms",
                "seats",
                "a mapping of partner to a whole number of seats from 1",
                self.seats,
            )
        if type(self.version) is not int or self.version < 1:
            raise InvalidRecord("Terms", "version", "a whole number from 1", self.version)

    def seats_of(self, partner: str) -> int | None:
        """How many seats ``partner`` fills by nomination, if the terms say."""
        return dict(self.seats).get(partner)
