"""A body's record as W3C PROV-JSON, read back by the PROV library, and decision notices."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import attrs
import pytest
from prov.model import PROV as PROV_NAMESPACE
from prov.model import (
    PROV_TYPE,
    ProvActivity,
    ProvAgent,
    ProvAssociation,
    ProvCommunication,
    ProvDelegation,
    ProvDerivation,
    ProvDocument,
    ProvEntity,
    ProvGeneration,
    ProvUsage,
)

from govflow import (
    Decision,
    InvalidRecord,
    Kind,
    Lifecycle,
    NoSuchBody,
    Registry,
    Source,
    Terms,
    Transition,
    Verdict,
    When,
)
from govflow.cli import main
from govflow.log import AuditLog, Entry
from govflow.model.authority import Mandate
from govflow.render.records import decision_notice, notice, prov_json
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import open_store


def played() -> list[object]:
    """The reference case's record and its play-forward (which amends the terms)."""
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    registry = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint))
    for decision in (*spb.decisions(), *spb.played_forward()):
        registry.apply(decision)
    return list(registry.log)


ENTRIES = played()


def read(document: dict[str, object]) -> ProvDocument:
    """The document as the PROV library reads it, with no warning allowed."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return ProvDocument.deserialize(content=json.dumps(document), format="json")


def part(record: object, attribute: str) -> str:
    """The local part of the one identifier ``record`` holds in ``attribute``."""
    return str(next(iter(record.get_attribute(attribute))).localpart)  # type: ignore[attr-defined]


def records(document: ProvDocument, kind: type) -> list[object]:
    return [r for r in document.get_records() if isinstance(r, kind)]


def test_each_decision_is_an_activity_associated_with_who_took_it() -> None:
    document = read(prov_json(ENTRIES, "spb"))  # type: ignore[arg-type]
    activities = {a.identifier.localpart: a for a in records(document, ProvActivity)}
    assert len(activities) == len(ENTRIES)
    for entry in ENTRIES:
        activity = activities[f"decision/{entry.decision.id}"]  # type: ignore[attr-defined]
        assert next(iter(activity.get_attribute("gf:seq"))) == entry.seq  # type: ignore[attr-defined]
        assert next(iter(activity.get_attribute("gf:entry"))) == entry.hash  # type: ignore[attr-defined]
    associated = {
        (
            part(a, "prov:activity"),
            part(a, "prov:agent"),
        )
        for a in records(document, ProvAssociation)
    }
    assert associated == {
        (f"decision/{e.decision.id}", "agent/" + e.mandate.actor.replace(" ", "%20"))  # type: ignore[attr-defined]
        for e in ENTRIES
    }
    agents = {a.identifier.localpart for a in records(document, ProvAgent)}
    names = {e.mandate.actor for e in ENTRIES} | {e.mandate.organisation for e in ENTRIES}  # type: ignore[attr-defined]
    assert agents == {"agent/" + n.replace(" ", "%20") for n in names}


def test_an_authority_acts_on_behalf_of_its_organisation_and_its_delegator() -> None:
    document = read(prov_json(ENTRIES, "spb"))  # type: ignore[arg-type]
    for_others = [e for e in ENTRIES if e.mandate.actor != e.mandate.organisation]  # type: ignore[attr-defined]
    assert len(records(document, ProvDelegation)) == len(for_others)
    delegated = attrs.evolve(
        ENTRIES[14], mandate=Mandate("LGA officers", "LGA", "LGA Leadership Board")
    )
    document = read(prov_json([delegated], "spb"))  # type: ignore[list-item]
    pairs = {
        (
            part(d, "prov:delegate"),
            part(d, "prov:responsible"),
        )
        for d in records(document, ProvDelegation)
    }
    assert pairs == {
        ("agent/LGA%20officers", "agent/LGA"),
        ("agent/LGA%20officers", "agent/LGA%20Leadership%20Board"),
    }


def test_terms_versions_are_entities_each_a_revision_of_the_one_before() -> None:
    document = read(prov_json(ENTRIES, "spb"))  # type: ignore[arg-type]
    entities = {e.identifier.localpart for e in records(document, ProvEntity)}
    assert entities == {"terms/spb/v1", "terms/spb/v2"}
    (revision,) = records(document, ProvDerivation)
    assert part(revision, "prov:generatedEntity") == "terms/spb/v2"  # type: ignore[attr-defined]
    assert part(revision, "prov:usedEntity") == "terms/spb/v1"  # type: ignore[attr-defined]
    # A qualified name, as PROV tools look for it; a text "prov:Revision" is no revision.
    assert revision.get_attribute(PROV_TYPE).pop() == PROV_NAMESPACE["Revision"]  # type: ignore[attr-defined]
    amended = next(e for e in ENTRIES if e.decision.kind.value == "amend")  # type: ignore[attr-defined]
    generated = {
        part(g, "prov:entity"): g.get_attribute("prov:activity").pop().localpart
        for g in records(document, ProvGeneration)
    }
    assert generated == {
        "terms/spb/v1": "decision/spb-1",
        "terms/spb/v2": f"decision/{amended.decision.id}",
    }  # type: ignore[attr-defined]
    used = {
        part(u, "prov:activity"): u.get_attribute("prov:entity").pop().localpart
        for u in records(document, ProvUsage)
    }
    for entry in ENTRIES:
        activity = f"decision/{entry.decision.id}"  # type: ignore[attr-defined]
        if entry.decision.kind.value == "note":  # type: ignore[attr-defined]
            # A note is no decision taken on the terms, and may predate them (the
            # reports' notes of April and May 2012 used terms made in July).
            assert activity not in used
        elif entry.decision.terms is None:  # type: ignore[attr-defined]
            assert used[activity] == f"terms/spb/v{entry.terms_version}"  # type: ignore[attr-defined]
    assert any(e.decision.kind.value == "note" for e in ENTRIES)  # type: ignore[attr-defined]


def _rescinded() -> tuple[str, list[Entry]]:
    """A lifecycle's fingerprint, and a log of a resolution and its rescission."""
    lifecycle = Lifecycle(
        states=["draft", "out"],
        initial="draft",
        transitions=[Transition("publish", "draft", "out")],
    )
    registry = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint))
    common = {"body": "kd", "actor": "Cabinet", "source": Source("minutes")}
    registry.apply(Decision(id="d-1", kind=Kind.PROPOSE, decided=When.on(dt.date(2024, 3, 1)),
                            terms=Terms("Closure", ["Council"]), **common))  # fmt: skip
    registry.apply(Decision(id="d-2", kind=Kind.RESOLVE, decided=When.on(dt.date(2024, 3, 4)),
                            reasons=("Close it.",), **common))  # fmt: skip
    registry.apply(Decision(id="d-3", kind=Kind.RESCIND, supersedes="d-2",
                            decided=When.on(dt.date(2024, 3, 9)), **common))  # fmt: skip
    return lifecycle.fingerprint, list(registry.log)


