"""Exact behaviour at the edges that mutation testing found untested.

Each test pins what a surviving mutant changed: an error's every field and its
message, a comparison at the day where two intervals touch, a precision at the edge of
a month or a year. ``scripts/mutation.py`` runs these with the tests of each module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable
from typing import Any

import pytest

from govflow import InvalidRecord, Kind, Lifecycle, Reason, Registry, Terms, Transition, When
from govflow.canonical import canonical_bytes
from govflow.errors import NotAccepted, TamperedLog
from govflow.guards import (
    any_partner,
    decided_by,
    every_partner,
    nominations_from_every_partner,
    within,
)
from govflow.log import SCHEMA_VERSION, AuditLog, Checkpoint, verify
from govflow.log.codec import SCHEMAS
from govflow.log.entry import Columns, Stored, entry_from_dict, entry_to_dict, genesis
from govflow.log.verify import _sound
from govflow.scenarios import partnership_lifecycle, spb

from .helpers import make

D = dt.date


def refusal(make: Callable[[], object]) -> tuple[object, ...]:
    """What ``make`` raises: the record, field, expected, received and message."""
    with pytest.raises(InvalidRecord) as caught:
        make()
    e = caught.value
    return (e.record, e.field, e.expected, e.received, str(e))


WHOLE_YEAR = "a whole number from 1 to 9999"


@pytest.mark.parametrize(
    ("make", "field", "expected", "received"),
    [
        (lambda: When(dt.datetime(2012, 1, 1), D(2012, 1, 2)), "earliest", None, None),
        (lambda: When(D(2012, 1, 1), "2012-01-02"), "latest", None, "2012-01-02"),
        (lambda: When.year(0), "year", WHOLE_YEAR, 0),
        (lambda: When.year(10000), "year", WHOLE_YEAR, 10000),
        (lambda: When.year(2012.0), "year", WHOLE_YEAR, 2012.0),
        (lambda: When.month(2012, 13), "month", "a whole number from 1 to 12", 13),
        (lambda: When.month(2012, 0), "month", "a whole number from 1 to 12", 0),
        (lambda: When.month(2012, "1"), "month", "a whole number from 1 to 12", "1"),
        (lambda: When.day(2012, 2, 30), "day", "a real calendar day", (2012, 2, 30)),
        (lambda: When.day(2012, 2, "1"), "day", "a real calendar day", (2012, 2, "1")),
        (
            lambda: When.between(D(2012, 2, 2), D(2012, 2, 1)),
            "latest",
            "a day on or after earliest (2012-02-02)",
            D(2012, 2, 1),
        ),
        (lambda: When.parse(2012), "iso", "ISO 8601 text", 2012),
        (lambda: When.parse("2012-9"), "iso", "YYYY, YYYY-MM, YYYY-MM-DD or a span", "2012-9"),
        (
            lambda: When.parse("2012-09/2012-10-01"),
            "iso",
            "a span of two days, YYYY-MM-DD/YYYY-MM-DD",
            "2012-09/2012-10-01",
        ),
        (
            lambda: When.parse("2012-09-01/2012-09-02/2012-09-03"),
            "iso",
            "a span of two days, YYYY-MM-DD/YYYY-MM-DD",
            "2012-09-01/2012-09-02/2012-09-03",
        ),
    ],
)
def test_a_bad_date_names_the_record_the_field_what_was_expected_and_what_was_given(
    make: Callable[[], object], field: str, expected: str | None, received: object
) -> None:
    record, got_field, got_expected, got_received, message = refusal(make)
    assert (record, got_field) == ("When", field)
    if expected is None:
        assert got_expected == "a datetime.date (not a datetime)"
    else:
        assert got_expected == expected
    if received is not None:
        assert got_received == received
    assert message.startswith(f"When.{field} must be {got_expected}, but ")


@pytest.mark.parametrize(
    ("when", "precision", "iso"),
    [
        (When.on(D(2012, 9, 1)), "day", "2012-09-01"),
        (When.between(D(2012, 9, 1), D(2012, 9, 30)), "month", "2012-09"),
        (When.between(D(2012, 9, 1), D(2012, 9, 15)), "span", "2012-09-01/2012-09-15"),
        (When.between(D(2012, 9, 2), D(2012, 9, 30)), "span", "2012-09-02/2012-09-30"),
        (When.between(D(2012, 9, 1), D(2012, 10, 31)), "span", "2012-09-01/2012-10-31"),
        (When.between(D(2012, 1, 1), D(2012, 12, 31)), "year", "2012"),
        (When.between(D(2012, 1, 1), D(2013, 12, 31)), "span", "2012-01-01/2013-12-31"),
        (When.between(D(2012, 2, 1), D(2012, 12, 31)), "span", "2012-02-01/2012-12-31"),
        (When.between(D(2012, 1, 1), D(2012, 11, 30)), "span", "2012-01-01/2012-11-30"),
        (When.between(D(2011, 12, 1), D(2012, 12, 31)), "span", "2011-12-01/2012-12-31"),
        (When.between(D(2012, 2, 1), D(2012, 2, 29)), "month", "2012-02"),
    ],
)
def test_precision_and_iso_at_the_edges_of_months_and_years(
    when: When, precision: str, iso: str
) -> None:
    assert when.precision == precision
    assert when.iso == iso
    assert When.parse(iso) == when


def test_intervals_that_touch_on_one_day_are_not_certainly_ordered() -> None:
    september = When.month(2012, 9)
    assert not september.certainly_before(When.on(D(2012, 9, 30)))
    assert september.certainly_before(When.on(D(2012, 10, 1)))
    assert not When.on(D(2012, 9, 30)).certainly_before(When.on(D(2012, 9, 30)))
    assert september.ends_by(D(2012, 9, 30))
    assert not september.ends_by(D(2012, 9, 29))


def _two_steps(second: object) -> Registry:
    """A lifecycle: draft, reviewed on A's agreement, approved on ``second``."""
    lifecycle = Lifecycle(
        name="two steps",
        states=["draft", "reviewed", "approved"],
        initial="draft",
        transitions=[
            Transition("review", "draft", "reviewed", guards=[decided_by(Kind.AGREE, ["A"])]),
            Transition("approve", "reviewed", "approved", guards=[second]),  # type: ignore[list-item]
        ],
    )
    registry = Registry(lifecycle)
    registry.apply(make("p", Kind.PROPOSE, "A", 0))
    registry.apply(make("a1", Kind.AGREE, "A", 1, trigger="review"))
    return registry


