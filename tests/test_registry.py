"""Applying decisions: accepted atomically, or refused with a typed error and nothing changed."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
import structlog
from structlog.testing import capture_logs

from govflow import (
    AuditLog,
    Body,
    BodyExists,
    Decision,
    DecisionRefused,
    DuplicateDecision,
    GuardError,
    GuardFailed,
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleMismatch,
    NoSuchBody,
    OutOfOrder,
    Reason,
    Registry,
    ReplayMismatch,
    Source,
    TamperedLog,
    Transition,
    TriggerNotAllowed,
    UnknownBody,
    UnknownDecision,
    When,
)
from govflow.guards import named
from govflow.log import entry_from_dict, entry_text, seal
from govflow.scenarios import SHADOW_MEETING
from govflow.stores import JsonlStore

from .helpers import LIFECYCLE, endorse_all, make


def _relinked(line: str, **changes: object) -> str:
    """The stored entry on ``line`` with ``changes``, sealed again: its hash is its content's."""
    fields = attrs.asdict(entry_from_dict(json.loads(line)), recurse=False)
    del fields["hash"]
    return entry_text(seal(**{**fields, **changes}))


@contextmanager
def unchanged(registry: Registry) -> Iterator[None]:
    """Assert that the block leaves the bodies and the log exactly as they were."""
    bodies, entries, head = dict(registry.bodies), list(registry.log), registry.log.head
    yield
    assert dict(registry.bodies) == bodies
    assert list(registry.log) == entries
    assert registry.log.head == head


class TestAccepted:
    def test_a_proposal_creates_the_body_in_the_initial_state(self, registry: Registry) -> None:
        body = registry.body("b")
        assert (body.state, body.terms.title, body.history) == (
            "proposed",
            "Test Board",
            ("proposed",),
        )
        entry = registry.log[0]
        assert (entry.seq, entry.before, entry.after, entry.terms_version) == (
            0,
            None,
            "proposed",
            1,
        )

    def test_a_decision_without_a_trigger_is_recorded_and_moves_nothing(
        self, registry: Registry
    ) -> None:
        entry = registry.apply(make("a", Kind.AGREE, "APCC", 1))
        assert (entry.seq, entry.before, entry.after, entry.verdicts) == (
            1,
            "proposed",
            "proposed",
            (),
        )
        assert [f.decision.id for f in registry.body("b").facts] == ["p", "a"]

    def test_a_body_read_between_decisions_that_only_add_facts_has_each_of_them(
        self, registry: Registry
    ) -> None:
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        first = registry.body("b")
        registry.apply(make("n", Kind.NOMINATE, "LGA", 2))
        registry.apply(make("m", Kind.NOMINATE, "APCC", 3))
        assert [f.decision.id for f in first.facts] == ["p", "a"]  # unchanged since
        assert [f.decision.id for f in registry.bodies["b"].facts] == ["p", "a", "n", "m"]
        assert registry.body("b").floor == make("m", Kind.NOMINATE, "APCC", 3).decided.earliest
        assert [f.organisation for f in registry.body("b").facts] == ["LGA", "APCC", "LGA", "APCC"]

    def test_entries_by_the_same_actor_share_one_mandate(self, registry: Registry) -> None:
        one = registry.apply(make("a", Kind.NOMINATE, "LGA", 1))
        two = registry.apply(make("n", Kind.NOMINATE, "LGA", 2))
        assert one.mandate is two.mandate is registry.log[0].mandate

    def test_a_trigger_whose_guards_pass_moves_the_body_and_records_the_evidence(
        self, registry: Registry
    ) -> None:
        endorse_all(registry)
        entry = registry.log[-1]
        assert (entry.before, entry.after, entry.trigger) == ("proposed", "endorsed", "endorse")
        assert [(v.guard, v.passed, v.evidence) for v in entry.verdicts] == [
            ("agreed by every partner", True, (1, 2))
        ]
        assert registry.body("b").history == ("proposed", "endorsed")

    def test_the_whole_main_line_can_be_walked(self, registry: Registry) -> None:
        endorse_all(registry)
        for number, (kind, actor, extra) in enumerate(
            [
                (Kind.NOMINATE, "LGA", {}),
                (Kind.NOMINATE, "APCC", {}),
                (Kind.AGREE, "PCCs", {}),
                (
                    Kind.HOLD_MEETING,
                    "LGA",
                    {"meeting": SHADOW_MEETING, "trigger": "convene_shadow"},
                ),
                (Kind.AGREE_BUDGET, "LGA", {}),
                (Kind.AGREE_BUDGET, "APCC", {}),
                (Kind.ESTABLISH, "LGA", {}),
                (Kind.ESTABLISH, "APCC", {"trigger": "establish"}),
            ],
            start=10,
        ):
            registry.apply(make(f"m{number}", kind, actor, number, **extra))
        assert registry.body("b").history == ("proposed", "endorsed", "shadow", "established")
        explanation = registry.explain("b")
        assert explanation.possible == ()
        assert set(explanation.blocked) == {"reconsider", "end"}

    def test_reconsideration_and_reaffirmation_return_to_the_same_state(
        self, registry: Registry
    ) -> None:
        endorse_all(registry)
        registry.apply(make("r", Kind.REQUEST_RECONSIDERATION, "APCC", 5, trigger="reconsider"))
        assert registry.body("b").state == "reconsidered"
        with pytest.raises(GuardFailed) as error:
            registry.apply(make("x", Kind.REAFFIRM, "LGA", 6, trigger="reaffirm_shadow"))
        assert "the body came from endorsed, not from shadow" in str(error.value)
        registry.apply(make("x1", Kind.REAFFIRM, "LGA", 6))
        registry.apply(make("x2", Kind.REAFFIRM, "APCC", 6, trigger="reaffirm_endorsed"))
        assert registry.body("b").state == "endorsed"

    def test_an_ended_body_can_still_have_its_record_corrected(self, registry: Registry) -> None:
        registry.apply(make("e", Kind.END, "LGA", 1, trigger="end"))
        assert registry.body("b").state == "ended"
        assert registry.explain("b").options == ()
        registry.apply(make("e2", Kind.END, "LGA Executive", 1, on_behalf_of="LGA", supersedes="e"))
        assert registry.body("b").state == "ended"


