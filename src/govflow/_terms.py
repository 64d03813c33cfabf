"""Terms: the numbered version of what is being decided on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from govflow._errors import InvalidRecord


def tupled(value: Iterable[str]) -> tuple[str, ...]:
    """An attrs converter: a list becomes a tuple; anything else is left for the validator."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return value  # type: ignore[return-value]


def texts(instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    """An attrs validator: a tuple of non-empty texts, else an error naming the field."""
    ok = isinstance(value, tuple) and all(isinstance(v, str) and v.strip() for v in value)
    if not ok:
        raise InvalidRecord(
            type(instance).__name__, attribute.name, "a list of non-empty texts", value
        )


def _seats(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """An attrs converter: a mapping of partner to seats becomes sorted pairs."""
    if isinstance(value, Mapping):
        return tuple(sorted(value.items()))
    if isinstance(value, list | tuple):
        return tuple(sorted(tuple(pair) for pair in value))
    return value  # type: ignore[return-value]


@attrs.frozen
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
    partners: tuple[str, ...] = attrs.field(converter=tupled, validator=texts)
    remit: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    budget: str | None = None
    conditions: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    seats: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_seats)
    places: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    version: int = 1

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.title, str) or not self.title.strip():
            raise InvalidRecord("Terms", "title", "a non-empty text", self.title)
        if not self.partners:
            raise InvalidRecord("Terms", "partners", "at least one partner", self.partners)
        if len(set(self.partners)) != len(self.partners):
            raise InvalidRecord("Terms", "partners", "partners named once each", self.partners)
        if self.budget is not None and not isinstance(self.budget, str):
            raise InvalidRecord("Terms", "budget", "a text or None", self.budget)
        if not isinstance(self.seats, tuple) or not all(
            isinstance(p, tuple)
            and len(p) == 2  # noqa: PLR2004 - a (partner, seats) pair
            and p[0] in self.partners
            and type(p[1]) is int
            and p[1] >= 1
            for p in self.seats
        ):
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