def test_the_decision_that_moved_a_body_in_counts_since_it_entered() -> None:
    registry = _two_steps(decided_by(Kind.AGREE, ["A"], since_entered=True))
    assert registry.body("b").entered == 1  # the second entry (from 0): A's agreement
    (option,) = registry.explain("b").options
    assert option.possible, option.reasons


def test_a_decision_before_the_body_entered_does_not_count_since_it_entered() -> None:
    late = Lifecycle(
        name="late",
        states=["draft", "reviewed", "approved"],
        initial="draft",
        transitions=[
            Transition("review", "draft", "reviewed", guards=[decided_by(Kind.AGREE, ["A"])]),
            Transition(
                "approve",
                "reviewed",
                "approved",
                guards=[decided_by(Kind.AGREE, ["B"], since_entered=True)],
            ),
        ],
    )
    registry = Registry(late)
    registry.apply(make("p", Kind.PROPOSE, "A", 0))
    registry.apply(make("b0", Kind.AGREE, "B", 1))
    registry.apply(make("a1", Kind.AGREE, "A", 1, trigger="review"))
    (option,) = registry.explain("b").options
    assert not option.possible
    assert option.reasons[0].param("missing") == ("B",)


def test_k_of_n_with_k_equal_to_n_needs_every_one() -> None:
    guard = decided_by(Kind.AGREE, ["A", "B"], at_least=2)
    registry = _two_steps(guard)
    (option,) = registry.explain("b").options
    assert not option.possible
    assert option.reasons[0].param("needed") == 2
    registry.apply(make("b1", Kind.AGREE, "B", 2))
    assert registry.explain("b").options[0].possible
    with pytest.raises(InvalidRecord):
        decided_by(Kind.AGREE, ["A", "B"], at_least=3)


