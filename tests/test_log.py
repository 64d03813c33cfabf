"""The audit log: canonical form, hashing, chaining, checkpoints and verification."""

from __future__ import annotations

import datetime as dt
import hashlib

import attrs
import pytest
import structlog

from govflow import (
    AppendConflict,
    AuditLog,
    Checkpoint,
    Decision,
    DecisionKind,
    Delegation,
    Entry,
    InvalidRecord,
    Kind,
    Mandate,
    Position,
    Registry,
    Source,
    Target,
    Terms,
    When,
    verify,
)
from govflow.log import entry_from_dict, entry_to_dict
from govflow.log.entry import genesis, seal
from govflow.scenarios import partnership_lifecycle, spb

from .helpers import LIFECYCLE, endorse_all, make, resealed

ZERO = "0" * 64


class TestCanonicalForm:
    def test_an_entry_is_hashed_over_exactly_the_documented_bytes(self) -> None:
        decision = Decision(
            id="d",
            body="b",
            kind=Kind.AGREE,
            actor="APCC",
            decided=When.month(2012, 9),
            source=Source("s", "p2"),
        )
        entry = seal(
            seq=0,
            body="b",
            decision=decision,
            before="proposed",
            after="proposed",
            terms_version=1,
            verdicts=(),
            mandate=Mandate("APCC", "APCC"),
            prev=ZERO,
            schema=1,
        )
        # Written by hand from docs/canonical-form.md: keys sorted, no spaces, every field.
        expected = (
            '{"after":"proposed","before":"proposed","body":"b","decision":{"actor":"APCC",'
            '"alternatives_rejected":[],"body":"b","conflicts_declared":[],"decided":"2012-09",'
            '"delegation":null,"dispensations":[],"id":"d","kind":"agree","meeting":null,'
            '"nominees":[],"on_behalf_of":null,"ratifies":[],"reasons":[],"recorded":null,'
            '"source":{"document":"s","locator":"p2"},"supersedes":null,"target":null,'
            '"terms":null,"to":null,"trigger":null},"mandate":{"actor":"APCC",'
            '"delegated_by":null,"organisation":"APCC"},"prev":"'
            + ZERO
            + '","schema":1,"seq":0,"terms_version":1,"verdicts":[]}'
        ).encode()
        assert entry.hash == hashlib.sha256(expected).hexdigest()

    def test_a_schema_2_entry_adds_the_position_and_may_hold_a_declared_kind(self) -> None:
        class Motion(DecisionKind):
            VOTE = "vote"

        decision = Decision(
            id="d",
            body="b",
            kind=Motion.VOTE,
            actor="APCC",
            decided=When.month(2012, 9),
            source=Source("s", "p2"),
            position=Position.AGAINST,
        )
        entry = seal(
            seq=0,
            body="b",
            decision=decision,
            before="proposed",
            after="proposed",
            terms_version=1,
            verdicts=(),
            mandate=Mandate("APCC", "APCC"),
            prev=ZERO,
            schema=2,
        )
        # Written by hand from docs/canonical-form.md (schema 2: "position" after "on_behalf_of").
        expected = (
            '{"after":"proposed","before":"proposed","body":"b","decision":{"actor":"APCC",'
            '"alternatives_rejected":[],"body":"b","conflicts_declared":[],"decided":"2012-09",'
            '"delegation":null,"dispensations":[],"id":"d","kind":"vote","meeting":null,'
            '"nominees":[],"on_behalf_of":null,"position":"against","ratifies":[],"reasons":[],'
            '"recorded":null,"source":{"document":"s","locator":"p2"},"supersedes":null,'
            '"target":null,"terms":null,"to":null,"trigger":null},"mandate":{"actor":"APCC",'
            '"delegated_by":null,"organisation":"APCC"},"prev":"'
            + ZERO
            + '","schema":2,"seq":0,"terms_version":1,"verdicts":[]}'
        ).encode()
        assert entry.schema == 2
        assert entry.hash == hashlib.sha256(expected).hexdigest()
        again = entry_from_dict(entry_to_dict(entry))
        assert again == entry
        assert again.decision.kind == Motion.VOTE
        assert again.decision.position is Position.AGAINST

    def test_schema_1_cannot_hold_a_position_or_a_declared_kind(self) -> None:
        decision = make("d", Kind.AGREE, "APCC", 1, position=Position.FOR)
        with pytest.raises(InvalidRecord, match="schema 1 does not hold it"):
            seal(
                seq=0,
                body="b",
                decision=decision,
                before="x",
                after="x",
                terms_version=1,
                verdicts=(),
                mandate=Mandate("APCC", "APCC"),
                prev=ZERO,
                schema=1,
            )

    def test_non_ascii_text_is_written_as_itself_in_utf8(self) -> None:
        decision = make("d", Kind.AGREE, "Conseil régional", 1)
        entry = seal(
            seq=0,
            body="b",
            decision=decision,
            before="x",
            after="x",
            terms_version=1,
            verdicts=(),
            mandate=Mandate("Conseil régional", "Conseil régional"),
            prev=ZERO,
        )
        data = entry_to_dict(entry)
        del data["hash"]
        from govflow.canonical import canonical_bytes  # noqa: PLC0415

        assert "Conseil régional".encode() in canonical_bytes(data)

    def test_the_genesis_hash_covers_the_schema_and_the_lifecycle(self) -> None:
        for schema in (1, 2, 3, 4):
            header = b'{"lifecycle":"' + LIFECYCLE.fingerprint.encode() + b'","schema":%d}' % schema
            assert genesis(LIFECYCLE.fingerprint, schema) == hashlib.sha256(header).hexdigest()
        assert genesis(LIFECYCLE.fingerprint) == genesis(LIFECYCLE.fingerprint, 4)

    def test_an_entry_round_trips_through_plain_data(self, registry: Registry) -> None:
        endorse_all(registry)
        for entry in registry.log:
            assert entry_from_dict(entry_to_dict(entry)) == entry