class TestRefused:
    def test_a_decision_on_an_unknown_body(self, registry: Registry) -> None:
        with unchanged(registry), pytest.raises(UnknownBody) as error:
            registry.apply(make("a", Kind.AGREE, "APCC", 1, body="nope"))
        assert (error.value.decision_id, error.value.body, error.value.code) == (
            "a",
            "nope",
            "unknown_body",
        )
        assert "apply a 'propose' decision for it first" in str(error.value)

    def test_a_second_proposal_for_the_same_body(self, registry: Registry) -> None:
        with unchanged(registry), pytest.raises(BodyExists):
            registry.apply(make("p2", Kind.PROPOSE, "LGA", 1))

    def test_a_trigger_that_does_not_leave_the_state_lists_those_that_do(
        self, registry: Registry
    ) -> None:
        with unchanged(registry), pytest.raises(TriggerNotAllowed) as error:
            registry.apply(make("a", Kind.AGREE, "APCC", 1, trigger="establish"))
        assert (error.value.trigger, error.value.state, error.value.allowed) == (
            "establish",
            "proposed",
            ("endorse", "end"),
        )
        assert "the triggers from 'proposed' are: 'endorse', 'end'" in str(error.value)

    def test_failed_guards_give_every_reason_as_data(self, registry: Registry) -> None:
        endorse_all(registry)
        with unchanged(registry), pytest.raises(GuardFailed) as error:
            registry.apply(make("n", Kind.NOMINATE, "LGA", 2, trigger="convene_shadow"))
        assert error.value.reasons == (
            Reason(
                "awaiting_nominations", {"missing": ("APCC",)}, "awaiting nominations from: APCC"
            ),
            Reason(
                "awaiting_decisions",
                {"kinds": ("agree",), "missing": ("PCCs",), "needed": 1, "have": 0, "stale": ()},
                "awaiting agreement from: PCCs",
            ),
        )
        assert "awaiting nominations from: APCC; awaiting agreement from: PCCs" in str(error.value)

    def test_the_refused_decision_itself_is_not_recorded(self, registry: Registry) -> None:
        endorse_all(registry)
        with pytest.raises(GuardFailed):
            registry.apply(make("n", Kind.NOMINATE, "LGA", 2, trigger="convene_shadow"))
        assert "n" not in [f.decision.id for f in registry.body("b").facts]
        registry.apply(make("n", Kind.NOMINATE, "LGA", 2))
        assert registry.log[-1].decision.id == "n"

    def test_a_decision_dated_before_the_last_one(self, registry: Registry) -> None:
        registry.apply(make("a", Kind.AGREE, "APCC", 10))
        with unchanged(registry), pytest.raises(OutOfOrder) as error:
            registry.apply(make("late", Kind.AGREE, "LGA", 9))
        assert (error.value.decided, error.value.floor) == ("2013-01-10", "2013-01-11")

    def test_an_overlapping_vaguer_date_is_not_out_of_order(self, registry: Registry) -> None:
        registry.apply(make("a", Kind.AGREE, "APCC", 10))  # 11 January 2013
        registry.apply(make("v", Kind.AGREE, "LGA", 0, decided=When.month(2013, 1)))
        assert registry.log[-1].decision.decided.iso == "2013-01"

    def test_the_same_id_for_a_different_decision(self, registry: Registry) -> None:
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        with unchanged(registry), pytest.raises(DuplicateDecision, match="its id was already used"):
            registry.apply(make("a", Kind.AGREE, "LGA", 1))

    @pytest.mark.parametrize(
        ("target", "kind", "why"),
        [
            ("nope", Kind.RESCIND, "no decision with that id counts on this body"),
            ("p", Kind.RESCIND, "a propose decision cannot be superseded"),
            (
                "a",
                Kind.ENDORSE,
                "a correction must be of the same kind as what it corrects (agree)",
            ),
        ],
    )
    def test_superseding_what_cannot_be_superseded(
        self, registry: Registry, target: str, kind: Kind, why: str
    ) -> None:
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        with unchanged(registry), pytest.raises(UnknownDecision) as error:
            registry.apply(make("s", kind, "APCC", 2, supersedes=target))
        assert error.value.target == target
        assert why in str(error.value)

    def test_a_rescinded_decision_cannot_be_rescinded_again(self, registry: Registry) -> None:
        registry.apply(make("a", Kind.AGREE, "APCC", 1))
        registry.apply(make("r", Kind.RESCIND, "APCC", 2, supersedes="a"))
        with unchanged(registry), pytest.raises(UnknownDecision):
            registry.apply(make("r2", Kind.RESCIND, "APCC", 3, supersedes="a"))

    def test_something_that_is_not_a_decision(self, registry: Registry) -> None:
        with unchanged(registry), pytest.raises(InvalidRecord, match=r"be a govflow\.Decision"):
            registry.apply({"id": "x", "kind": "agree"})  # type: ignore[arg-type]

    def test_a_guard_that_raises_changes_nothing(self) -> None:
        @named("broken")
        def broken(body: Body, on: When) -> bool:
            raise RuntimeError("boom")

        lifecycle = Lifecycle(
            states=["a", "b"],
            initial="a",
            transitions=[Transition("go", "a", "b", guards=[broken])],
        )
        registry = Registry(lifecycle)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        with unchanged(registry), pytest.raises(GuardError, match="raised RuntimeError: boom"):
            registry.apply(make("g", Kind.AGREE, "LGA", 1, trigger="go"))