# Verify: the fast path for plain data agrees with the strict reader, and a failed
# verification says how far it read and the head it reached.


def _log() -> tuple[list[dict[str, object]], str]:
    """The reference record's entries as plain data, and the lifecycle's fingerprint."""
    registry = Registry(partnership_lifecycle())
    for decision in spb.decisions():
        registry.apply(decision)
    return [entry_to_dict(e) for e in registry.log], registry.lifecycle.fingerprint


def _rehashed(data: dict[str, object]) -> dict[str, object]:
    """``data`` with its hash recomputed from its (changed) content, as a forger would."""
    content = {k: v for k, v in data.items() if k != "hash"}
    return {**data, "hash": hashlib.sha256(canonical_bytes(content)).hexdigest()}


def test_the_fast_path_takes_an_intact_entry_and_leaves_a_doubtful_one() -> None:
    entries, _ = _log()
    assert all(_sound(e) is not None for e in entries)  # no record is built for them
    assert _sound({**entries[0], "hash": "0" * 64}) is None
    assert _sound({**entries[0], "schema": 99}) is None


def test_an_entry_claiming_an_older_schema_than_its_fields_is_malformed() -> None:
    entries, fingerprint = _log()
    assert all(_rehashed(e) == e for e in entries)  # the forger hashes as the writer does
    last = len(entries) - 1
    assert "about" in entries[last]["decision"]  # type: ignore[operator]
    entries[last] = _rehashed({**entries[last], "schema": 2})
    result = verify(entries, fingerprint)
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (last, "malformed")
    assert result.count == last
    assert result.head == entries[last - 1]["hash"]


@pytest.mark.parametrize("at", [0, 5, 12])
def test_a_failed_verification_says_how_far_it_read_and_the_head_it_reached(at: int) -> None:
    entries, fingerprint = _log()
    entries[at] = {**entries[at], "body": "elsewhere"}
    result = verify(entries, fingerprint)
    assert not result.ok
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (at, "altered")
    assert result.problem.message == "its content does not match its hash: the entry was altered"
    assert result.count == at
    assert result.head == (genesis(fingerprint) if at == 0 else entries[at - 1]["hash"])
    assert str(result).startswith(f"entry {at}")


def test_plain_data_and_records_verify_alike_whatever_one_field_holds() -> None:
    entries, fingerprint = _log()
    records = [entry_from_dict(e) for e in entries]
    assert verify(entries, fingerprint) == verify(records, fingerprint)
    other: dict[str, object] = {
        "seq": 4,
        "prev": "0" * 64,
        "body": "elsewhere",
        "before": "nowhere",
        "after": "nowhere",
        "terms_version": 9,
        "schema": 2,
    }
    for key, value in other.items():
        changed = [*entries]
        changed[3] = _rehashed({**entries[3], key: value})
        plain = verify(changed, fingerprint)
        assert not plain.ok, key
        try:
            strict = verify([entry_from_dict(e) for e in changed], fingerprint)
        except InvalidRecord:
            assert plain.problem is not None
            assert plain.problem.kind == "malformed"
            continue
        assert plain == strict, key


def _exact(entries: list[dict[str, object]], fingerprint: str) -> tuple[int, str, str, int, str]:
    result = verify(entries, fingerprint)
    assert result.problem is not None
    p = result.problem
    return (p.seq, p.kind, p.message, result.count, result.head)


def test_each_tampering_is_named_in_its_own_words() -> None:
    entries, fp = _log()
    h = [str(e["hash"]) for e in entries]
    inserted = [*entries[:6], entries[3], *entries[6:]]
    assert _exact(inserted, fp) == (
        6,
        "inserted",
        (
            "an entry numbered 3 stands at position 6, after entry 3 already appeared: "
            "an entry was inserted here"
        ),
        6,
        h[5],
    )
    swapped = [*entries[:4], entries[5], entries[4], *entries[6:]]
    assert _exact(swapped, fp) == (
        4,
        "reordered",
        "entry 5 stands where entry 4 belongs, and entry 4 comes later: entries were reordered",
        4,
        h[3],
    )
    # Stored records (as a store reads them) are classified alike.
    stored = [Stored(canonical_bytes(e).decode(), e) for e in swapped]
    assert verify(stored, fp).problem == verify(swapped, fp).problem
    assert verify([Stored(canonical_bytes(e).decode(), e) for e in entries], fp).ok
    dropped = [*entries[:4], *entries[5:]]
    assert _exact(dropped, fp) == (
        4,
        "dropped",
        "entry 4 is missing: the next entry present is numbered 5",
        4,
        h[3],
    )
    relinked = [*entries[:7], _rehashed({**entries[7], "prev": "0" * 64}), *entries[8:]]
    assert _exact(relinked, fp) == (
        6,
        "unlinked",
        (
            "entry 7 does not link to it: entry 6 was altered and its hash recomputed, or "
            "entry 7's link was (the chain alone cannot tell which; a database store's "
            "columns can)"
        ),
        7,
        h[6],
    )