def seven_entry_log() -> list[Entry]:
    registry = Registry(LIFECYCLE)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    endorse_all(registry)
    for number, actor in enumerate(["LGA", "APCC", "PCCs", "LGA"], 3):
        registry.apply(
            make(f"x{number}", Kind.NOMINATE if number < 5 else Kind.AGREE, actor, number)
        )
    return list(registry.log)


def check(entries: list[object], checkpoint: Checkpoint | None = None) -> tuple[int, str] | None:
    result = verify(entries, LIFECYCLE.fingerprint, checkpoint)  # type: ignore[arg-type]
    return None if result.problem is None else (result.problem.seq, result.problem.kind)


class TestVerify:
    def test_an_intact_log_verifies_with_its_count_and_head(self) -> None:
        entries = seven_entry_log()
        result = verify(entries, LIFECYCLE.fingerprint)
        assert (result.ok, result.count, result.head) == (True, 7, entries[-1].hash)
        assert str(result) == f"intact: 7 entries, head {entries[-1].hash}"

    def test_an_empty_log_verifies(self) -> None:
        result = verify([], LIFECYCLE.fingerprint, Checkpoint(0, genesis(LIFECYCLE.fingerprint)))
        assert (result.ok, result.count) == (True, 0)

    def test_an_altered_entry_is_named(self) -> None:
        entries = seven_entry_log()
        entries[3] = attrs.evolve(entries[3], after="established")
        assert check(entries) == (3, "altered")

    def test_a_problem_reads_as_verify_prints_it(self) -> None:
        entries = seven_entry_log()
        entries[3] = attrs.evolve(entries[3], after="established")
        result = verify(entries, LIFECYCLE.fingerprint)
        assert result.problem is not None
        line = f"entry 3: altered: {result.problem.message}"
        assert (str(result.problem), str(result)) == (line, line)

    def test_an_altered_decision_is_named(self) -> None:
        entries = seven_entry_log()
        forged = attrs.evolve(entries[4].decision, actor="PCCs")
        entries[4] = attrs.evolve(entries[4], decision=forged)
        assert check(entries) == (4, "altered")

    def test_an_altered_and_rehashed_entry_is_named_by_the_broken_link(self) -> None:
        entries = seven_entry_log()
        entries[3] = resealed(entries, 3, after="shadow")[3]
        assert check(entries) == (3, "unlinked")

    def test_a_dropped_entry_is_named(self) -> None:
        entries = seven_entry_log()
        del entries[2]
        assert check(entries) == (2, "dropped")

    def test_an_inserted_entry_is_named(self) -> None:
        entries = seven_entry_log()
        entries.insert(3, entries[1])
        assert check(entries) == (3, "inserted")

    def test_reordered_entries_are_named(self) -> None:
        entries = seven_entry_log()
        entries[2], entries[3] = entries[3], entries[2]
        assert check(entries) == (2, "reordered")

    def test_a_log_read_under_another_lifecycle_fails_at_its_first_entry(self) -> None:
        result = verify(seven_entry_log(), "f" * 64)
        assert result.problem is not None
        assert (result.problem.seq, result.problem.kind) == (0, "unlinked")
        assert "another lifecycle" in result.problem.message

    def test_truncation_passes_the_chain_but_not_a_checkpoint(self) -> None:
        entries = seven_entry_log()
        checkpoint = Checkpoint(7, entries[-1].hash)
        assert check(entries[:5]) is None
        assert check(entries[:5], checkpoint) == (5, "truncated")

    def test_a_rewritten_chain_passes_alone_but_not_against_a_checkpoint(self) -> None:
        entries = seven_entry_log()
        checkpoint = Checkpoint(7, entries[-1].hash)
        forged = resealed(entries, 2, after="ended")
        assert check(forged) is None
        # One checkpoint says the chain differs somewhere before it, not where.
        assert check(forged, checkpoint) == (0, "rewritten")

    def test_a_checkpoint_after_each_append_names_the_first_rewritten_entry(self) -> None:
        entries = seven_entry_log()
        history = [Checkpoint(n + 1, e.hash) for n, e in enumerate(entries)]
        for first in range(len(entries)):
            forged = resealed(entries, first, after="ended")
            problem = verify(forged, LIFECYCLE.fingerprint, history).problem
            assert problem is not None
            assert (problem.seq, problem.kind) == (first, "rewritten")
            assert f"rewritten from entry {first}" in problem.message
        # Sparse checkpoints narrow it to the span after the last one matched.
        sparse = [history[1], history[5]]
        problem = verify(resealed(entries, 3, after="ended"), LIFECYCLE.fingerprint, sparse)
        assert problem.problem is not None
        assert problem.problem.seq == 2
        assert "one of entries 2 to 5" in problem.problem.message

    def test_two_checkpoints_of_one_count_with_different_heads_fail_either_branch(self) -> None:
        # Two partners' histories merged after a fork: neither branch verifies against
        # both, in whichever order they are given (the later one once hid the earlier).
        entries = seven_entry_log()
        forged = resealed(entries, 2, after="ended")
        kept, other = Checkpoint(7, entries[-1].hash), Checkpoint(7, forged[-1].hash)
        for log in (entries, forged):
            for history in ([kept, other], [other, kept]):
                problem = verify(log, LIFECYCLE.fingerprint, history).problem
                assert problem is not None
                assert (problem.seq, problem.kind) == (6, "rewritten")
                assert problem.message.startswith(
                    "the checkpoints record 2 different heads after 7 entries, and this log "
                    "has one of them: the log was forked"
                )
                assert "rewritten from" not in problem.message  # neither branch is blamed
        # A third log, matching neither, is rewritten; one cut short is truncated; both
        # are told of the fork.
        third = resealed(entries, 4, after="ended")
        problem = verify(third, LIFECYCLE.fingerprint, [kept, other]).problem
        assert problem is not None
        assert problem.kind == "rewritten"
        assert "rewritten from one of entries 0 to 6" in problem.message
        assert problem.message.endswith("2 different heads after 7 entries: the log was forked")
        problem = verify(entries[:5], LIFECYCLE.fingerprint, [kept, other]).problem
        assert problem is not None
        assert problem.kind == "truncated"
        assert problem.message.endswith("the log was forked")
        # The same checkpoint given twice is one checkpoint.
        assert check(entries, [kept, kept]) is None

    def test_a_log_that_grew_since_the_checkpoint_still_verifies(self) -> None:
        entries = seven_entry_log()
        assert check(entries, Checkpoint(4, entries[3].hash)) is None
        assert check(entries, Checkpoint(4, entries[2].hash)) == (0, "rewritten")

    def test_plain_data_is_verified_from_rebuilt_canonical_bytes(self) -> None:
        data = [entry_to_dict(e) for e in seven_entry_log()]
        assert check(data) is None
        data[5]["decision"]["actor"] = "Somebody else"  # type: ignore[index]
        assert check(data) == (5, "altered")

    def test_a_malformed_record_is_named_with_its_field(self) -> None:
        data = [entry_to_dict(e) for e in seven_entry_log()]
        del data[4]["after"]
        result = verify(data, LIFECYCLE.fingerprint)
        assert result.problem is not None
        assert (result.problem.seq, result.problem.kind) == (4, "malformed")
        assert "Entry #4.after must be present" in result.problem.message
        assert str(result).startswith("entry 4: malformed: ")