class TestRepeated:
    def test_the_same_decision_twice_is_recorded_once(self, registry: Registry) -> None:
        decision = make("a", Kind.AGREE, "APCC", 1)
        first = registry.apply(decision)
        again = registry.apply(decision)
        assert again == first  # an equal entry: the log keeps entries' parts, not the objects
        assert again.seq == 1
        assert [e.decision.id for e in registry.log] == ["p", "a"]

    def test_a_repeated_trigger_does_not_fire_twice(self, registry: Registry) -> None:
        endorse_all(registry)
        registry.apply(
            make("a-lga", Kind.ENDORSE, "LGA Executive", 1, on_behalf_of="LGA", trigger="endorse")
        )
        assert registry.body("b").history == ("proposed", "endorsed")


class TestSupersede:
    def test_a_correction_takes_the_place_of_the_original(self, registry: Registry) -> None:
        registry.apply(make("a", Kind.AGREE, "LGA", 1))
        registry.apply(make("a2", Kind.AGREE, "APCC", 2, supersedes="a"))
        assert [f.decision.id for f in registry.body("b").facts] == ["p", "a2"]
        assert [e.decision.id for e in registry.log] == ["p", "a", "a2"]

    def test_a_rescission_removes_the_original_from_the_facts_only(
        self, registry: Registry
    ) -> None:
        registry.apply(make("a", Kind.AGREE, "LGA", 1))
        registry.apply(make("r", Kind.RESCIND, "LGA", 2, supersedes="a"))
        assert "a" not in [f.decision.id for f in registry.body("b").facts]
        assert registry.log[1].decision.id == "a"