def test_verify_reads_on_from_where_it_left_off() -> None:
    entries, fp = _log()
    h = [str(e["hash"]) for e in entries]
    rest = verify(entries[10:], fp, after=(10, h[9]))
    assert (rest.ok, rest.count, rest.head) == (True, len(entries), h[-1])
    wrong = verify(entries[10:], fp, after=(10, h[8]))
    assert wrong.problem is not None
    assert (wrong.problem.seq, wrong.problem.kind, wrong.count) == (9, "unlinked", 10)
    assert verify(entries[10:], fp).problem is not None  # from the start: entry 10 is not 0


def test_a_checkpoint_before_the_entries_given_is_refused_not_called_a_rewrite() -> None:
    # An intact log was reported "rewritten" against a true checkpoint of 5 entries.
    entries, fp = _log()
    h = [str(e["hash"]) for e in entries]
    with pytest.raises(InvalidRecord) as error:
        verify(entries[10:], fp, Checkpoint(5, h[4]), after=(10, h[9]))
    assert (error.value.record, error.value.field) == ("verify", "checkpoint")
    assert "checkpoints of 10 entries or more" in error.value.expected
    assert error.value.received == Checkpoint(5, h[4])
    at_start = verify(entries[10:], fp, Checkpoint(10, h[9]), after=(10, h[9]))
    assert at_start.ok
    later = verify(
        entries[10:], fp, [Checkpoint(12, h[11]), Checkpoint(10, h[8])], after=(10, h[9])
    )
    assert later.problem is not None
    assert later.problem.kind == "rewritten"  # somewhere before the entries given


def test_a_registry_on_a_log_verified_by_its_caller_still_meets_the_checkpoint() -> None:
    # verified=True skipped the checkpoint: a truncated log, or "garbage", was accepted.
    registry = Registry(partnership_lifecycle())
    for decision in spb.decisions():
        registry.apply(decision)
    whole = registry.log.checkpoint()
    cut = AuditLog(registry.log.fingerprint)
    for entry in list(registry.log)[:19]:
        cut.append(entry)
    for verified in (False, True):
        with pytest.raises(TamperedLog) as error:
            Registry(registry.lifecycle, log=cut, checkpoint=whole, verified=verified)
        assert (error.value.seq, error.value.kind) == (19, "truncated")
        with pytest.raises(InvalidRecord, match="checkpoint"):
            Registry(registry.lifecycle, log=cut, checkpoint="garbage", verified=verified)  # type: ignore[arg-type]
        wrong = Checkpoint(10, "0" * 64)
        with pytest.raises(TamperedLog) as error:
            Registry(registry.lifecycle, log=cut, checkpoint=wrong, verified=verified)
        assert error.value.kind == "rewritten"
        kept = Registry(registry.lifecycle, log=cut, checkpoint=cut.checkpoint(), verified=verified)
        assert len(kept.log) == 19
        empty = Checkpoint(0, genesis(cut.fingerprint, cut.schema))
        assert (
            len(Registry(registry.lifecycle, log=cut, checkpoint=empty, verified=verified).log)
            == 19
        )


def test_a_log_of_an_older_schema_verifies_only_under_its_own_header() -> None:
    entries, fp = _log()
    older = [_rehashed({**entries[0], "schema": 2})]
    # Entry 0 links to the header hash, which names the schema: written under the newest.
    result = verify(older, fp, schema=2)
    assert result.problem is not None
    assert result.problem.kind in {"malformed", "unlinked"}
    assert verify(entries[:1], fp, schema=SCHEMA_VERSION).ok
    for schema in SCHEMAS[:-1]:
        assert not verify(entries[:1], fp, schema=schema).ok


