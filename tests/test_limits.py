"""The documented limits: each checked when a record is built, before any store sees it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govflow import Decision, InvalidRecord, Kind, Registry, Source, Terms, When
from govflow.log import Checkpoint
from govflow.model.terms import MAX_ID, MAX_TEXT, MAX_WHOLE
from govflow.stores import open_store

from .helpers import LIFECYCLE, make

FP = LIFECYCLE.fingerprint


class TestTexts:
    @pytest.mark.parametrize(
        "bad",
        ["x\x00y", "\ud800", "a\udfffb", "x" * (MAX_TEXT + 1), " ", ""],
        ids=["nul", "lone-high-surrogate", "lone-low-surrogate", "too-long", "blank", "empty"],
    )
    @pytest.mark.parametrize("field", ["id", "body", "actor", "trigger", "on_behalf_of"])
    def test_a_text_field_refuses_what_no_store_can_hold(self, field: str, bad: str) -> None:
        fields: dict[str, object] = {
            "id": "d",
            "body": "b",
            "kind": Kind.AGREE,
            "actor": "LGA",
            "decided": When.year(2013),
            "source": Source("report"),
            field: bad,
        }
        with pytest.raises(InvalidRecord) as error:
            Decision(**fields)  # type: ignore[arg-type]
        assert error.value.field == field
        limit = MAX_ID if field in {"id", "body"} else MAX_TEXT
        assert f"at most {limit:,} characters" in str(error.value)
        assert len(str(error.value)) < 500, "the message shows the value cut short"

    def test_the_longest_text_and_id_are_held(self) -> None:
        assert make("x" * MAX_ID, Kind.AGREE, "LGA", 1).id == "x" * MAX_ID
        assert make("d", Kind.AGREE, "y" * MAX_TEXT, 1).actor == "y" * MAX_TEXT
        with pytest.raises(InvalidRecord, match="an id of at most 500 characters"):
            make("x" * (MAX_ID + 1), Kind.AGREE, "LGA", 1)

    @pytest.mark.parametrize("field", ["reasons", "nominees", "ratifies"])
    def test_an_item_of_a_list_of_texts_is_checked_too(self, field: str) -> None:
        with pytest.raises(InvalidRecord) as error:
            make("d", Kind.AGREE, "LGA", 1, **{field: ["fine", "not\x00fine"]})  # type: ignore[arg-type]
        assert error.value.field == f"{field}[1]"  # the item, where it stands

    def test_a_source_locator_and_a_budget(self) -> None:
        with pytest.raises(InvalidRecord, match="locator"):
            Source("report", "\ud800")
        with pytest.raises(InvalidRecord, match="budget"):
            Terms(title="t", partners=("A",), budget="x" * (MAX_TEXT + 1))

    @pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
    def test_a_refused_text_never_reaches_a_store(self, tmp_path: Path, kind: str) -> None:
        url = f"{kind}:///{tmp_path / 'log'}"
        with open_store(url, FP) as log:  # type: ignore[attr-defined]
            registry = Registry(LIFECYCLE, log=log)
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            before = list(log)
            with pytest.raises(InvalidRecord):
                registry.apply(make("a\ud800", Kind.AGREE, "APCC", 1))
            assert list(log) == before
            assert log.verify().ok


class TestWholeNumbers:
    def test_a_terms_version_beyond_what_a_store_holds_is_refused(self) -> None:
        Terms(title="t", partners=("A",), version=MAX_WHOLE)
        with pytest.raises(InvalidRecord, match="to 2\\*\\*63 - 1") as error:
            Terms(title="t", partners=("A",), version=MAX_WHOLE + 1)
        assert error.value.field == "version"

    def test_seats_beyond_it_are_refused(self) -> None:
        with pytest.raises(InvalidRecord, match="seats"):
            Terms(title="t", partners=("A",), seats={"A": MAX_WHOLE + 1})

    def test_a_number_too_long_to_print_is_named_not_printed(self) -> None:
        with pytest.raises(InvalidRecord) as error:
            Terms(title="t", partners=("A",), version=10**5000)
        assert "<int>" in str(error.value)


class TestDates:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: When.year(0),
            lambda: When.year(10_000),
            lambda: When.year(True),  # noqa: FBT003 - a bool is no year
            lambda: When.month(2024, "1"),
            lambda: When.month(0, 1),
            lambda: When.day(2024, 2, 30),
            lambda: When.day(2024, 1, 1.0),
            lambda: When.parse("0000-01"),
            lambda: When.parse("9999-12-31/10000-01-01"),
            lambda: When.parse(2012),
        ],
    )
    def test_a_date_outside_years_1_to_9999_or_malformed_is_a_typed_error(
        self, build: object
    ) -> None:
        with pytest.raises(InvalidRecord):
            build()  # type: ignore[operator]

    def test_the_last_year_is_held_and_applies(self) -> None:
        last = When.year(9999)
        assert (last.precision, last.iso, When.month(9999, 12).iso) == ("year", "9999", "9999-12")
        assert When.parse("9999-12-31").latest == dt.date.max
        registry = Registry(LIFECYCLE)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0, decided=When.year(9999)))
        entry = registry.apply(make("a", Kind.AGREE, "APCC", 0, decided=last))
        assert entry.decision.decided == last
        assert registry.verify().ok


class TestCheckpointText:
    @pytest.mark.parametrize(
        "text",
        [
            "[" * 100_000,
            '{"count": ' + "9" * 5000 + ', "head": "' + "a" * 64 + '"}',
            '{"count": 1, "head": "' + "A" * 64 + '"}',
            b'{"count": 1}',
            None,
        ],
        ids=["deep", "huge-int", "upper-hex", "bytes", "none"],
    )
    def test_a_bad_checkpoint_is_an_invalid_record(self, text: object) -> None:
        with pytest.raises(InvalidRecord):
            Checkpoint.from_json(text)  # type: ignore[arg-type]


def test_a_decision_of_every_limit_at_once_round_trips() -> None:
    decision = Decision(
        id="x" * MAX_ID,
        body="b",
        kind=Kind.AGREE,
        actor="ÄPCC ✓",
        decided=When.day(9999, 12, 31),
        source=Source("s" * MAX_TEXT, "l"),
        reasons=("r" * MAX_TEXT,),
    )
    registry = Registry(LIFECYCLE)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    entry = registry.apply(decision)
    assert entry.decision == decision
    assert registry.verify().ok
