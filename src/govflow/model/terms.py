"""Terms, the numbered version of what is decided on, and the checks every record shares.

Beside :class:`Terms`: the attrs validators and converters of the records' fields
(texts, names, ids, whole numbers, flags) with their limits, and :func:`nearest`, a
misspelt name's did-you-mean; here, a record has one module below it, not two.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from difflib import get_close_matches
from typing import Any, Final

import attrs

from govflow.errors import InvalidRecord, require
from govflow.model.unreadable import Unread, read_out, read_pairs


def tupled(value: Iterable[str]) -> tuple[str, ...]:
    """An attrs converter: a list becomes a tuple; anything else is left for the validator."""
    if type(value) is tuple or type(value) is list:
        return tuple(value)  # of a tuple, the tuple itself: no copy is made
    # A caller's own list, whose reading may raise; anything else, for the validator.
    return read_out(value) if isinstance(value, list) else value  # type: ignore[return-value]


#: The longest text a record holds, in characters.
MAX_TEXT: Final = 10_000
#: The largest whole number a record holds: what every store keeps exactly (int64).
MAX_WHOLE: Final = 2**63 - 1

# What no text may hold: NUL (PostgreSQL cannot store it) and lone surrogates (they
# have no UTF-8 form, so an entry holding one could be neither hashed nor stored).
UNWRITABLE = re.compile("[\x00\ud800-\udfff]")

_LIMITS: Final = f"of at most {MAX_TEXT:,} characters, without NUL or lone surrogates"
_TEXT: Final = f"a non-empty text {_LIMITS}"
_NAME: Final = f"a non-empty state or trigger name {_LIMITS}"


#: The longest id a record holds (a decision's and a body's), in characters: what a
#: database index holds (PostgreSQL's b-tree keeps at most 2,704 bytes a key; 500
#: characters of UTF-8 take at most 2,000).
MAX_ID: Final = 500


def identifier(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a non-empty text of at most :data:`MAX_ID` characters."""
    # is_text's test written out, with the id's own limit: one call a field, not two.
    if not (
        type(value) is str
        and 0 < len(value) <= MAX_ID
        and (value.isprintable() or UNWRITABLE.search(value) is None)
        and not value.isspace()
    ):
        expected = f"an id of at most {MAX_ID} characters, without NUL or lone surrogates"
        raise InvalidRecord(type(record).__name__, attribute.name, expected, value)


def writable(value: object) -> bool:
    """Whether ``value`` is a text a record may hold (possibly empty): see :data:`MAX_TEXT`."""
    # ``isprintable`` runs in C and is false for NUL and lone surrogates, so a printable
    # text needs no search; one with a newline or a tab takes the expression.
    return (
        type(value) is str
        and len(value) <= MAX_TEXT
        and (value.isprintable() or UNWRITABLE.search(value) is None)
    )


def shown_name(name: str) -> str:
    """A name as a one-line repr shows it: as it is, or quoted where it is not printable."""
    return name if name.isprintable() else repr(name)


def is_text(value: object) -> bool:
    """Whether ``value`` is a text a record may hold: not empty or blank (see :data:`MAX_TEXT`)."""
    # ``writable`` and not blank, in one call: ``isspace`` knows the whitespace that
    # ``strip`` removes, and makes no copy.
    return (
        type(value) is str
        and 0 < len(value) <= MAX_TEXT
        and (value.isprintable() or UNWRITABLE.search(value) is None)
        and not value.isspace()
    )


def is_name(value: object) -> bool:
    """Whether ``value`` may name a state or a trigger: a text (see :data:`MAX_TEXT`), not empty."""
    return (
        type(value) is str
        and 0 < len(value) <= MAX_TEXT
        and (value.isprintable() or UNWRITABLE.search(value) is None)
    )