def test_verify_refuses_a_fingerprint_that_is_not_one() -> None:
    entries, _ = _log()
    for bad in ("0" * 63, "g" * 64, 5):
        with pytest.raises(InvalidRecord) as caught:
            verify(entries, bad)  # type: ignore[arg-type]
        assert (caught.value.record, caught.value.field) == ("verify", "lifecycle_fingerprint")
        assert caught.value.expected == "a lifecycle's fingerprint (64 hex digits)"
        assert caught.value.received == bad


def test_a_column_that_disagrees_with_its_row_is_named() -> None:
    entries, fp = _log()

    def row(e: dict[str, Any], **change: object) -> Stored:
        columns = Columns(
            e["seq"], e["body"], e["decision"]["id"], e["prev"], e["hash"], e["schema"]
        )
        return Stored(canonical_bytes(e).decode(), e, columns._replace(**change))

    rows = [row(e) for e in entries]
    assert verify(rows, fp).ok
    rows[2] = row(entries[2], body="elsewhere")
    result = verify(rows, fp)
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind, result.count) == (2, "misindexed", 2)
    assert result.problem.message == (
        "its body column holds 'elsewhere', but its content says 'spb': the row was altered at rest"
    )
    rows[2] = row(entries[2], seq=2.0)  # equal, but not the same type
    assert verify(rows, fp).problem.kind == "misindexed"  # type: ignore[union-attr]


KINDS_EXPECTED = (
    "a kind of decision, or a list of at least one (built-in kinds' values, or members "
    "of a DecisionKind subclass)"
)


@pytest.mark.parametrize(
    ("make", "record", "field", "expected", "received"),
    [
        (lambda: decided_by([], ["A"]), "decision guard", "kinds", KINDS_EXPECTED, []),
        (lambda: decided_by(5, ["A"]), "decision guard", "kinds", KINDS_EXPECTED, 5),
        (
            lambda: decided_by([Kind.AGREE, Kind.RECOMMEND], ["A"]),
            "decision guard",
            "kinds",
            (
                "kinds of decision other than recommend (a recommendation satisfies no "
                "guard; count the decision of the authority it was made to)"
            ),
            [Kind.AGREE, Kind.RECOMMEND],
        ),
        (
            lambda: decided_by(Kind.AGREE, ["A"], name="  "),
            "decision guard",
            "name",
            "None or a non-empty text",
            "  ",
        ),
        (
            lambda: decided_by(Kind.AGREE, ["A"], name=5),
            "decision guard",
            "name",
            "None or a non-empty text",
            5,
        ),
        (
            lambda: decided_by(Kind.AGREE, ["A"], since_entered="yes"),
            "decision guard",
            "since_entered",
            "True or False",
            "yes",
        ),
        (
            lambda: decided_by(Kind.AGREE, ["A"], within="2013"),
            "decision guard",
            "within",
            "None or a window: within(...)",
            "2013",
        ),
        (
            lambda: every_partner(Kind.AGREE, since_entered=1),
            "decision guard",
            "since_entered",
            "True or False",
            1,
        ),
        (
            lambda: decided_by(Kind.AGREE, ["A", "A"]),
            "decided_by",
            "authorities",
            "a list of authority names (texts), each once",
            ["A", "A"],
        ),
        (
            lambda: decided_by(Kind.AGREE, "A"),
            "decided_by",
            "authorities",
            "a list of authority names (texts), each once",
            "A",
        ),
        (
            lambda: decided_by(Kind.AGREE, ["A", "B"], at_least=0),
            "decided_by",
            "at_least",
            "None or a whole number from 1 to 2",
            0,
        ),
    ],
)
def test_a_counting_guard_built_wrong_names_the_argument(
    make: Callable[[], object], record: str, field: str, expected: str, received: object
) -> None:
    with pytest.raises(InvalidRecord) as caught:
        make()
    e = caught.value
    assert (e.record, e.field, e.expected, e.received) == (record, field, expected, received)


