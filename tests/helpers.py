"""Builders shared by the tests."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import attrs

from govflow import Decision, Entry, Kind, Registry, Source, Terms, When
from govflow.log.entry import seal
from govflow.scenarios import partnership_lifecycle

LIFECYCLE = partnership_lifecycle()
#: The tampered logs the tamper property test caught, by kind: the run's summary counts them.
TAMPERED: Counter[str] = Counter()
#: How many logs of each kind of tampering verify caught, in test_tamper_verify.py.
VERIFIED: Counter[str] = Counter()
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


def resealed(entries: Sequence[Entry], index: int, **changes: object) -> list[Entry]:
    """The log with entry ``index`` changed and every hash from there on recomputed.

    This is what a forger who rewrites the chain would produce.
    """
    result = list(entries[:index])
    prev = result[-1].hash if result else entries[0].prev
    for entry in [attrs.evolve(entries[index], **changes), *entries[index + 1 :]]:
        fields = attrs.asdict(entry, recurse=False)
        del fields["hash"], fields["schema"]
        sealed = seal(**{**fields, "prev": prev})
        result.append(sealed)
        prev = sealed.hash
    return result


def guided_step(
    registry: Registry, body: str, pick: int, *, detour: bool
) -> tuple[Kind, str | None, str | None] | None:
    """A decision that moves ``body`` on, as its explanation says: (kind, actor, trigger).

    A possible transition is asked for; otherwise the first unmet reason says whose
    decision of which kind it awaits (``actor`` is ``None`` for a meeting, whoever
    holds it). Reconsidering or ending a body leaves the main line, so only runs
    with ``detour`` take those paths, and ``pick == 0`` now and then.
    """
    options = [
        o
        for o in registry.explain(body).options
        if o.trigger not in {"end", "reconsider"} or (detour and o.trigger != "end") or pick == 0
    ]
    if not options:
        return None
    option = options[pick % len(options)]
    if option.possible:
        return Kind.AGREE, "LGA", option.trigger
    reason = option.reasons[0]
    if reason.code == "awaiting_meeting":
        return Kind.HOLD_MEETING, None, None
    kinds, missing = reason.param("kinds", ("nominate",)), reason.param("missing")
    if isinstance(kinds, tuple) and isinstance(missing, tuple) and kinds and missing:
        return Kind(kinds[0]), missing[pick % len(missing)], None
    return None