def test_a_rescission_is_linked_to_what_it_rescinds_and_said_in_its_notice() -> None:
    _, entries = _rescinded()
    document = read(prov_json(entries, "kd"))
    (link,) = records(document, ProvCommunication)
    assert part(link, "prov:informed") == "decision/d-3"
    assert part(link, "prov:informant") == "decision/d-2"
    assert link.get_attribute(PROV_TYPE).pop().localpart == "rescind"  # type: ignore[attr-defined]
    lines = notice(entries[1], None, entries[2]).splitlines()
    assert "- Rescinded by: d-3 (9 March 2024, entry 2)" in lines
    assert not any("by: d-3" in line for line in notice(entries[1]).splitlines())
    with pytest.raises(InvalidRecord, match=r"notice\.superseded_by"):
        notice(entries[0], None, entries[2])


def test_the_command_line_notice_says_a_decision_was_rescinded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"jsonl:///{tmp_path}/kd.jsonl"
    fingerprint, entries = _rescinded()
    with open_store(url, fingerprint) as store:
        for entry in entries:
            store.append(entry)
    assert main(["notice", url, "--decision", "d-2"]) == 0
    assert "- Rescinded by: d-3 (9 March 2024, entry 2)" in capsys.readouterr().out.splitlines()


def test_a_notice_of_a_log_s_decision_says_it_was_rescinded_and_names_its_terms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Made of one entry, a notice cannot know; made of the log, it says as the command does."""
    url = f"jsonl:///{tmp_path}/kd.jsonl"
    fingerprint, entries = _rescinded()
    text = decision_notice(entries, "d-2")
    lines = text.splitlines()
    assert "- Rescinded by: d-3 (9 March 2024, entry 2)" in lines
    assert "- Body: kd (the Closure)" in lines  # the terms of the proposal, entry 0
    assert text == notice(entries[1], entries[0].decision.terms, entries[2])
    assert "Rescinded" not in decision_notice(entries, "d-3")  # nothing supersedes it
    with open_store(url, fingerprint) as store:
        for entry in entries:
            store.append(entry)
        assert decision_notice(store, "d-2") == text
    assert main(["notice", url, "--decision", "d-2"]) == 0
    assert capsys.readouterr().out == text
    bad_ones = [
        ((entries, "d-9"), "decision_id"),
        ((entries, 2), "decision_id"),
        (([*entries, "x"], "d-2"), "entries"),
        ((None, "d-2"), "entries"),
    ]
    for bad, field in bad_ones:
        with pytest.raises(InvalidRecord) as error:
            decision_notice(*bad)  # type: ignore[arg-type]
        assert (error.value.record, error.value.field) == ("decision_notice", field)


def test_another_body_has_no_record_and_is_refused_as_the_command_line_refuses_it() -> None:
    """It gave a document of no records, which reads as a record of nothing."""
    with pytest.raises(NoSuchBody, match="No body 'other' is in the log; it holds 'spb'"):
        prov_json(ENTRIES, "other")  # type: ignore[arg-type]


class TestNotice:
    def test_every_field_of_a_notice_is_stated(self) -> None:
        entry = ENTRIES[14]
        decision = attrs.evolve(
            entry.decision,  # type: ignore[attr-defined]
            alternatives_rejected=("Wait for the *APCC* first",),
            conflicts_declared=("Cllr A sits on both boards",),
            dispensations=("Granted to Cllr A by the monitoring officer",),
        )
        text = notice(attrs.evolve(entry, decision=decision), None)
        lines = text.splitlines()
        assert lines[0] == "# Decision notice: spb-5"
        assert "**Decision:** The LGA agreed nominations to the body." in lines
        assert "- Date: some day between 1 September 2012 and 13 February 2013" in lines
        assert "- Taken by: the LGA" in lines
        sections = {
            "## Alternatives considered and rejected": "- Wait for the \\*APCC\\* first",
            "## Conflicts of interest declared": "- Cllr A sits on both boards",
            "## Dispensations": "- Granted to Cllr A by the monitoring officer",
            "## Source": "LGA Leadership Board, 13 February 2013, Item 8, paragraph 5",
        }
        for heading, first in sections.items():
            assert lines[lines.index(heading) + 2] == first
        assert lines[-1] == f"Recorded as entry 14 of the log, hash `{entry.hash}`."  # type: ignore[attr-defined]

    def test_what_a_decision_lacks_is_said_to_be_none(self) -> None:
        text = notice(ENTRIES[14], None)  # type: ignore[arg-type]
        for heading, none in (
            ("## Alternatives considered and rejected", "None recorded."),
            ("## Conflicts of interest declared", "None declared."),
            ("## Dispensations", "None granted."),
        ):
            lines = text.splitlines()
            assert lines[lines.index(heading) + 2] == none

    def test_a_move_and_a_mandate_for_another_are_stated(self) -> None:
        moved = next(e for e in ENTRIES if e.before not in (None, e.after))  # type: ignore[attr-defined]
        lines = notice(moved, None).splitlines()  # type: ignore[arg-type]
        assert f"- State: {moved.before} → {moved.after}" in lines  # type: ignore[attr-defined]
        decision = moved.decision  # type: ignore[attr-defined]
        kind = decision.kind.value.replace("_", " ")
        # "Kind: endorse, asking for endorse" read as a stammer: the trigger is named as one.
        assert f"- Kind: {kind}; it asks for the transition {decision.trigger}" in lines
        assert f"- Body: {moved.body}" in lines  # type: ignore[attr-defined] - no terms: no title

    def test_the_conditions_a_move_met_are_stated_with_the_entries_they_rest_on(self) -> None:
        # The endorsement waited for both partners: the APCC's agreement (entry 9) and the
        # LGA Executive's endorsement (entry 11).
        endorsed = ENTRIES[12]
        assert endorsed.decision.trigger == "endorse"  # type: ignore[attr-defined]
        lines = notice(endorsed, None).splitlines()  # type: ignore[arg-type]
        assert "- Condition met: agreed by every partner (on entries 9, 11)" in lines
        organisations = [ENTRIES[n].mandate.organisation for n in (9, 11)]  # type: ignore[attr-defined]
        assert organisations == ["APCC", "LGA"]
        requested = notice(ENTRIES[26], None).splitlines()  # type: ignore[arg-type]
        assert "- Condition met: reconsideration requested (on entry 26)" in requested
        assert not any(line.startswith("- Condition") for line in notice(ENTRIES[14]).splitlines())  # type: ignore[arg-type]
        dated = attrs.evolve(endorsed, verdicts=(Verdict.ok("not before 2013-01-01"),))
        assert "- Condition met: not before 2013-01-01" in notice(dated).splitlines()  # type: ignore[arg-type]


def test_the_command_line_exports_a_verified_log_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"jsonl:///{tmp_path}/spb.jsonl"
    assert main(["demo", "--store", url]) == 0
    capsys.readouterr()
    assert main(["prov", url, "--body", "spb"]) == 0
    assert len(records(read(json.loads(capsys.readouterr().out)), ProvActivity)) == 26
    assert main(["notice", url, "--decision", "spb-5"]) == 0
    assert capsys.readouterr().out.startswith("# Decision notice: spb-5\n")
    log = tmp_path / "spb.jsonl"
    log.write_text(log.read_text(encoding="utf-8").replace("paragraph 5", "paragraph 6", 1))
    assert main(["notice", url, "--decision", "spb-5"]) == 2
    assert "does not verify, so nothing is exported" in capsys.readouterr().err
    assert main(["prov", url, "--body", "nope"]) == 2


def test_a_notice_of_a_decision_taken_for_an_organisation_says_on_behalf_of() -> None:
    """It said "the LGA Executive, for the LGA", as if the decision were in the LGA's favour."""
    (entry,) = [e for e in ENTRIES if e.decision.id == "spb-3"]  # type: ignore[attr-defined]
    lines = notice(entry, None).splitlines()
    assert "- Taken by: the LGA Executive, on behalf of the LGA" in lines