def test_a_window_of_dates_is_kept_and_one_without_dates_is_not() -> None:
    dated = decided_by(Kind.AGREE, ["A"], within=within(D(2013, 1, 1), D(2013, 1, 31)))
    assert dated.within is not None
    assert (dated.within.start, dated.within.end) == (D(2013, 1, 1), D(2013, 1, 31))
    open_ended = decided_by(Kind.AGREE, ["A"], within=within(start=D(2013, 1, 1)))
    assert open_ended.within is not None
    assert (open_ended.within.start, open_ended.within.end) == (D(2013, 1, 1), None)
    entered = decided_by(Kind.AGREE, ["A"], within=within(since_entered=True))
    assert (entered.within, entered.since_entered) == (None, True)
    assert entered == decided_by(Kind.AGREE, ["A"], since_entered=True)


def test_a_counting_guard_names_what_it_awaits_in_words() -> None:
    # A agreed on 2 January 2013 (it moved the body in): inside January, not February.
    january = decided_by(Kind.AGREE, ["A", "B"], within=within(D(2013, 1, 1), D(2013, 1, 31)))
    (option,) = _two_steps(january).explain("b").options
    assert [r.message for r in option.reasons] == [
        "awaiting agreement from: B (counting decisions from 2013-01-01 to 2013-01-31)"
    ]
    february = decided_by(Kind.AGREE, ["A", "B"], within=within(D(2013, 2, 1), D(2013, 2, 28)))
    (option,) = _two_steps(february).explain("b").options
    said = (  # asked in January, before it opens
        "awaiting agreement from: A, B (counting decisions from 2013-02-01 to 2013-02-28); "
        "the window opens on 2013-02-01: a decision taken earlier does not count"
    )
    assert [r.message for r in option.reasons] == [said]


# Counting guards: arguments passed through, defaults, seats, stale terms, what they read.


def test_each_counting_guard_keeps_the_arguments_it_was_given() -> None:
    window = within(D(2013, 1, 1), D(2013, 1, 31))
    named = decided_by(Kind.AGREE, {"B", "A"}, at_least=1, name="agreed", within=window)
    assert (named.authorities, named.at_least, named.name, named.since_entered) == (
        ("A", "B"),
        1,
        "agreed",
        False,
    )
    assert named.within == window
    every = every_partner(Kind.AGREE, name="all agree", since_entered=True, within=window)
    assert (every.authorities, every.at_least, every.name) == (None, None, "all agree")
    assert (every.since_entered, every.within) == (True, window)
    one = any_partner(Kind.AGREE, name="one agrees", since_entered=True, within=window)
    assert (one.authorities, one.at_least, one.name) == (None, 1, "one agrees")
    assert (one.since_entered, one.within) == (True, window)
    assert not every_partner(Kind.AGREE).since_entered
    assert not any_partner(Kind.AGREE).since_entered


def test_by_default_a_decision_before_the_body_entered_counts() -> None:
    late = Lifecycle(
        name="late",
        states=["draft", "reviewed", "approved"],
        initial="draft",
        transitions=[
            Transition("review", "draft", "reviewed", guards=[decided_by(Kind.AGREE, ["A"])]),
            Transition("approve", "reviewed", "approved", guards=[decided_by(Kind.AGREE, ["B"])]),
        ],
    )
    registry = Registry(late)
    registry.apply(make("p", Kind.PROPOSE, "A", 0))
    registry.apply(make("b0", Kind.AGREE, "B", 1))
    registry.apply(make("a1", Kind.AGREE, "A", 1, trigger="review"))
    assert registry.explain("b").options[0].possible


def _seats(guard: object, seats: dict[str, int]) -> Registry:
    """A body of partners A and B with ``seats``, open until ``guard`` passes."""
    lifecycle = Lifecycle(
        name="seats",
        states=["open", "full"],
        initial="open",
        transitions=[Transition("fill", "open", "full", guards=[guard])],  # type: ignore[list-item]
    )
    registry = Registry(lifecycle)
    registry.apply(make("p", Kind.PROPOSE, "A", 0, terms=Terms("Board", ["A", "B"], seats=seats)))
    return registry


