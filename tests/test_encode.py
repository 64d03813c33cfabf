"""The fast canonical text equals the canonical form's definition, byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govflow import (
    Decision,
    Entry,
    InvalidRecord,
    Kind,
    Reason,
    Registry,
    Source,
    Verdict,
    When,
    entry_from_dict,
    entry_to_dict,
    partnership_lifecycle,
)
from govflow._authority import Mandate
from govflow._canonical import canonical_bytes
from govflow._encode import parts_from_data
from govflow._entry import entry_text, recompute_hash, seal
from govflow._reading import Shared, _read_naming, _read_whole, read_entry
from govflow.testing import decision_sequences

LIFECYCLE = partnership_lifecycle()
TEXT = st.text(max_size=12)
WORDS = st.lists(st.text(min_size=1, max_size=8).filter(str.strip), max_size=3)
PARAM = st.one_of(TEXT, st.integers(-(10**20), 10**20), WORDS.map(tuple))


@st.composite
def decisions(draw: st.DrawFn) -> Decision:
    """Decisions of every kind, with the optional fields filled in at random."""
    found = draw(decision_sequences(LIFECYCLE, max_size=12).filter(bool))
    decision = draw(st.sampled_from(found))
    extra = {
        name: draw(WORDS)
        for name in ("reasons", "alternatives_rejected", "conflicts_declared", "dispensations")
    }
    latest = decision.decided.latest
    recorded = draw(st.one_of(st.none(), st.just(latest + dt.timedelta(days=3))))
    if decision.kind.value == "nominate":
        extra["nominees"] = draw(WORDS)
    if decision.terms is not None:
        partners = decision.terms.partners
        terms = attrs.evolve(
            decision.terms,
            budget=draw(st.one_of(st.none(), TEXT.filter(str.strip))),
            conditions=draw(WORDS),
            seats=draw(st.dictionaries(st.sampled_from(partners), st.integers(1, 9))),
            places=draw(WORDS),
        )
        return attrs.evolve(decision, terms=terms, recorded=recorded, **extra)
    return attrs.evolve(decision, recorded=recorded, **extra)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    reasons = st.builds(Reason, TEXT, st.dictionaries(TEXT, PARAM, max_size=3), TEXT)
    verdicts = st.builds(
        Verdict,
        TEXT,
        st.booleans(),
        st.lists(reasons, max_size=2).map(tuple),
        st.lists(st.integers(0, 10**9), max_size=3).map(tuple),
    )
    return seal(
        seq=draw(st.integers(0, 10**12)),
        body=draw(TEXT),
        decision=draw(decisions()),
        before=draw(st.one_of(st.none(), TEXT)),
        after=draw(TEXT),
        terms_version=draw(st.integers(1, 5)),
        verdicts=tuple(draw(st.lists(verdicts, max_size=3))),
        mandate=draw(st.builds(Mandate, TEXT, TEXT, st.one_of(st.none(), TEXT))),
        prev=draw(st.text("0123456789abcdef", min_size=64, max_size=64)),
    )


def definition(entry: Entry) -> str:
    """The canonical text as docs/canonical-form.md defines it: json.dumps, keys sorted."""
    return canonical_bytes(entry_to_dict(entry)).decode("utf-8")


@given(entries())
def test_an_entry_is_written_exactly_as_the_definition_writes_it(entry: Entry) -> None:
    assert entry_text(entry) == definition(entry)


@given(entries())
def test_the_hash_is_over_the_definitions_bytes_without_hash(entry: Entry) -> None:
    content = entry_to_dict(entry)
    del content["hash"]
    assert entry.hash == hashlib.sha256(canonical_bytes(content)).hexdigest()
    assert recompute_hash(entry) == entry.hash


@given(entries())
def test_plain_data_read_back_is_written_exactly_as_the_definition(entry: Entry) -> None:
    text = definition(entry)
    head, tail, stated = parts_from_data(json.loads(text))
    assert f'{head},"hash":"{stated}",{tail}' == text
    assert stated == entry.hash


def _data() -> dict[str, object]:
    decision = Decision(
        id="d1",
        body="b",
        kind="agree",
        actor="APCC",
        decided=When.month(2012, 9),
        source=Source("report"),
    )
    entry = seal(
        seq=0,
        body="b",
        decision=decision,
        before="proposed",
        after="proposed",
        terms_version=1,
        verdicts=(Verdict("g", passed=False, reasons=(Reason("c", {"n": 1}, "m"),)),),
        mandate=Mandate("APCC", "APCC"),
        prev="0" * 64,
    )
    return json.loads(definition(entry))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (("seq",), True, TypeError),
        (("seq",), 1.0, TypeError),
        (("decision", "id"), 5, TypeError),
        (("decision", "source"), ["report", ""], ValueError),
        (("verdicts", 0, "passed"), 1, TypeError),
        (("verdicts", 0, "reasons", 0, "params", "n"), False, TypeError),
        (("mandate",), {"actor": "APCC"}, ValueError),
    ],
)
def test_data_of_another_shape_is_refused(
    path: tuple[str | int, ...], value: object, error: type[Exception]
) -> None:
    data = _data()
    parts_from_data(data)
    place: object = data
    for step in path[:-1]:
        place = place[step]  # type: ignore[index]
    place[path[-1]] = value  # type: ignore[index]
    with pytest.raises(error):
        parts_from_data(data)


@pytest.mark.parametrize("where", [(), ("decision",), ("decision", "source"), ("mandate",)])
def test_an_extra_or_missing_key_is_refused(where: tuple[str, ...]) -> None:
    data = _data()
    place: dict[str, object] = data
    for step in where:
        place = place[step]  # type: ignore[assignment]
    place["extra"] = None
    with pytest.raises(ValueError, match=where[-1] if where else "entry"):
        parts_from_data(data)
    del place["extra"]
    place.pop(next(iter(place)))
    with pytest.raises((KeyError, ValueError)):
        parts_from_data(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3) | st.just("2013-02-13"),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)


def _places(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The path of every value inside ``data``."""
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*path, index))
    return found