def name(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a state's or a trigger's name (:func:`is_name`)."""
    if not is_name(value):
        raise InvalidRecord(type(record).__name__, attribute.name, _NAME, value)


def names(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a tuple of state names (give a list or a tuple)."""
    if type(value) is tuple:  # is_name's test written out: no call a state of a body's history
        for n in value:
            if not (type(n) is str and 0 < len(n) <= MAX_TEXT
                    and (n.isprintable() or UNWRITABLE.search(n) is None)):  # fmt: skip
                break
        else:
            return
    expected = f"a list of state names (non-empty texts {_LIMITS})"
    raise InvalidRecord(type(record).__name__, attribute.name, expected, value)


def text(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a non-empty text (see :data:`MAX_TEXT`)."""
    # is_text's test written out: one call a field, not two (about 70 ns of a Fact's 800).
    if not (
        type(value) is str
        and 0 < len(value) <= MAX_TEXT
        and (value.isprintable() or UNWRITABLE.search(value) is None)
        and not value.isspace()
    ):
        raise InvalidRecord(type(record).__name__, attribute.name, _TEXT, value)


def optional_text(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``None`` or a non-empty text."""
    if value is not None and not is_text(value):
        raise InvalidRecord(type(record).__name__, attribute.name, f"None or {_TEXT}", value)


def texts(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a tuple of non-empty texts (give a list or a tuple)."""
    if type(value) is tuple and not value:
        return
    if type(value) is tuple:
        # is_text's test written out in the loop, rather than a call for each text: half
        # the time for the few texts a record's tuple holds.
        for item in value:
            if not (
                type(item) is str
                and 0 < len(item) <= MAX_TEXT
                and (item.isprintable() or UNWRITABLE.search(item) is None)
                and not item.isspace()
            ):
                # The item named, where it stands: a long list shown whole hides which.
                at = next(n for n, each in enumerate(value) if each is item)  # not ==: theirs
                where = f"{attribute.name}[{at}]"
                raise InvalidRecord(type(record).__name__, where, _TEXT, item)
        return
    expected = f"a list of non-empty texts, each {_LIMITS}"
    raise InvalidRecord(type(record).__name__, attribute.name, expected, value)


def exactly(kind: type, expected: str) -> Any:  # noqa: ANN401 - an attrs validator
    """An attrs validator: an instance of ``kind`` itself (``expected`` says so in words).

    Exactly the class: a subclass's added fields could not be written to the log.
    """

    def check(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not kind:
            raise InvalidRecord(type(record).__name__, attribute.name, expected, value)

    return check


def exactly_or_none(kind: type, expected: str) -> Any:  # noqa: ANN401 - an attrs validator
    """An attrs validator: ``None``, or an instance of ``kind`` itself (``expected``, in words)."""

    def check(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and type(value) is not kind:
            raise InvalidRecord(type(record).__name__, attribute.name, f"None or {expected}", value)

    return check


def flag(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``True`` or ``False``."""
    if type(value) is not bool:
        raise InvalidRecord(type(record).__name__, attribute.name, "True or False", value)


def whole(minimum: int) -> Any:  # noqa: ANN401 - an attrs validator
    """An attrs validator: a whole number (not a bool) from ``minimum`` to :data:`MAX_WHOLE`."""

    def check(record: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not int or not minimum <= value <= MAX_WHOLE:
            name = type(record).__name__
            raise InvalidRecord(
                name, attribute.name, f"a whole number from {minimum} to 2**63 - 1", value
            )

    return check


def _seats(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """An attrs converter: a mapping of partner to seats becomes sorted pairs."""
    if type(value) is tuple and not value:
        return ()
    if isinstance(value, Mapping):
        pairs = read_pairs(value)
    elif isinstance(value, list | tuple):  # the list, then each pair, may be a caller's own
        listed = read_out(value)
        pairs = listed if isinstance(listed, Unread) else read_out(tuple(p) for p in listed)
    else:
        return value  # type: ignore[return-value]
    if type(pairs) is Unread:
        return pairs  # type: ignore[return-value]
    try:
        return tuple(sorted(pairs))  # type: ignore[arg-type]
    except TypeError:  # partners that do not sort together: not all texts
        return value  # type: ignore[return-value]


def _pairs(record: object, attribute: attrs.Attribute[Any], value: Any) -> None:  # noqa: ANN401
    """An attrs validator (after ``_seats``): pairs of a partner and its seats, each once."""
    fits = type(value) is tuple and all(
        type(p) is tuple and len(p) == 2 and type(p[0]) is str  # noqa: PLR2004 - a pair
        and type(p[1]) is int and 1 <= p[1] <= MAX_WHOLE
        for p in value
    )  # fmt: skip
    if not fits or len({p[0] for p in value}) != len(value):
        for pair in value if type(value) is tuple else ():  # one partner's seats, named
            if type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str:  # noqa: PLR2004
                seats = pair[1]
                if type(seats) is not int or not 1 <= seats <= MAX_WHOLE:
                    wanted = "a whole number of seats from 1 to 2**63 - 1"
                    raise InvalidRecord("Terms", f"seats.{pair[0]}", wanted, seats)
        expected = "a mapping of partner to a whole number of seats from 1"
        raise InvalidRecord("Terms", "seats", expected, value)


def _budget(record: Terms, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not writable(value):
        raise InvalidRecord("Terms", "budget", f"None or a text {_LIMITS}", value)


_VALUE: Final = "a datetime.date, a whole number within ±(2**63 - 1), or a text"


def _value(fits: Callable[[object], bool]) -> Any:  # noqa: ANN401 - an attrs validator
    """An attrs validator of a parameter's value: ``None``, or a value that ``fits``."""

    def check(record: Parameter, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not fits(value):
            raise InvalidRecord("Terms", f"parameters.{record.name}", _VALUE, value)

    return check


@attrs.frozen
class Parameter:
    """One of a body's own parameters: a day, a number or a name, under a name.

    Exactly one of ``day``, ``number`` and ``text`` is given. Build them through
    ``Terms(parameters={"vote_end": dt.date(2013, 4, 30), "quorum": 4})``.

    Attributes:
        name: What guards call it (``param("vote_end")``).
        day: Its value, when it is a day.
        number: Its value, when it is a whole number (a count, or a duration in days).
        text: Its value, when it is a name.
    """

    name: str = attrs.field(validator=text)
    day: dt.date | None = attrs.field(default=None, validator=_value(lambda v: type(v) is dt.date))
    number: int | None = attrs.field(
        default=None, validator=_value(lambda v: type(v) is int and abs(v) <= MAX_WHOLE)
    )
    text: str | None = attrs.field(default=None, validator=_value(writable))

    def __attrs_post_init__(self) -> None:
        # The check across fields: exactly one value is given.
        given = [v for v in (self.day, self.number, self.text) if v is not None]
        if len(given) != 1:
            raise InvalidRecord(
                "Terms", f"parameters.{self.name}", _VALUE, given[0] if given else None
            )

    @property
    def value(self) -> dt.date | int | str:
        """The parameter's value, whichever it is."""
        found = self.day if self.day is not None else self.number
        return found if found is not None else self.text  # type: ignore[return-value]


def _parameters(value: object) -> tuple[Parameter, ...]:
    """An attrs converter: a mapping of name to value becomes parameters sorted by name."""
    if type(value) is tuple and not value:  # what most terms hold
        return ()
    listed = read_out(value) if isinstance(value, tuple) else None  # Unread, if it raised
    if isinstance(listed, tuple) and all(type(p) is Parameter for p in listed):
        found = listed
    elif isinstance(value, Mapping):
        made = []
        pairs = read_pairs(value)
        if isinstance(pairs, Unread):
            raise InvalidRecord("Terms", "parameters", "a mapping of name to value", pairs)
        for name, given in pairs:
            if not writable(name) or not name.strip():
                raise InvalidRecord("Terms", "parameters", "names that are non-empty texts", name)
            if type(given) is dt.date:
                made.append(Parameter(name, day=given))
            elif type(given) is int:
                made.append(Parameter(name, number=given))
            elif type(given) is str:
                made.append(Parameter(name, text=given))
            else:
                raise InvalidRecord(
                    "Terms",
                    f"parameters.{name}",
                    "a datetime.date, a whole number within ±(2**63 - 1), or a text",
                    given,
                )
        found = tuple(made)
    else:  # a tuple whose reading raised too (Unread, said)
        said = listed if isinstance(listed, Unread) else value
        raise InvalidRecord("Terms", "parameters", "a mapping of name to value", said)
    names = [p.name for p in found]
    if len(set(names)) != len(names):
        raise InvalidRecord("Terms", "parameters", "each name once", names)
    return tuple(sorted(found, key=lambda p: p.name))


def _partners(record: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """An attrs validator (after ``texts``): at least one partner, each named once."""
    if not value or len(set(value)) != len(value):
        expected = "partners named once each" if value else "at least one partner"
        raise InvalidRecord("Terms", "partners", expected, value)


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
        version: 1 by default (a proposal may give more); each amendment's is the next.
        parameters: The body's own parameters (days, numbers, names) that guards use by
            name, so that one lifecycle serves bodies with different dates; give a
            mapping (``{"vote_end": dt.date(2013, 4, 30)}``). Logs of entry schema 2 on.
    """

    title: str = attrs.field(validator=text)
    partners: tuple[str, ...] = attrs.field(converter=tupled, validator=[texts, _partners])
    remit: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    budget: str | None = attrs.field(default=None, validator=_budget)
    conditions: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    seats: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_seats, validator=_pairs)
    places: tuple[str, ...] = attrs.field(default=(), converter=tupled, validator=texts)
    version: int = attrs.field(default=1, validator=whole(1))
    parameters: tuple[Parameter, ...] = attrs.field(
        default=(), converter=_parameters, metadata={"since": 2}
    )

    def __attrs_post_init__(self) -> None:
        # The check across fields: the seats against the partners.
        for partner, _ in self.seats:
            if partner not in self.partners:  # say which, and the partner it may mean
                from difflib import get_close_matches  # noqa: PLC0415 - for this error only

                near = get_close_matches(str(partner), self.partners, 1)
                hint = f" ({near[0]!r} is the nearest)" if near else ""
                names = ", ".join(self.partners)
                expected = f"seats of the partners only; {partner!r} is not one of {names}{hint}"
                raise InvalidRecord("Terms", "seats", expected, self.seats)

    def parameter(self, name: str) -> dt.date | int | str | None:
        """The value of the parameter ``name``, or ``None`` if the terms have none."""
        return next((p.value for p in self.parameters if p.name == name), None)

    def seats_of(self, partner: str) -> int | None:
        """How many seats ``partner`` fills by nomination, if the terms say (InvalidRecord)."""
        require(isinstance(partner, str), "Terms.seats_of", "partner", "a text", partner)
        return dict(self.seats).get(partner)


def nearest(name: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one of ``choices`` that ``name`` most likely meant (case aside), if one is close.

    ``cutoff``: how alike they must be, as :func:`difflib.get_close_matches` takes it.
    """
    folded = {choice.casefold(): choice for choice in sorted(choices, reverse=True)}
    close = get_close_matches(name.casefold(), list(folded), 1, cutoff)
    return folded[close[0]] if close else None