def _seated(seats: dict[str, int], nominees: dict[str, tuple[str, ...]]) -> list[Reason]:
    registry = _seats(nominations_from_every_partner(), seats)
    for number, (partner, names) in enumerate(nominees.items()):
        registry.apply(make(f"n{number}", Kind.NOMINATE, partner, 1, nominees=names))
    return list(registry.explain("b").options[0].reasons)


def test_nominations_are_counted_against_each_partners_seats() -> None:
    assert _seated({"A": 2, "B": 1}, {"A": ("x", "y"), "B": ("z",)}) == []
    (short,) = _seated({"A": 2, "B": 1}, {"A": ("x",), "B": ("z",)})
    assert short.message == "awaiting 1 more nominations from: A"
    assert dict(short.params) == {"missing": ("A",), "seats": 2, "named": 1}
    (none,) = _seated({"A": 2}, {"B": ("z",)})
    assert none.message == "awaiting nominations from: A"
    assert dict(none.params) == {"missing": ("A",)}
    assert _seated({}, {"A": ("x",), "B": ("z",)}) == []
    assert _seated({"A": 1}, {"A": ("x", "x"), "B": ("z",)}) == []  # one person, twice


def test_a_windowed_guard_says_what_it_read_from_the_body() -> None:
    from govflow.guards import entered  # noqa: PLC0415

    guard = decided_by(Kind.AGREE, ["B"], within=within(end=entered("reviewed", days=10)))
    registry = _two_steps(guard)
    assert registry.explain("b").used == (
        ("approve", "10 days after entering reviewed", "2013-01-12"),
    )
    seated = nominations_from_every_partner(within=within(end=entered("reviewed", days=3)))
    assert _two_steps(seated).explain("b").used == (
        ("approve", "3 days after entering reviewed", "2013-01-05"),
    )


def test_an_intact_log_is_verified_without_building_a_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries, fp = _log()

    def refuse(data: object) -> object:
        raise AssertionError("the strict reader was used on an intact entry")

    monkeypatch.setattr(sys.modules["govflow.log.verify"], "entry_from_dict", refuse)
    assert verify(entries, fp).ok
    assert verify([Stored(canonical_bytes(e).decode(), e) for e in entries], fp).ok


def test_a_stored_text_that_is_not_canonical_goes_to_the_strict_reader() -> None:
    entries, fp = _log()
    canonical = canonical_bytes(entries[0]).decode()
    # The stored text is hashed as it is (without its hash member): a text with one more
    # space is not what was written, and is left to the strict reader.
    assert _sound(Stored(canonical, entries[0])) is not None
    assert _sound(Stored("{ " + canonical[1:], entries[0])) is None
    rows = [Stored("{ " + canonical_bytes(e).decode()[1:], e) for e in entries]
    assert verify(rows, fp).ok  # read strictly, and intact
    e = entries[1]
    columns = Columns(e["seq"], "elsewhere", e["decision"]["id"], e["prev"], e["hash"], 3)  # type: ignore[index]
    rows[1] = Stored("{ " + canonical_bytes(e).decode()[1:], e, columns)
    result = verify(rows, fp)
    assert result.problem is not None
    assert (result.problem.kind, result.count, result.head) == ("misindexed", 1, entries[0]["hash"])


def test_an_out_of_place_entry_is_classified_past_an_unreadable_one() -> None:
    entries, fp = _log()
    rows: list[object] = [*entries[:4], entries[5], Stored("not json", "not json"), entries[4]]
    result = verify(rows, fp)  # type: ignore[arg-type]
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (4, "reordered")


@pytest.mark.parametrize("given", ["a checkpoint", [5], 5])
def test_a_checkpoint_that_is_not_one_is_named(given: object) -> None:
    entries, fp = _log()
    with pytest.raises(InvalidRecord) as caught:
        verify(entries, fp, given)  # type: ignore[arg-type]
    e = caught.value
    assert (e.record, e.field, e.expected, e.received) == (
        "verify",
        "checkpoint",
        "a Checkpoint or TreeHead, a list of them, or None",
        given,
    )