class TestEntryFromDict:
    @pytest.fixture
    def data(self) -> dict[str, object]:
        return entry_to_dict(seven_entry_log()[2])

    @pytest.mark.parametrize(
        ("path", "value", "field"),
        [
            (("decision", "kind"), "Approve!", "decision.kind"),
            (("decision", "decided"), "Sept 2012", "decision.decided.iso"),
            (("decision", "source", "document"), "", "decision.source.document"),
            (("seq",), True, "seq"),
            (("prev",), "abc", "prev"),
            (
                ("verdicts",),
                [{"guard": "g", "passed": "yes", "reasons": [], "evidence": []}],
                "verdicts[0].passed",
            ),
            (("decision", "reasons"), ["ok", 3], "decision.reasons"),
        ],
    )
    def test_a_bad_field_is_named_by_its_path(
        self, data: dict[str, object], path: tuple[str, ...], value: object, field: str
    ) -> None:
        target: dict[str, object] = data
        for key in path[:-1]:
            target = target[key]  # type: ignore[assignment]
        target[path[-1]] = value
        with pytest.raises(InvalidRecord) as error:
            entry_from_dict(data)
        record = "Entry" if path == ("seq",) else "Entry #2"
        assert (error.value.record, error.value.field) == (record, field)

    def test_a_missing_nested_field_is_named(self, data: dict[str, object]) -> None:
        del data["decision"]["actor"]  # type: ignore[attr-defined]
        with pytest.raises(InvalidRecord, match=r"Entry #2\.decision\.actor must be present"):
            entry_from_dict(data)

    def test_an_unexpected_field_is_named(self, data: dict[str, object]) -> None:
        data["colour"] = "red"
        with pytest.raises(InvalidRecord, match=r"Entry #2\.colour must be not present"):
            entry_from_dict(data)

    def test_another_schema_version_says_which_this_release_reads(
        self, data: dict[str, object]
    ) -> None:
        data["schema"] = 5
        wanted = "one of the schema versions 1, 2, 3, 4 \\(this release reads those\\)"
        with pytest.raises(InvalidRecord, match=wanted):
            entry_from_dict(data)

    def test_something_that_is_not_an_object(self) -> None:
        with pytest.raises(InvalidRecord, match="must be a JSON object"):
            entry_from_dict([1, 2])  # type: ignore[arg-type]


