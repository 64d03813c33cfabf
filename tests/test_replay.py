"""Replay recomputes every transition; the state as of a date counts what had certainly happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs
import pytest

from govflow import (
    Entry,
    InvalidRecord,
    Kind,
    Mandate,
    NoSuchBody,
    Registry,
    ReplayMismatch,
    TamperedLog,
    When,
    body_as_of,
    replay,
)
from govflow.log.entry import seal

from .helpers import LIFECYCLE, endorse_all, make, resealed


def test_replay_gives_the_live_bodies(registry: Registry) -> None:
    endorse_all(registry)
    registry.apply(make("q", Kind.PROPOSE, "LGA", 3, body="other"))
    assert replay(LIFECYCLE, registry.log) == dict(registry.bodies)


def test_entries_that_fail_as_they_are_read_give_a_typed_error(registry: Registry) -> None:
    """A caller's iterable may raise: a govflow error passes through, any other is named."""
    endorse_all(registry)
    entries = list(registry.log)

    def failing(error: Exception) -> Iterator[Entry]:
        yield entries[0]
        raise error

    with pytest.raises(TamperedLog) as tampered:  # raised by a store's own reading: as it is
        replay(LIFECYCLE, failing(TamperedLog(1, "malformed", "no entry here")))
    assert tampered.value.seq == 1
    said = r"replay\.entries must be the log.s entries \(reading it raised OSError\)"
    with pytest.raises(InvalidRecord, match=said):
        replay(LIFECYCLE, failing(OSError("the disk went away")))


def test_a_recorded_state_the_lifecycle_does_not_give_is_caught(registry: Registry) -> None:
    endorse_all(registry)
    forged = resealed(list(registry.log), 2, after="shadow")
    with pytest.raises(ReplayMismatch) as error:
        replay(LIFECYCLE, forged)
    assert (error.value.seq, error.value.field) == (2, "after")
    assert (error.value.recorded, error.value.recomputed) == ("shadow", "endorsed")


def test_a_decision_the_lifecycle_would_refuse_is_caught(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    registry.apply(make("b", Kind.AGREE, "LGA", 1, trigger="endorse"))
    forged = resealed(list(registry.log), 1, decision=make("a", Kind.NOMINATE, "APCC", 1))
    with pytest.raises(ReplayMismatch) as error:
        replay(LIFECYCLE, forged)
    assert (error.value.seq, error.value.field, error.value.recomputed) == (
        2,
        "refused",
        "guard_failed",
    )


def test_recorded_verdicts_must_be_the_recomputed_ones(registry: Registry) -> None:
    endorse_all(registry)
    entries = list(registry.log)
    forged = resealed(entries, 2, verdicts=())
    with pytest.raises(ReplayMismatch) as error:
        replay(LIFECYCLE, forged)
    assert error.value.field == "verdicts"


def test_a_repeated_decision_id_is_caught(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "APCC", 1))
    entries = list(registry.log)
    forged = [*entries, seal(**{**_content(entries[1]), "seq": 2, "prev": entries[1].hash})]
    with pytest.raises(ReplayMismatch) as error:
        replay(LIFECYCLE, forged)
    assert (error.value.seq, error.value.field) == (2, "decision.id")


def test_an_entry_filed_under_another_body_is_caught(registry: Registry) -> None:
    forged = resealed(list(registry.log), 0, body="elsewhere")
    with pytest.raises(ReplayMismatch, match="records body = 'elsewhere'"):
        replay(LIFECYCLE, forged)