def test_a_decision_on_earlier_terms_is_named_stale_in_words() -> None:
    registry = _two_steps(decided_by(Kind.AGREE, ["A", "B"]))
    registry.apply(make("b1", Kind.AGREE, "B", 2))
    amended = Terms(title="Test Board", partners=("LGA", "APCC"), version=2)
    registry.apply(make("m", Kind.AMEND, "A", 3, terms=amended))
    (option,) = registry.explain("b").options
    (reason,) = option.reasons
    assert reason.message == (
        "awaiting agreement from: A, B (A, B decided on an earlier version of the terms; "
        "they must decide again on version 2)"
    )
    assert reason.param("stale") == ("A", "B")


def test_nominations_give_their_reasons_codes_and_evidence() -> None:
    guard = nominations_from_every_partner()
    registry = _seats(guard, {"A": 2})
    registry.apply(make("n0", Kind.NOMINATE, "A", 1, nominees=("x",)))
    verdict = guard(registry.body("b"), When.on(D(2013, 1, 3)))
    assert [r.code for r in verdict.reasons] == ["awaiting_nominations", "awaiting_nominations"]
    assert [r.message for r in verdict.reasons] == [
        "awaiting nominations from: B",
        "awaiting 1 more nominations from: A",
    ]
    assert verdict.evidence == (1,)
    registry.apply(make("n1", Kind.NOMINATE, "A", 2, nominees=("y",)))
    registry.apply(make("n2", Kind.NOMINATE, "B", 2, nominees=("z",)))
    done = guard(registry.body("b"), When.on(D(2013, 1, 4)))
    assert (done.passed, done.evidence) == (True, (1, 2, 3))
    with pytest.raises(InvalidRecord) as caught:
        nominations_from_every_partner(within="2013")  # type: ignore[arg-type]
    assert (caught.value.record, caught.value.field) == ("nominations_from_every_partner", "within")


def _accepting() -> Registry:
    """A lifecycle whose draft accepts agreement and proposal only, and done nothing."""
    lifecycle = Lifecycle(
        name="accepting",
        states=["draft", "done"],
        initial="draft",
        final=["done"],
        kinds=[Kind.PROPOSE, Kind.AGREE, Kind.NOTE, Kind.RESCIND, Kind.ENDORSE],
        accepts={"draft": [Kind.AGREE, Kind.PROPOSE]},
        transitions=[Transition("finish", "draft", "done")],
    )
    registry = Registry(lifecycle)
    registry.apply(make("p", Kind.PROPOSE, "A", 0))
    return registry


def test_a_kind_the_state_refuses_is_named_with_what_it_accepts() -> None:
    registry = _accepting()
    with pytest.raises(NotAccepted) as caught:
        registry.apply(make("e", Kind.ENDORSE, "A", 1))
    e = caught.value
    assert (e.decision_id, e.body, e.state, e.kind) == ("e", "b", "draft", "endorse")
    assert (e.accepted, e.declared) == (("agree", "propose"), True)
    assert "state 'draft' does not accept an 'endorse' decision; it accepts: agree, propose" in str(
        e
    )
    with pytest.raises(NotAccepted) as caught:
        registry.apply(make("v", Kind.NOMINATE, "A", 1))
    assert (caught.value.kind, caught.value.accepted) == ("nominate", ("agree", "propose"))
    # A note and a correction are taken in any state; the log is unchanged by refusals.
    registry.apply(make("n", Kind.NOTE, "A", 1, reasons=("noted",)))
    registry.apply(make("a", Kind.AGREE, "A", 1))
    registry.apply(make("r", Kind.RESCIND, "A", 2, supersedes="a"))
    assert [e.decision.id for e in registry.log] == ["p", "n", "a", "r"]


def test_an_entry_of_another_schema_than_the_header_is_malformed_though_rehashed() -> None:
    """Verify said intact, and replay counted the entry under its own schema's rules."""
    entries, fp = _log()  # a log of the newest schema
    older = {**entries[5], "schema": 3}
    forged = [*entries[:5], _rehashed(older)]
    result = verify(forged, fp)
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (5, "malformed")
    assert result.problem.message.startswith(
        f"its schema is 3, but the log's header names {SCHEMA_VERSION}: a log holds entries"
    )
    assert result.count == 5