def _read(reader: Callable[[Any], Entry], data: object) -> Entry | None:
    try:
        return reader(data)
    except (InvalidRecord, KeyError, TypeError, ValueError):
        return None


@given(entries(), st.data())
def test_the_quick_reader_accepts_only_what_the_naming_reader_accepts(
    entry: Entry, data: st.DataObject
) -> None:
    plain = json.loads(definition(entry))
    shared = Shared()  # has read the entry before it is changed: a record it keeps is no excuse
    assert _read_whole(plain, shared) == entry == _read_naming(plain)
    path = data.draw(st.sampled_from(_places(plain)))
    place: Any = plain
    for step in path[:-1]:
        place = place[step]
    how = data.draw(st.sampled_from(["replace", "remove", "add"]))
    if how == "replace":
        place[path[-1]] = data.draw(JSON)
    elif how == "remove":
        del place[path[-1]]
    elif isinstance(place, dict):
        place[data.draw(st.text(max_size=3))] = data.draw(JSON)
    quick = _read(lambda d: _read_whole(d, shared), plain)
    if quick is not None:
        assert quick == _read_naming(plain)
    strict = _read(_read_naming, plain)
    assert (entry_from_dict(plain) if strict is not None else None) == strict
    if strict is None:
        with pytest.raises(InvalidRecord):
            entry_from_dict(plain)


def test_one_read_shares_the_dates_sources_and_mandates_its_entries_repeat(
    registry: Registry,
) -> None:
    for named in ("a", "b"):  # the same day, source and actor
        registry.apply(
            Decision(
                id=named,
                body="b",
                kind=Kind.NOMINATE,
                actor="APCC",
                decided=When.on(dt.date(2013, 1, 2)),
                source=Source("report"),
            )
        )
    shared = Shared()
    first, second = (read_entry(json.loads(entry_text(e)), shared) for e in registry.log[1:])
    assert (first, second) == tuple(registry.log[1:])
    assert first.decision.decided is second.decision.decided
    assert first.decision.source is second.decision.source
    assert first.mandate is second.mandate
    alone = entry_from_dict(json.loads(entry_text(registry.log[2])))
    assert alone == second
    assert alone.mandate is not second.mandate