class TestAuditLog:
    def test_append_refuses_an_entry_that_does_not_follow_the_head(self) -> None:
        entries = seven_entry_log()
        log = AuditLog(LIFECYCLE.fingerprint, entries[:3])
        with pytest.raises(AppendConflict) as error:
            log.append(entries[4])
        assert (error.value.expected_seq, error.value.seq) == (3, 4)
        assert len(log) == 3
        stale = attrs.evolve(entries[3], prev=entries[1].hash)
        with pytest.raises(AppendConflict, match="another writer appended first"):
            log.append(stale)
        log.append(entries[3])
        assert log.head == entries[3].hash
        with pytest.raises(InvalidRecord, match=r"AuditLog\.append\.entry must be an Entry"):
            log.append(entry_to_dict(entries[4]))  # type: ignore[arg-type]
        assert len(log) == 4

    def test_it_reads_as_a_sequence(self) -> None:
        entries = seven_entry_log()
        log = AuditLog(LIFECYCLE.fingerprint, entries)
        assert (len(log), log[0], list(log[1:3]), list(log)) == (
            7,
            entries[0],
            entries[1:3],
            entries,
        )
        assert repr(log) == f"<AuditLog 7 entries, head {entries[-1].hash[:12]}>"

    def test_it_gives_back_entries_equal_to_those_appended_of_every_kind(self) -> None:
        # The seeds' scenario: proposals with terms, delegated mandates, verdicts with
        # reasons and evidence, amendments, ratifications.
        lifecycle = partnership_lifecycle(authorities=spb.authorities())
        registry = Registry(lifecycle, logger=structlog.get_logger("test"))
        applied = [registry.apply(d) for d in (*spb.decisions(), *spb.played_forward())]
        assert any(e.verdicts for e in applied)
        assert any(e.mandate.organisation != e.mandate.actor for e in applied)
        log = AuditLog(lifecycle.fingerprint)
        for entry in applied:
            log.append(entry)
        for kept in (log, registry.log, AuditLog(lifecycle.fingerprint, applied)):
            assert list(kept) == applied
            n = len(applied)
            assert [kept[i] for i in range(-n, n)] == applied + applied
            assert list(kept[::3]) == applied[::3]
            assert list(kept[-4:-1]) == applied[-4:-1]
            assert kept.head == applied[-1].hash
        with pytest.raises(IndexError):
            _ = log[len(applied)]

    def test_entries_given_to_start_from_are_kept_as_they_are(self) -> None:
        entries = seven_entry_log()
        odd = [entries[4], entries[0], attrs.evolve(entries[2], schema=1)]
        log = AuditLog(LIFECYCLE.fingerprint, odd)
        assert list(log) == odd
        assert log.head == entries[2].hash
        assert not log.verify().ok

    def test_a_checkpoint_round_trips_through_json(self) -> None:
        log = AuditLog(LIFECYCLE.fingerprint, seven_entry_log())
        checkpoint = log.checkpoint()
        assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint
        assert log.verify(checkpoint).ok

    @pytest.mark.parametrize(
        ("text", "field"),
        [
            ("nonsense", "(text)"),
            ("[1]", "(text)"),
            ('{"count": -1, "head": "' + ZERO + '"}', "count"),
            ('{"count": 1, "head": "ab"}', "head"),
        ],
    )
    def test_a_bad_checkpoint_is_named(self, text: str, field: str) -> None:
        with pytest.raises(InvalidRecord) as error:
            Checkpoint.from_json(text)
        assert error.value.field == field