class TestEvents:
    """Events through a structlog logger handed in (the default is the stdlib's, below)."""

    def test_one_event_per_accepted_decision(self) -> None:
        with capture_logs() as logs:
            registry = Registry(LIFECYCLE, logger=structlog.get_logger("govflow"))
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        assert logs == [
            {
                "event": "decision.accepted",
                "log_level": "info",
                "body": "b",
                "decision_id": "p",
                "kind": "propose",
                "actor": "LGA",
                "organisation": "LGA",
                "delegated_by": None,
                "trigger": None,
                "before": None,
                "after": "proposed",
                "seq": 0,
            }
        ]

    def test_one_event_per_refused_decision_with_its_reasons(self) -> None:
        registry = Registry(LIFECYCLE, logger=structlog.get_logger("govflow"))
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        with capture_logs() as logs, pytest.raises(GuardFailed):
            registry.apply(make("a", Kind.AGREE, "APCC", 1, trigger="endorse"))
        assert logs == [
            {
                "event": "decision.refused",
                "log_level": "warning",
                "body": "b",
                "decision_id": "a",
                "kind": "agree",
                "trigger": "endorse",
                "error": "guard_failed",
                "reasons": ["awaiting agreement or endorsement from: LGA"],
            }
        ]

    def test_one_event_for_a_repeated_decision(self) -> None:
        registry = Registry(LIFECYCLE, logger=structlog.get_logger("govflow"))
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        with capture_logs() as logs:
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        assert logs == [
            {
                "event": "decision.repeated",
                "log_level": "info",
                "body": "b",
                "decision_id": "p",
                "seq": 0,
            }
        ]

    def test_events_go_to_the_logger_handed_in(self) -> None:
        class Recorder:
            def __init__(self) -> None:
                self.calls: list[tuple[str, str]] = []

            def info(self, event: str, **fields: Any) -> None:
                self.calls.append(("info", event))

            def warning(self, event: str, **fields: Any) -> None:
                self.calls.append(("warning", event))

        recorder = Recorder()
        registry = Registry(LIFECYCLE, logger=recorder)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        with pytest.raises(DecisionRefused):
            registry.apply(make("q", Kind.AGREE, "LGA", 1, body="other"))
        assert recorder.calls == [("info", "decision.accepted"), ("warning", "decision.refused")]


class TestLookups:
    def test_an_unknown_body_is_a_typed_lookup_error(self, registry: Registry) -> None:
        with pytest.raises(NoSuchBody) as error:
            registry.body("nope")
        assert isinstance(error.value, LookupError)
        assert error.value.body == "nope"

    def test_bodies_is_read_only(self, registry: Registry) -> None:
        with pytest.raises(TypeError):
            registry.bodies["x"] = registry.body("b")  # type: ignore[index]