@pytest.mark.parametrize(
    ("document", "locator"),
    [
        ("Cabinet minutes,", ""),
        ("Cabinet minutes", ","),
        ("Cabinet minutes", "Item 6, "),
        ("Cabinet minutes, Item 6", ""),
        ("Cabinet minutes", "Item 6"),
    ],
)
def test_a_decision_s_source_is_exported_as_recorded(document: str, locator: str) -> None:
    # Joined with ", " and stripped, these five read as two texts: the parts are kept apart.
    lifecycle = Lifecycle(states=["a"], initial="a", transitions=[])
    registry = Registry(lifecycle)
    source = Source(document, locator)
    registry.apply(Decision(id="p", body="b", kind=Kind.PROPOSE, actor="Cabinet",
                            decided=When.day(2024, 1, 1), source=source,
                            terms=Terms(title="T", partners=("Cabinet",))))  # fmt: skip
    activity = read(prov_json(list(registry.log), "b")).get_record("gf:decision/p")[0]
    assert list(activity.get_attribute("gf:document")) == [document]  # type: ignore[attr-defined]
    expected = [locator] if locator else []
    assert list(activity.get_attribute("gf:locator")) == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize("ident", ["spb-1 #", "spb-1 ###", "# 1 #", "spb#", "#"])
def test_a_notice_s_heading_shows_the_decision_id_as_it_is(ident: str) -> None:
    # A run of '#' after a space at the end of a heading closes it: "spb-1 #" lost its '#'.
    import markdown  # noqa: PLC0415 - Python-Markdown, which the documentation site uses

    lifecycle = Lifecycle(states=["a"], initial="a", transitions=[])
    registry = Registry(lifecycle)
    registry.apply(Decision(id=ident, body="b", kind=Kind.PROPOSE, actor="Cabinet",
                            decided=When.day(2024, 1, 1), source=Source("minutes"),
                            terms=Terms(title="T", partners=("Cabinet",))))  # fmt: skip
    text = decision_notice(list(registry.log), ident)
    html = markdown.markdown(text.splitlines()[0])
    assert html == f"<h1>Decision notice: {ident}</h1>"