class TestStrictReading:
    """Each way plain data can be wrong is named by the field's path."""

    @pytest.fixture
    def data(self) -> dict[str, object]:
        return entry_to_dict(seven_entry_log()[2])

    def test_a_verdict_with_reasons_round_trips(self) -> None:
        from govflow import Reason, Verdict  # noqa: PLC0415

        verdict = Verdict.fail(
            "g",
            Reason("awaiting", {"missing": ("A", "B"), "needed": 2, "what": "x"}, "m"),
            evidence=(0,),
        )
        entry = seal(
            seq=0,
            body="b",
            decision=make("d", Kind.AGREE, "A", 1),
            before="x",
            after="x",
            terms_version=1,
            verdicts=(verdict,),
            mandate=Mandate("A", "A"),
            prev=ZERO,
        )
        assert entry_from_dict(entry_to_dict(entry)) == entry

    def test_a_bad_reason_parameter_is_named(self, data: dict[str, object]) -> None:
        data["verdicts"] = [
            {
                "guard": "g",
                "passed": False,
                "evidence": [],
                "reasons": [{"code": "c", "message": "m", "params": {"who": [1]}}],
            }
        ]
        with pytest.raises(InvalidRecord) as error:
            entry_from_dict(data)
        assert error.value.field == "verdicts[0].reasons[0].params.who"

    def test_evidence_must_be_whole_numbers(self, data: dict[str, object]) -> None:
        data["verdicts"][0]["evidence"] = ["1"]  # type: ignore[index]
        with pytest.raises(InvalidRecord, match="a list of whole numbers"):
            entry_from_dict(data)

    def test_a_required_field_may_not_be_null(self, data: dict[str, object]) -> None:
        data["after"] = None
        with pytest.raises(InvalidRecord, match=r"Entry #2\.after must be of type str"):
            entry_from_dict(data)

    def test_a_missing_nested_object_is_named(self, data: dict[str, object]) -> None:
        del data["decision"]
        with pytest.raises(InvalidRecord, match=r"Entry #2\.decision must be present"):
            entry_from_dict(data)

    def test_a_recorded_date_that_is_not_a_day_is_named(self, data: dict[str, object]) -> None:
        data["decision"]["recorded"] = "13 February 2013"  # type: ignore[index]
        with pytest.raises(InvalidRecord, match=r"decision\.recorded must be a YYYY-MM-DD day"):
            entry_from_dict(data)

    def test_proposed_terms_are_read_back(self) -> None:
        entry = seven_entry_log()[0]
        assert entry.decision.terms is not None
        assert entry_from_dict(entry_to_dict(entry)).decision.terms == entry.decision.terms