class TestFromLog:
    def test_a_registry_continues_a_log_by_replaying_it(self, registry: Registry) -> None:
        endorse_all(registry)
        again = Registry(LIFECYCLE, log=AuditLog(LIFECYCLE.fingerprint, registry.log))
        assert dict(again.bodies) == dict(registry.bodies)
        again.apply(make("n", Kind.NOMINATE, "LGA", 3))
        assert again.log[-1].prev == registry.log.head

    def test_a_log_written_under_another_lifecycle_is_refused(self, registry: Registry) -> None:
        other = Lifecycle(states=["x"], initial="x", transitions=[])
        with pytest.raises(LifecycleMismatch) as error:
            Registry(other, log=registry.log)
        assert error.value.recorded == LIFECYCLE.fingerprint
        assert error.value.given == other.fingerprint

    @pytest.mark.parametrize(
        ("change", "said"),
        [
            (lambda lines: lines[:-1], "truncated: the log now ends before entry 2"),
            (  # as long as it was, with another last entry, hashed and linked right
                lambda lines: [*lines[:-1], _relinked(lines[-1], before="forked") + "\n"],
                "at entry 2 (rewritten: the log holds another in place of entry 2, which this",
            ),
            (lambda lines: [*lines, "not json\n"], "malformed: Entry #3's text must be a JSON"),
            (  # the last entry again as entry 3: its hash is not its content's
                lambda lines: [*lines, json.dumps({**json.loads(lines[-1]), "seq": 3}) + "\n"],
                "at entry 3 (altered",
            ),
            (  # an entry 3 hashed right, but linked to another head than entry 2
                lambda lines: [*lines, _relinked(lines[-1], seq=3, prev="0" * 64) + "\n"],
                "at entry 2 (unlinked: entry 3 does not link to it",
            ),
        ],
    )
    def test_a_reload_names_what_another_hand_did_to_the_store_and_changes_nothing(
        self, tmp_path: Path, change: Callable[[list[str]], list[str]], said: str
    ) -> None:
        path = tmp_path / "log.jsonl"
        registry = Registry(LIFECYCLE, log=JsonlStore(path, LIFECYCLE.fingerprint))
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        endorse_all(registry)
        bodies, lines = dict(registry.bodies), path.read_text().splitlines(keepends=True)
        path.write_text("".join(change(lines)))
        with pytest.raises(TamperedLog, match=re.escape(said)):
            registry.reload()
        assert dict(registry.bodies) == bodies
        path.write_text("".join(lines))  # restored: the registry goes on where it was
        # The file holds a header line and three entries: the next entry is entry 3.
        assert registry.apply(make("n", Kind.NOMINATE, "LGA", 3)).seq == len(lines) - 1

    def test_a_history_rewritten_to_the_same_length_is_named_not_adopted(
        self, tmp_path: Path
    ) -> None:
        # apply(retries=) said "another writer appended first" for ever, and
        # reload(full=True) took the fork in, losing this registry's own entry.
        path = tmp_path / "log.jsonl"
        registry = Registry(LIFECYCLE, log=JsonlStore(path, LIFECYCLE.fingerprint))
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        endorse_all(registry)
        bodies, lines = dict(registry.bodies), path.read_text().splitlines(keepends=True)
        forked = [*lines[:-1], _relinked(lines[-1], before="forked") + "\n"]
        path.write_text("".join(forked))
        for again in (
            lambda: registry.reload(full=True),
            lambda: registry.apply(make("n", Kind.NOMINATE, "LGA", 3), retries=3),
        ):
            with pytest.raises(TamperedLog) as error:
                again()
            assert (error.value.seq, error.value.kind) == (2, "rewritten")
            assert dict(registry.bodies) == bodies
        assert path.read_text() == "".join(forked)
        path.write_text("".join(lines[:-1]))
        with pytest.raises(TamperedLog, match=r"at entry 2 \(truncated"):
            registry.reload(full=True)
        assert dict(registry.bodies) == bodies

    def test_a_reload_refuses_an_entry_repeating_a_decision_it_has_seen(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "log.jsonl"
        registry = Registry(LIFECYCLE, log=JsonlStore(path, LIFECYCLE.fingerprint))
        registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        endorse_all(registry)
        bodies, head = dict(registry.bodies), registry.log.head
        # APCC's agreement (entry 1) again as entry 3, linked and hashed as it should be.
        line = path.read_text().splitlines()[2]
        again = _relinked(line, seq=3, prev=head, before="endorsed", after="endorsed")
        with path.open("a") as log:
            log.write(again + "\n")
        with pytest.raises(ReplayMismatch, match=r"'a-apcc'.*a repeat"):
            registry.reload()
        assert dict(registry.bodies) == bodies


class TestWhatIsKept:
    """What a registry keeps reads the same, whatever log it keeps it in."""

    @staticmethod
    def nominations(count: int, bodies: int) -> Iterator[Decision]:
        when, source = When.on(dt.date(2013, 1, 2)), Source("test")
        for n in range(count):
            yield Decision(
                id=f"n{n}", body=f"b{n % bodies}", kind=Kind.NOMINATE, actor="LGA", decided=when,
                source=source,
            )  # fmt: skip

    def test_facts_and_repeats_read_the_same_through_a_store(self, tmp_path: Path) -> None:
        registries = []
        for log in (None, JsonlStore(tmp_path / "log.jsonl", LIFECYCLE.fingerprint)):
            registry = Registry(LIFECYCLE, log=log, logger=structlog.get_logger("test"))
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            first = registry.apply(make("a", Kind.AGREE, "APCC", 1))
            for decision in self.nominations(30, 1):
                registry.apply(attrs.evolve(decision, body="b"))
            assert registry.apply(make("a", Kind.AGREE, "APCC", 1)) == first
            registries.append(registry)
        memory, stored = registries
        assert stored.body("b").facts == memory.body("b").facts
        assert [f.seq for f in stored.body("b").facts] == list(range(32))
        reloaded = Registry(LIFECYCLE, log=stored.log, logger=structlog.get_logger("test"))
        assert reloaded.body("b") == memory.body("b")
        assert reloaded.apply(make("a", Kind.AGREE, "APCC", 1)) == first


class TestDefaultEvents:
    def test_with_no_logging_configured_nothing_is_printed(self, tmp_path: Path) -> None:
        script = tmp_path / "quiet.py"
        script.write_text(
            "import datetime as dt\n"
            "from govflow import Decision, Kind, Registry, Source, Terms, When\n"
            "from govflow.scenarios import partnership_lifecycle\n"
            "registry = Registry(partnership_lifecycle())\n"
            "day = When.on(dt.date(2013, 1, 1))\n"
            "registry.apply(Decision(id='p', body='b', kind=Kind.PROPOSE, actor='LGA',\n"
            "    decided=day, source=Source('s'), terms=Terms('T', ['LGA', 'APCC'])))\n"
            "try:\n"
            "    registry.apply(Decision(id='e', body='b', kind=Kind.AGREE, actor='LGA',\n"
            "        decided=day, source=Source('s'), trigger='endorse'))\n"
            "except Exception:\n"
            "    pass\n",
            encoding="utf-8",
        )
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, check=True
        )
        assert (done.stdout, done.stderr) == ("", "")

    def test_events_reach_the_standard_library_logger_with_their_fields(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        registry = Registry(LIFECYCLE)
        with caplog.at_level(logging.INFO, logger="govflow"):
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            with pytest.raises(DecisionRefused):
                registry.apply(make("q", Kind.AGREE, "LGA", 1, body="other"))
        accepted, refused = caplog.records
        assert (accepted.name, accepted.levelno, accepted.getMessage()) == (
            "govflow",
            logging.INFO,
            "decision.accepted",
        )
        assert accepted.govflow["decision_id"] == "p"  # type: ignore[attr-defined]
        assert accepted.govflow["after"] == "proposed"  # type: ignore[attr-defined]
        assert (refused.levelno, refused.getMessage()) == (logging.WARNING, "decision.refused")
        assert refused.govflow["error"] == "unknown_body"  # type: ignore[attr-defined]

    def test_events_below_the_loggers_level_are_not_even_handed_to_it(
        self, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        logger, handed = logging.getLogger("govflow"), []
        for level in ("info", "warning"):
            monkeypatch.setattr(logger, level, lambda event, *a, **k: handed.append(event))
        registry = Registry(LIFECYCLE)
        with caplog.at_level(logging.ERROR, logger="govflow"):
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
            with pytest.raises(DecisionRefused):
                registry.apply(make("q", Kind.AGREE, "LGA", 1, body="other"))
        assert handed == []  # no record built for a level nobody listens to
        with caplog.at_level(logging.WARNING, logger="govflow"), pytest.raises(DecisionRefused):
            registry.apply(make("q", Kind.AGREE, "LGA", 1, body="other"))
        assert handed == ["decision.refused"]

    def test_events_go_to_structlog_when_a_structlog_logger_is_handed_in(self) -> None:
        registry = Registry(LIFECYCLE, logger=structlog.get_logger("app"))
        with structlog.testing.capture_logs() as events:
            registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
        assert [(e["event"], e["decision_id"], e["log_level"]) for e in events] == [
            ("decision.accepted", "p", "info")
        ]


def test_a_logger_that_fails_on_an_accepted_decision_neither_undoes_nor_fails_it() -> None:
    class Failing:
        def info(self, event: str, **fields: object) -> None:
            raise RuntimeError("the logger is broken")

        def warning(self, event: str, **fields: object) -> None:
            raise RuntimeError("the logger is broken")

    registry = Registry(LIFECYCLE, logger=Failing())
    entry = registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    assert list(registry.log) == [entry]
    assert sorted(registry.bodies) == ["b"]