class TestAnEntryThatOnlyAddsAFact:
    """Replay's quick path for decisions without a trigger checks all that decide would."""

    @pytest.fixture
    def entries(self, registry: Registry) -> list[Entry]:
        registry.apply(make("a", Kind.AGREE, "APCC", 2))
        registry.apply(make("n", Kind.NOMINATE, "LGA", 3))
        return list(registry.log)

    def test_the_live_body_is_replayed(self, registry: Registry, entries: list[Entry]) -> None:
        assert replay(LIFECYCLE, entries) == dict(registry.bodies)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"mandate": Mandate("LGA", "APCC")}, "mandate"),
            ({"mandate": Mandate("LGA", "LGA", "LGA Leadership Board")}, "mandate"),
            ({"before": "endorsed", "after": "endorsed"}, "before"),
            ({"after": "endorsed"}, "after"),
            ({"terms_version": 2}, "terms_version"),
        ],
    )
    def test_what_it_records_must_be_what_replay_computes(
        self, entries: list[Entry], changes: dict[str, object], field: str
    ) -> None:
        with pytest.raises(ReplayMismatch) as error:
            replay(LIFECYCLE, resealed(entries, 2, **changes))
        assert (error.value.seq, error.value.field) == (2, field)

    def test_one_out_of_order_is_refused(self, entries: list[Entry]) -> None:
        early = make("n", Kind.NOMINATE, "LGA", 1)  # before the agreement of day 2
        with pytest.raises(ReplayMismatch) as error:
            replay(LIFECYCLE, resealed(entries, 2, decision=early))
        assert (error.value.seq, error.value.recomputed) == (2, "out_of_order")

    def test_a_repeated_id_is_caught_from_an_iterator_before_a_later_failure(
        self, entries: list[Entry]
    ) -> None:
        repeat = make("a", Kind.NOMINATE, "LGA", 4)  # the agreement's id again
        forged = resealed([*entries, entries[2]], 3, decision=repeat, seq=3)
        forged = resealed([*forged, entries[2]], 4, seq=4, after="endorsed")  # a later failure
        with pytest.raises(ReplayMismatch) as error:
            replay(LIFECYCLE, iter(forged))
        assert (error.value.seq, error.value.field) == (3, "decision.id")

    def test_a_failure_ahead_of_a_later_repeat_is_the_one_reported(
        self, entries: list[Entry]
    ) -> None:
        fails = make("n2", Kind.NOMINATE, "LGA", 3)
        forged = resealed([*entries, entries[2]], 3, decision=fails, seq=3, after="endorsed")
        repeat = make("a", Kind.NOMINATE, "LGA", 4)  # the agreement's id, after the failure
        forged = resealed([*forged, entries[2]], 4, decision=repeat, seq=4)
        with pytest.raises(ReplayMismatch) as error:
            replay(LIFECYCLE, forged)
        assert (error.value.seq, error.value.field) == (3, "after")


def _content(entry: object) -> dict[str, object]:
    fields = attrs.asdict(entry, recurse=False)  # type: ignore[arg-type]
    del fields["hash"], fields["schema"]
    return fields


class TestAsOf:
    @pytest.fixture
    def registry(self) -> Registry:
        reg = Registry(LIFECYCLE)
        reg.apply(make("p", Kind.PROPOSE, "LGA", 0))  # 1 January 2013
        reg.apply(make("a", Kind.AGREE, "APCC", 0, decided=When.month(2013, 9)))
        reg.apply(
            make("e", Kind.ENDORSE, "LGA", 0, decided=When.day(2013, 9, 10), trigger="endorse")
        )
        return reg

    def test_before_the_proposal_there_is_no_body(self, registry: Registry) -> None:
        assert registry.as_of("b", dt.date(2012, 12, 31)) is None

    def test_a_body_never_proposed_is_no_such_body(self, registry: Registry) -> None:
        """A mistyped id is refused, as ``body`` refuses it, not taken for one not yet proposed."""
        with pytest.raises(NoSuchBody, match="'B'"):
            registry.as_of("B", dt.date(2013, 12, 31))

    def test_a_month_counts_only_once_the_month_has_ended(self, registry: Registry) -> None:
        mid_september = registry.as_of("b", dt.date(2013, 9, 15))
        assert mid_september is not None
        assert (mid_september.state, [f.decision.id for f in mid_september.facts]) == (
            "proposed",
            ["p"],
        )
        end_of_september = registry.as_of("b", dt.date(2013, 9, 30))
        assert end_of_september is not None
        assert end_of_september.state == "endorsed"

    def test_later_entries_are_not_counted_past_one_that_does_not_count(
        self, registry: Registry
    ) -> None:
        # The endorsement of 10 September rests on the agreement "in September": until the
        # month is over, neither counts, although the 10th has passed.
        body = registry.as_of("b", dt.date(2013, 9, 29))
        assert body is not None
        assert body.state == "proposed"

    def test_other_bodies_entries_are_passed_over(self, registry: Registry) -> None:
        registry.apply(
            make("q", Kind.PROPOSE, "LGA", 0, body="other", decided=When.month(2013, 10))
        )
        body = registry.as_of("b", dt.date(2013, 12, 31))
        assert body is not None
        assert body.state == "endorsed"
        other = registry.as_of("other", dt.date(2013, 12, 31))
        assert other is not None
        assert other.state == "proposed"

    def test_the_function_form_gives_the_same_answer(self, registry: Registry) -> None:
        day = dt.date(2013, 10, 1)
        assert body_as_of(LIFECYCLE, registry.log, "b", day) == registry.as_of("b", day)
        assert body_as_of(LIFECYCLE, registry.log, "b", day) == registry.body("b")