class TestNewerRecords:
    """Delegations, targets, recipients, ratifications, seats and places survive the round trip."""

    def entry_of(self, decision: Decision) -> Entry:
        return seal(
            seq=0,
            body="b",
            decision=decision,
            before="x",
            after="x",
            terms_version=1,
            verdicts=(),
            mandate=Mandate("A", "A"),
            prev=ZERO,
        )

    @pytest.mark.parametrize(
        "fields",
        [
            {
                "kind": Kind.DELEGATE,
                "delegation": Delegation(
                    "B", ["nominate"], dt.date(2013, 3, 1), dt.date(2013, 3, 31)
                ),
            },
            {
                "kind": Kind.DELEGATE,
                "delegation": Delegation("B", ["agree", "endorse"], dt.date(2013, 3, 1)),
            },
            {"kind": Kind.TARGET, "target": Target("established", When.month(2013, 4))},
            {"kind": Kind.RECOMMEND, "to": "APCC Transitional Board"},
            {"kind": Kind.RATIFY, "ratifies": ["d1", "d2"]},
            {
                "kind": Kind.AMEND,
                "terms": Terms("T", ["A", "B"], seats={"A": 2}, places=["Chair"], version=2),
            },
        ],
    )
    def test_round_trip(self, fields: dict[str, object]) -> None:
        own = dict(fields)  # the parameters are shared: a second run must find them whole
        kind = own.pop("kind")
        entry = self.entry_of(make("d", kind, "A", 1, **own))  # type: ignore[arg-type]
        assert entry_from_dict(entry_to_dict(entry)) == entry
        assert fields["kind"] is kind

    def test_a_delegation_without_a_start_is_named(self) -> None:
        delegation = Delegation("B", ["nominate"], dt.date(2013, 3, 1))
        data = entry_to_dict(self.entry_of(make("d", Kind.DELEGATE, "A", 1, delegation=delegation)))
        data["decision"]["delegation"]["start"] = None  # type: ignore[index]
        with pytest.raises(
            InvalidRecord, match=r"decision\.delegation\.start must be a YYYY-MM-DD day"
        ):
            entry_from_dict(data)

    def test_seats_must_be_whole_numbers(self) -> None:
        terms = Terms("T", ["A"], seats={"A": 1})
        data = entry_to_dict(
            self.entry_of(make("d", Kind.AMEND, "A", 1, terms=Terms("T", ["A"], version=2)))
        )
        data["decision"]["terms"] = {
            **entry_to_dict(self.entry_of(make("p", Kind.PROPOSE, "A", 0, terms=terms)))[
                "decision"
            ]["terms"],
            "seats": {"A": "one"},
        }  # type: ignore[index]
        with pytest.raises(
            InvalidRecord, match=r"decision\.terms\.seats\.A must be an object of whole numbers"
        ):
            entry_from_dict(data)

    def test_a_target_needs_a_when(self) -> None:
        with pytest.raises(InvalidRecord, match=r"Target\.by must be a When"):
            Target("established", "April 2013")  # type: ignore[arg-type]

    def test_seats_given_as_pairs_are_sorted(self) -> None:
        assert Terms("T", ["A", "B"], seats=[("B", 1), ("A", 2)]).seats == (("A", 2), ("B", 1))

    def test_seats_of_another_shape_are_refused(self) -> None:
        with pytest.raises(InvalidRecord, match=r"Terms\.seats"):
            Terms("T", ["A"], seats=3)  # type: ignore[arg-type]
