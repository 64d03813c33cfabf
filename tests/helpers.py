"""Builders shared by the tests."""

from __future__ import annotations

import datetime as dt

from govflow import Decision, Kind, Registry, Source, Terms, When, partnership_lifecycle

LIFECYCLE = partnership_lifecycle()
TERMS = Terms(title="Test Board", partners=("LGA", "APCC"))


def make(id: str, kind: Kind | str, actor: str, day: int, **fields: object) -> Decision:  # noqa: A002
    """A decision on body ``b``, on day ``day`` of 2013 (from 0) unless ``decided`` is given."""
    fields.setdefault("body", "b")
    if kind == Kind.PROPOSE:
        fields.setdefault("terms", TERMS)
    fields.setdefault("decided", When.on(dt.date(2013, 1, 1) + dt.timedelta(days=day)))
    return Decision(
        id=id,
        kind=kind,
        actor=actor,
        source=Source("test", id),
        **fields,  # type: ignore[arg-type]
    )


def endorse_all(reg: Registry, day: int = 1) -> None:
    """Take body ``b`` from proposed to endorsed."""
    reg.apply(make("a-apcc", Kind.AGREE, "APCC", day))
    reg.apply(
        make("a-lga", Kind.ENDORSE, "LGA Executive", day, on_behalf_of="LGA", trigger="endorse")
    )
