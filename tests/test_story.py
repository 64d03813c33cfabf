"""The plain rendering: dates and names as an officer writes them, status and report as the demo."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import os
import sqlite3
from pathlib import Path

import attrs
import pytest

from govflow import (
    Decision,
    InvalidRecord,
    Kind,
    LifecycleMismatch,
    NoSuchBody,
    Position,
    Registry,
    Source,
    TamperedLog,
    Terms,
    When,
)
from govflow.cli import main
from govflow.log import Entry
from govflow.render import case_file
from govflow.render.story import _plain_reason
from govflow.render.words import meeting, named, sentence, when
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import open_store

REFERENCE = partnership_lifecycle(authorities=spb.authorities())
GOLDEN = Path(__file__).parent / "golden" / "demo.txt"


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (When.on(dt.date(2013, 2, 13)), "13 February 2013"),
        (When.month(2012, 9), "September 2012"),
        (When.year(2013), "2013"),
        (
            When.between(dt.date(2012, 7, 4), dt.date(2013, 2, 13)),
            "some day between 4 July 2012 and 13 February 2013",
        ),
        # A span that is not a whole month is a span, never "September".
        (
            When.between(dt.date(2012, 9, 1), dt.date(2012, 9, 15)),
            "some day between 1 September 2012 and 15 September 2012",
        ),
    ],
)
def test_dates_are_as_precise_as_the_record(date: When, text: str) -> None:
    assert when(date) == text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("APCC", "the APCC"),
        ("LGA Executive", "the LGA Executive"),
        ("Safer and Stronger Communities Board", "the Safer and Stronger Communities Board"),
        ("LGA officers", "LGA officers"),
        ("PCCs", "PCCs"),
        ("Finance Sub-committee", "the Finance Sub-committee"),
        ("Chair", "Chair"),
        ("Prof Ada", "Prof Ada"),
        # A stranger's fire authority: "Combined Fire Authority delegated", beside "the
        # Northshire Council proposed".
        ("Combined Fire Authority", "the Combined Fire Authority"),
        ("Chief Fire Officer", "the Chief Fire Officer"),
        ("Home Secretary", "the Home Secretary"),
        ("The Housing Trust", "The Housing Trust"),  # not "the The Housing Trust"
        ("the Board", "the Board"),
        ("Ms Patel, Finance Officer", "Ms Patel, Finance Officer"),  # a person, in a role
    ],
)
def test_names_take_an_article_where_a_sentence_needs_one(name: str, text: str) -> None:
    assert named(name) == text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("shadow meeting", "the shadow meeting"),
        ("inaugural", "the inaugural meeting"),  # "held the inaugural" read as a noun missing
        ("March 2024", "the March 2024 meeting"),
        ("AGM", "the AGM"),
        ("annual conference", "the annual conference"),
        ("meeting of 21 March", "the meeting of 21 March"),  # not "... March meeting"
        ("first meeting.", "the first meeting."),
    ],
)
def test_a_meeting_reads_as_a_meeting(name: str, text: str) -> None:
    assert meeting(name) == text


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ("awaiting nominations from: APCC", "Still awaited: nominations from the APCC"),
        (
            "awaiting a decision to end from 1 more of: LGA, APCC",
            "Still awaited: a decision to end from the LGA or the APCC",
        ),
        (
            "awaiting agreement from 2 more of: A Council, B Council, C Council",
            (
                "Still awaited: agreement from 2 more of the A Council, the B Council and the C "
                "Council"
            ),
        ),
        (
            (
                "awaiting agreement or endorsement from: LGA, APCC (LGA, APCC decided on an "
                "earlier version of the terms; they must decide again on version 2)"
            ),
            (
                "Still awaited: agreement or endorsement from the LGA and the APCC (LGA, APCC "
                "decided on an earlier version of the terms; they must decide again on version 2)"
            ),
        ),
        ("the shadow meeting has not been held", "The shadow meeting has not been held"),
        (
            (
                "1 for, 0 against, 0 abstaining of 3: needs 2 for (awaiting a 'vote' decision from "
                "at least 1 more of: Ms Adams, Mr Brown)"
            ),
            (
                "1 for, 0 against, 0 abstaining of 3: needs 2 for (awaiting a 'vote' decision from "
                "at least 1 more of Ms Adams and Mr Brown)"
            ),
        ),
    ],
)
def test_reasons_read_as_plain_words(message: str, text: str) -> None:
    assert _plain_reason(message) == text


def test_a_kind_of_the_users_own_reads_as_its_name() -> None:
    from govflow import DecisionKind  # noqa: PLC0415

    class Motion(DecisionKind):
        CALL_IN = "call_in"

    decision = Decision(
        id="d",
        body="b",
        kind=Motion.CALL_IN,
        actor="Scrutiny Committee",
        decided=When.on(dt.date(2020, 1, 1)),
        source=Source("minutes"),
    )
    assert sentence(decision) == "The Scrutiny Committee decided: call in."


def test_a_vote_and_the_nominees_are_said_wherever_the_decision_is_told() -> None:
    """A vote against must not read as a vote for, nor nominations without the names."""
    from govflow.log.entry import sealed  # noqa: PLC0415
    from govflow.model.authority import Mandate  # noqa: PLC0415
    from govflow.render.records import notice  # noqa: PLC0415
    from govflow.render.text import timeline_lines  # noqa: PLC0415

    common = {"body": "b", "decided": When.on(dt.date(2024, 3, 10)), "source": Source("m")}
    vote = Decision(id="c3", kind=Kind.AGREE, actor="Westford Council", **common,
                    position=Position.AGAINST)  # fmt: skip
    abstention = attrs.evolve(vote, id="c4", position=Position.ABSTAIN)
    nomination = Decision(id="n1", kind=Kind.NOMINATE, actor="Southby Council", **common,
                          nominees=("Cllr C", "Cllr D"))  # fmt: skip
    assert sentence(vote) == "The Westford Council agreed the body, voting against."
    assert sentence(abstention) == "The Westford Council agreed the body, abstaining."
    assert sentence(nomination) == (
        "The Southby Council agreed nominations to the body, nominating Cllr C and Cllr D."
    )
    entries, head = [], "0" * 64
    for seq, decision in enumerate((vote, nomination)):
        mandate = Mandate(decision.actor, decision.actor)
        entry, _ = sealed(seq=seq, body="b", decision=decision, before="s", after="s",
                          terms_version=1, verdicts=(), mandate=mandate, prev=head)  # fmt: skip
        entries.append(entry)
        head = entry.hash
    lines = timeline_lines(entries)
    assert "    vote: against" in lines
    assert "    nominees: Cllr C, Cllr D" in lines
    assert "- Vote: against" in notice(entries[0]).splitlines()
    assert "- Nominees: Cllr C, Cllr D" in notice(entries[1]).splitlines()
    assert "Vote:" not in notice(entries[1])


def test_a_meeting_a_delegation_and_the_ids_a_decision_names_are_told() -> None:
    """A log that said "hold_meeting by X" without the meeting left the reader to guess."""
    from govflow import Delegation  # noqa: PLC0415
    from govflow.log.entry import sealed  # noqa: PLC0415
    from govflow.model.authority import Mandate  # noqa: PLC0415
    from govflow.render.records import notice  # noqa: PLC0415
    from govflow.render.text import timeline_lines  # noqa: PLC0415

    common = {"body": "b", "decided": When.on(dt.date(2024, 3, 10)), "source": Source("m")}
    decisions = [
        Decision(id="m1", kind=Kind.HOLD_MEETING, actor="Board", meeting="inaugural meeting",
                 **common),
        Decision(id="d1", kind=Kind.DELEGATE, actor="Council", **common,
                 delegation=Delegation("Director", [Kind.AGREE, Kind.NOMINATE],
                                       dt.date(2024, 3, 1), dt.date(2025, 2, 28))),
        Decision(id="r1", kind=Kind.RATIFY, actor="Board", ratifies=("x1", "x2"), **common),
        Decision(id="n2", kind=Kind.NOTE, actor="Board", reasons=("Corrected.",),
                 supersedes="n1", **common),
    ]  # fmt: skip
    entries, head = [], "0" * 64
    for seq, decision in enumerate(decisions):
        mandate = Mandate(decision.actor, decision.actor)
        entry, _ = sealed(seq=seq, body="b", decision=decision, before="s", after="s",
                          terms_version=1, verdicts=(), mandate=mandate, prev=head)  # fmt: skip
        entries.append(entry)
        head = entry.hash
    told = {
        "meeting: inaugural meeting": 0,
        "delegates: agree, nominate to Director, 2024-03-01 to 2025-02-28": 1,
        "ratifies: x1, x2": 2,
        "supersedes: n1": 3,
    }
    lines = timeline_lines(entries)
    for line, seq in told.items():
        assert f"    {line}" in lines
        block = lines[lines.index(f"    {line}") - 3]  # below its entry's line, state and id
        assert block.startswith(f"[{seq}] "), block
        label, _, value = line.partition(": ")
        assert f"- {label.capitalize()}: {value}" in notice(entries[seq]).splitlines()
    open_delegation = attrs.evolve(decisions[1].delegation, end=None)
    open_entry = attrs.evolve(
        entries[1], decision=attrs.evolve(decisions[1], delegation=open_delegation)
    )
    assert "    delegates: agree, nominate to Director, 2024-03-01 to open" in timeline_lines(
        [open_entry]
    )


def test_the_plain_record_says_what_a_decision_rescinds_ratifies_or_delegates() -> None:
    from govflow import Delegation  # noqa: PLC0415

    common = {"body": "b", "decided": When.on(dt.date(2024, 3, 10)), "source": Source("m")}
    said = {
        Decision(id="x", kind=Kind.RESCIND, actor="Board", supersedes="a1", **common): (
            "The Board rescinded decision a1."
        ),
        Decision(id="x", kind=Kind.REVOKE, actor="Council", supersedes="d1", **common): (
            "The Council revoked decision d1."
        ),
        Decision(id="x", kind=Kind.RATIFY, actor="Board", ratifies=("r1",), **common): (
            "The Board ratified resolution r1."
        ),
        Decision(
            id="x",
            kind=Kind.DELEGATE,
            actor="Council",
            delegation=Delegation("Director", [Kind.AGREE, Kind.AGREE_BUDGET, Kind.NOMINATE],
                                  dt.date(2024, 3, 1)),
            **common,
        ): "The Council delegated powers to agree, agree budget and nominate to Director "
        "from 1 March 2024.",
    }  # fmt: skip
    correction = Decision(
        id="x", kind=Kind.AGREE, actor="C Panel", supersedes="v2", position=Position.FOR, **common
    )
    said[correction] = "The C Panel agreed the body, voting for, correcting decision v2."
    behalf = Decision(id="x", kind=Kind.AGREE, actor="Deputy", on_behalf_of="A", **common)
    said[behalf] = "Deputy agreed the body, on behalf of A."  # a one-letter name: no article
    for decision, sentence_ in said.items():
        assert sentence(decision) == sentence_


def _stored(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/spb.db".replace("sqlite:///", "sqlite:////", 1)
    assert main(["demo", "--store", url]) == 0
    return url


def test_status_from_a_store_tells_the_demos_story(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    capsys.readouterr()
    assert main(["status", url]) == 0
    status = capsys.readouterr().out
    demo = GOLDEN.read_text(encoding="utf-8")
    story = demo[demo.index("As of 13 February 2013\n") : demo.index("\nPlayed forward")]
    # The day is the last decision's (the report's, as the demo's default), said as such.
    said = "As of 13 February 2013, by when its decisions were all taken and notes written"
    said += " (--as-of: another day)"
    story = story.replace("As of 13 February 2013", said, 1)
    assert status == "The joint Strategic Partnership Board (spb)\n\n" + story


def test_status_as_of_a_day_inside_a_span_says_what_is_possible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    capsys.readouterr()
    assert main(["status", url, "--as-of", "2013-02-12"]) == 0
    out = capsys.readouterr().out
    assert "is certainly proposed" in out
    assert main(["status", url, "--as-of", "2012-09-15"]) == 0
    assert "  The joint Strategic Partnership Board had not certainly been proposed.\n" in (
        capsys.readouterr().out
    )
    said = "  Possibly endorsed: the record does not say whether these had happened by then:\n"
    assert said in out
    # A note written on 13 February 2013 is not shown as known on the 12th.
    assert "inaugural meeting" not in out


def test_the_report_holds_terms_state_record_and_verification(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    capsys.readouterr()
    assert main(["report", url]) == 0
    text = capsys.readouterr().out
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Joint Strategic Partnership Board: case file",
        "## Terms of the joint Strategic Partnership Board",
        "## As of 13 February 2013",
        "## What is awaited, and from whom",
        "## Recommendations, their outcome not recorded",
        (
            "## Hoped-for and other dates the record names, as of 13 February 2013 (none blocks a "
            "step)"
        ),
        "## The record (26 entries, in the order recorded)",
        "## Verification of the log",
    ]
    assert "- The log's 26 entries were checked: intact.\n" in text
    # Every entry of the record with its source, by its place in the log, 0 to 25.
    for number in range(26):
        assert f"\n- \\[{number}\\] " in text  # "[0]" escaped: not a link's text
    assert text.count("  - Source: ") == 27  # the 26 entries, and the recommendation's


def test_the_html_report_is_self_contained_and_escapes_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    output = tmp_path / "case.html"
    assert main(["report", url, "--format", "html", "--output", str(output)]) == 0
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "http" not in page.replace(url, "")  # nothing loads from elsewhere
    assert page.count("<h2>") == 7
    assert "Commissioners&#x27; Association (PaCCA)" in page


def test_a_report_on_a_tampered_log_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    with sqlite3.connect(tmp_path / "spb.db") as db:
        (text,) = db.execute("SELECT content FROM govflow_entries WHERE seq = 3").fetchone()
        altered = text.replace("May", "June")
        db.execute("UPDATE govflow_entries SET content = ? WHERE seq = 3", (altered,))
    db.close()
    capsys.readouterr()
    assert main(["report", url]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("govflow report: no report: the log does not verify: entry 3:")
    assert captured.out == ""


def test_a_report_names_the_body_it_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    capsys.readouterr()
    assert main(["report", url, "--body", "nope"]) == 2
    assert "No body 'nope' is in the log; it holds 'spb'." in capsys.readouterr().err


def entries_of(url: str) -> list[Entry]:
    with open_store(url, read_only=True) as store:
        return list(store)


def test_a_case_file_as_of_a_day_sets_apart_what_was_certainly_taken_after_it(
    tmp_path: Path,
) -> None:
    """A file as of 1 October 2012 listed the 2013 entries in its record, unmarked."""
    entries = entries_of(_stored(tmp_path))
    text = case_file(REFERENCE, entries, as_of=dt.date(2012, 10, 1))
    later = [e for e in entries if e.decision.decided.earliest > dt.date(2012, 10, 1)]
    assert len(later) == 8  # the notes of 23 January and 13 February 2013
    head, _, rest = text.partition("## Recorded since, taken after 1 October 2012 (8 entries)")
    assert f"## The record ({len(entries) - 8} entries, in the order recorded)" in head
    assert all(f"\\[{e.seq}\\] " in rest and f"\\[{e.seq}\\] " not in head for e in later)
    everything = case_file(REFERENCE, entries)  # as of the last day: nothing set apart
    assert f"## The record ({len(entries)} entries" in everything
    assert "Recorded since" not in everything


def test_a_report_to_a_dash_goes_to_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``report URL -o -`` wrote a file named ``-``."""
    url = _stored(tmp_path)
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)
    assert main(["report", url, "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# Joint Strategic Partnership Board: case file")
    assert not (tmp_path / "-").exists()


def test_the_case_file_from_python_is_the_report_the_command_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notebook had only the command line, and a module on disk for its lifecycle."""
    url = _stored(tmp_path)
    capsys.readouterr()
    for form in ("markdown", "html"):
        assert main(["report", url, "--format", form, "--as-of", "2013-03-01"]) == 0
        written = capsys.readouterr().out
        with open_store(url, read_only=True) as store:
            made = case_file(REFERENCE, store, as_of=dt.date(2013, 3, 1), form=form, where=url)
            assert made == written
            default = case_file(REFERENCE, list(store), "spb")
        assert default.startswith("# Joint Strategic Partnership Board: case file")
        assert "as the audit log holds it, as of " in default
    shown = case_file(REFERENCE, entries_of(url), where="postgresql://u:s3cret@host/db")
    assert "as the audit log at postgresql://u:\\*\\*\\*@host/db holds it" in shown
    assert "s3cret" not in shown
    with open_store(url, read_only=True) as store, pytest.raises(LifecycleMismatch):
        case_file(partnership_lifecycle(), store)  # the lifecycle without the seeds' authorities
    entries = entries_of(url)  # closed: an SQLite connection left open is a warning
    tampered = [*entries[:3], attrs.evolve(entries[3], after="established"), *entries[4:]]
    with pytest.raises(TamperedLog) as caught:
        case_file(REFERENCE, tampered)
    assert caught.value.seq == 3
    with pytest.raises(NoSuchBody, match="No body 'nope' is in the log; it holds 'spb'"):
        case_file(REFERENCE, entries, "nope")  # as Registry.body and prov_json say it
    for arguments, field in [
        ((None, entries), "lifecycle"),
        ((REFERENCE, [None]), "entries"),
        ((REFERENCE, entries, 3), "body"),
        # An enum's member of the id's text: an id is a text (it blamed body_possibly).
        ((REFERENCE, entries, enum.StrEnum("Bodies", {"SPB": "spb"}).SPB), "body"),
    ]:
        with pytest.raises(InvalidRecord) as error:
            case_file(*arguments)  # type: ignore[arg-type]
        assert (error.value.record, error.value.field) == ("case_file", field)
    for keywords, field in [({"form": "pdf"}, "form"), ({"as_of": "2013"}, "as_of")]:
        with pytest.raises(InvalidRecord) as error:
            case_file(REFERENCE, entries, **keywords)  # type: ignore[arg-type]
        assert (error.value.record, error.value.field) == ("case_file", field)


def test_the_case_file_of_a_store_ending_in_a_torn_line_is_refused(tmp_path: Path) -> None:
    """It said "intact" where `govflow report` refuses the log (it read past the torn line)."""
    from govflow.errors import TornLog  # noqa: PLC0415

    url = f"jsonl:///{tmp_path}/spb.jsonl"
    assert main(["demo", "--store", url]) == 0
    with (tmp_path / "spb.jsonl").open("a", encoding="utf-8") as log:
        log.write('{"seq": 26, "body": "sp')
    with open_store(url, read_only=True) as store, pytest.raises(TornLog):
        case_file(REFERENCE, store)


# Found by a hostile battery: each of these once failed.


def _board_with_notes(url: str, *notes: Decision) -> None:
    from govflow import Registry, Terms  # noqa: PLC0415
    from govflow.scenarios import partnership_lifecycle  # noqa: PLC0415
    from govflow.stores import open_store  # noqa: PLC0415

    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    with open_store(url, lifecycle.fingerprint) as store:
        registry = Registry(lifecycle, log=store)
        registry.apply(
            Decision(
                id="p",
                body="b",
                kind=Kind.PROPOSE,
                actor="LGA officers",
                decided=When.on(dt.date(2013, 1, 7)),
                source=Source("minutes"),
                terms=Terms("Board", ("LGA", "APCC")),
            )
        )
        for note in notes:
            registry.apply(note)


def _note(ident: str, decided: When, text: str, **fields: object) -> Decision:
    return Decision(
        id=ident,
        body="b",
        kind=Kind.NOTE,
        actor="LGA officers",
        decided=decided,
        source=Source("report"),
        reasons=(text,),
        about="APCC",
        **fields,  # type: ignore[arg-type]
    )


def test_a_corrected_note_not_yet_written_is_left_out_with_its_correction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:////{tmp_path}/b.db".replace("/////", "////")
    wrong = _note("n1", When.month(2013, 3), "WRONG: the APCC meets on 1 March.")
    right = _note(
        "n2", When.on(dt.date(2013, 3, 15)), "The APCC meets on 21 March.", supersedes="n1"
    )
    _board_with_notes(url, wrong, right)
    assert main(["status", url, "--as-of", "2013-03-10"]) == 0
    assert "meets on" not in capsys.readouterr().out
    assert main(["status", url, "--as-of", "2013-04-01"]) == 0
    out = capsys.readouterr().out
    assert "The APCC meets on 21 March." in out
    assert "WRONG" not in out  # corrected: only the correction is current


def test_a_report_never_overwrites_its_own_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    assert main(["report", url, "--output", str(tmp_path / "spb.db")]) == 2
    assert "would overwrite the log itself" in capsys.readouterr().err
    assert main(["verify", url]) == 0


@pytest.mark.parametrize("linked", [False, True])
@pytest.mark.parametrize("kept", ["spb.db-wal", "spb.db-journal", "spb.db.tree"])
def test_a_report_never_overwrites_a_file_its_store_keeps_beside_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kept: str, *, linked: bool
) -> None:
    url = _stored(tmp_path)
    if linked:  # the store opened through a link: its files are beside the file linked to
        (tmp_path / "link.db").symlink_to(tmp_path / "spb.db")
        url = url.replace("spb.db", "link.db")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["report", url, "--output", str(tmp_path / kept)]) == 2
    assert f"would overwrite {tmp_path / kept}, a file the log's store keeps" in (
        capsys.readouterr().err
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_report_to_a_folder_is_refused_before_anything_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    capsys.readouterr()
    for folder in ("out/", "out/.", "out/.."):
        assert main(["report", url, "--output", f"{tmp_path}/{folder}"]) == 2
        assert f"'{tmp_path}/{folder}' names no file" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no file "out"


def test_a_report_through_a_link_to_a_pipe_is_written_into_the_pipe(tmp_path: Path) -> None:
    # As ``-o /dev/stdout`` with standard output a pipe: a link whose end is no path.
    url = _stored(tmp_path)
    reading, writing = os.pipe()
    try:
        (tmp_path / "out").symlink_to(f"/proc/self/fd/{writing}")
        assert main(["report", url, "--output", str(tmp_path / "out")]) == 0
        os.close(writing)
        with os.fdopen(reading, encoding="utf-8") as pipe:
            written = pipe.read()
    finally:
        for fd in (reading, writing):
            with contextlib.suppress(OSError):
                os.close(fd)
    assert written.startswith("# Joint Strategic Partnership Board: case file\n")
    assert (tmp_path / "out").is_symlink()


def test_a_report_to_dev_stdout_opened_to_append_is_appended(tmp_path: Path) -> None:
    # `-o /dev/stdout >> notes.txt` replaced notes.txt with the report.
    url = _stored(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("first\n", encoding="utf-8")
    appending = os.open(notes, os.O_WRONLY | os.O_APPEND)
    try:
        assert main(["report", url, "--output", f"/proc/self/fd/{appending}"]) == 0
    finally:
        os.close(appending)
    text = notes.read_text(encoding="utf-8")
    assert text.startswith("first\n# Joint Strategic Partnership Board: case file\n")


def test_a_report_is_refused_for_a_log_verify_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    with sqlite3.connect(tmp_path / "spb.db") as db:
        db.execute("UPDATE govflow_entries SET decision_id = 'x' WHERE seq = 5")
    db.close()
    capsys.readouterr()
    assert main(["report", url]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("govflow report: no report: the log does not verify: entry 5:")
    torn = tmp_path / "spb.jsonl"
    assert main(["demo", "--store", f"jsonl:///{torn}"]) == 0
    with torn.open("ab") as out:
        out.write(b'{"seq":26,"bo')
    capsys.readouterr()
    assert main(["report", f"jsonl:///{torn}"]) == 1
    assert "entry 26: torn" in capsys.readouterr().err


def test_a_note_cannot_write_markdown_structure_into_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:////{tmp_path}/b.db".replace("/////", "////")
    fake = "Background.\n\n## Verification of the log\n- The log's 99 entries were checked: intact."
    _board_with_notes(url, _note("n1", When.on(dt.date(2013, 1, 8)), fake))
    assert main(["report", url]) == 0
    text = capsys.readouterr().out
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings.count("## Verification of the log") == 1
    assert "99 entries" in text  # the text is kept, on its own list item's line
    assert not any(line.startswith("- The log's 99") for line in text.splitlines())


def test_control_characters_do_not_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:////{tmp_path}/b.db".replace("/////", "////")
    _board_with_notes(url, _note("n1", When.on(dt.date(2013, 1, 8)), "Red \x1b[31mtext\x07 here"))
    assert main(["status", url, "--as-of", "2013-02-01"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "Red ?[31mtext? here" in out


def test_technical_with_plain_only_flags_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--technical", "--terms"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "belong to the plain rendering" in err


def test_the_demo_writes_nothing_to_a_log_that_cannot_hold_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from govflow.scenarios import partnership_lifecycle  # noqa: PLC0415
    from govflow.stores import open_store  # noqa: PLC0415

    fingerprint = partnership_lifecycle(authorities=spb.authorities()).fingerprint
    open_store(
        f"sqlite:////{tmp_path}/old.db".replace("/////", "////"), fingerprint, schema=2
    ).close()
    url = f"sqlite:////{tmp_path}/old.db".replace("/////", "////")
    assert main(["demo", "--store", url]) == 2
    assert "needs schema 3" in capsys.readouterr().err
    assert main(["verify", url]) == 0
    assert capsys.readouterr().out.startswith("intact: 0 entries")


def test_an_audit_log_schema_must_be_a_whole_number() -> None:
    from govflow import AuditLog, InvalidRecord  # noqa: PLC0415

    with pytest.raises(InvalidRecord):
        AuditLog("0" * 64, schema=True)  # type: ignore[arg-type]


def test_the_terms_section_lists_the_parameters_as_given() -> None:
    # The case file (status --terms, report) left out a body's federation date and quorum.
    from govflow.render.story import Item, terms_section  # noqa: PLC0415

    terms = Terms(
        "Federation", ["A", "B"], parameters={"quorum": 5, "go_live": dt.date(2025, 9, 1)}
    )
    section = terms_section(terms)
    assert section.items[-1] == Item("Parameters:", ("- go_live: 2025-09-01", "- quorum: 5"))
    assert all(item.text != "Parameters:" for item in terms_section(Terms("T", ["A"])).items)


def test_status_shows_a_defeat_only_the_vote_leads_to_and_hides_ending_the_body() -> None:
    # A pending ballot showed only "Next step: approved": its defeat, a live outcome, was
    # hidden with ending the body, which every state leads to.
    from govflow import Lifecycle, Registry, Transition  # noqa: PLC0415
    from govflow.log.as_of import body_possibly  # noqa: PLC0415
    from govflow.render.story import standing  # noqa: PLC0415

    lifecycle = Lifecycle(
        states=["balloting", "approved", "abandoned", "ended"],
        initial="balloting",
        final=["abandoned", "ended"],
        transitions=[
            Transition("approve", "balloting", "approved"),
            Transition("abandon", "balloting", "abandoned"),
            Transition("end", ["balloting", "approved"], "ended"),
        ],
    )
    registry = Registry(lifecycle)
    day = When.on(dt.date(2025, 1, 1))
    terms = Terms("Ballot", ["A"])
    registry.apply(
        Decision(id="p", body="b", kind=Kind.PROPOSE, actor="A", decided=day, source=Source("m"),
                 terms=terms)
    )  # fmt: skip
    entries = list(registry.log)
    known = body_possibly(lifecycle, entries, "b", dt.date(2025, 1, 2))

    def steps(*, all_steps: bool) -> list[str]:
        sections = standing(lifecycle, entries, known, all_steps=all_steps)
        return [i.text for s in sections for i in s.items if i.text.startswith("Next step")]

    assert steps(all_steps=False) == ["Next step: approved", "Next step: abandoned"]
    assert steps(all_steps=True) == [
        "Next step: approved",
        "Next step: abandoned",
        "Next step: ended",
    ]


def test_a_timeline_of_several_bodies_names_each_by_its_own_terms() -> None:
    # govflow run said "agreed the body" where report said "agreed the <title>".
    from govflow import Lifecycle, Registry, Transition  # noqa: PLC0415
    from govflow.render.story import timeline  # noqa: PLC0415

    registry = Registry(
        Lifecycle(states=["proposed", "agreed"], initial="proposed",
                  transitions=[Transition("agree", "proposed", "agreed")])
    )  # fmt: skip
    day, source = When.on(dt.date(2025, 1, 1)), Source("m")
    for body, title in (("a", "Waste Board"), ("b", "Federation")):
        registry.apply(
            Decision(id=f"p{body}", body=body, kind=Kind.PROPOSE, actor="A", decided=day,
                     source=source, terms=Terms(title, ["A"]))
        )  # fmt: skip
    for body in ("b", "a"):
        registry.apply(
            Decision(id=f"g{body}", body=body, kind=Kind.AGREE, actor="A", decided=day,
                     source=source)
        )  # fmt: skip
    texts = [item.text for item in timeline(registry.log)]
    assert texts[2:] == [
        "[2] 1 January 2025: A agreed the Federation.",
        "[3] 1 January 2025: A agreed the Waste Board.",
    ]


def test_what_is_awaited_says_by_when_and_that_a_step_can_no_longer_happen() -> None:
    """A deadline showed only once it had passed, and then as a guard's raw words."""
    from govflow import AuditLog, Authority, Lifecycle, Registry, Transition  # noqa: PLC0415
    from govflow.guards import decided_by, not_after, param  # noqa: PLC0415

    endorse = Transition(
        "endorse", "proposed", "endorsed",
        guards=[decided_by(Kind.ENDORSE, ["South"]), not_after(param("endorse_by"))],
    )  # fmt: skip
    lifecycle = Lifecycle(
        states=["proposed", "endorsed"], initial="proposed", transitions=[endorse],
        authorities=[Authority("North Council", "North", [Kind.PROPOSE, Kind.ENDORSE]),
                     Authority("South Council", "South", [Kind.ENDORSE])],
    )  # fmt: skip
    registry = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint))
    registry.apply(Decision(
        id="p", body="jwc", kind=Kind.PROPOSE, actor="North Council",
        decided=When.on(dt.date(2025, 1, 6)), source=Source("minutes"),
        terms=Terms("Joint Waste Committee", ["North", "South"],
                    parameters={"endorse_by": dt.date(2025, 3, 31)}),
    ))  # fmt: skip

    def awaited(on: dt.date) -> list[str]:
        text = case_file(lifecycle, registry.log, as_of=on)
        section = text.split("## What is awaited, and from whom\n", 1)[1].split("\n## ", 1)[0]
        return [line.strip() for line in section.splitlines() if line.strip()]

    assert awaited(dt.date(2025, 3, 1)) == [
        "- Next step: endorsed",
        "- Still awaited: endorsement from South",
        "- It must be taken by 31 March 2025.",
    ]
    assert awaited(dt.date(2025, 4, 15)) == [
        "- Next step: endorsed",
        "- Still awaited: endorsement from South",
        "- It can no longer happen: its time ran out on 31 March 2025.",
    ]


def test_a_step_possible_now_says_by_when_and_one_entry_is_one_entry() -> None:
    """A deadline showed only on a step something else blocked; "1 entries" was said."""
    from govflow import AuditLog, Authority, Lifecycle, Registry, Transition  # noqa: PLC0415
    from govflow.guards import not_after  # noqa: PLC0415

    adopt = Transition(
        "adopt", "draft", "adopted",
        guards=[not_after(dt.date(2024, 3, 10)), not_after(dt.date(2024, 3, 20))],
    )  # fmt: skip
    lifecycle = Lifecycle(
        states=["draft", "adopted"], initial="draft", transitions=[adopt],
        authorities=[Authority("Cabinet", "Council", [Kind.PROPOSE])],
    )  # fmt: skip
    registry = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint))
    registry.apply(Decision(id="p", body="plan", kind=Kind.PROPOSE, actor="Cabinet",
                            decided=When.on(dt.date(2024, 3, 1)), source=Source("minutes"),
                            terms=Terms("Local Plan", ["Council"])))  # fmt: skip
    text = case_file(lifecycle, registry.log, as_of=dt.date(2024, 3, 10))
    awaited = text.split("## What is awaited, and from whom\n", 1)[1].split("\n## ", 1)[0]
    assert [line.strip() for line in awaited.splitlines() if line.strip()] == [
        "- Next step: adopted",
        "- Nothing is awaited: the next decision can take it.",
        "- It must be taken by 10 March 2024.",  # the earlier of the two binds
    ]
    assert "## The record (1 entry, in the order recorded)" in text
    assert "The log's 1 entry was checked: intact." in text


@pytest.mark.parametrize("form", ["markdown", "html"])
def test_a_case_file_shows_controls_that_reorder_or_drive_a_display_as_question_marks(
    form: str,
) -> None:
    """A reason with a right-to-left override and a terminal escape, as ``govflow report``."""
    registry = Registry(REFERENCE)
    for decision in spb.decisions()[:1]:
        spoof = "invoice\u202egpj.exe \x1b[31mred"
        registry.apply(attrs.evolve(decision, reasons=(spoof,)))
    made = case_file(REFERENCE, registry.log, form=form)
    assert "\u202e" not in made
    assert "\x1b" not in made
    assert "invoice?gpj.exe ?" in made


def test_a_step_from_a_state_to_itself_is_told_in_the_record_and_as_a_next_step() -> None:
    # A renewal (open -> open) was in no printout: the entry's state did not change.
    from govflow import Authority, Lifecycle, Registry, Transition  # noqa: PLC0415
    from govflow.guards import decided_by  # noqa: PLC0415
    from govflow.log.as_of import body_possibly  # noqa: PLC0415
    from govflow.render.story import entry_item, standing  # noqa: PLC0415

    lifecycle = Lifecycle(
        states=["open", "closed"],
        initial="open",
        final=["closed"],
        authorities=[Authority("Chair", "Club", [Kind.PROPOSE, Kind.AGREE])],
        transitions=[
            Transition("renew", "open", "open", guards=[decided_by(Kind.AGREE, ["Chair"])]),
            Transition("close", "open", "closed"),
        ],
    )
    registry = Registry(lifecycle)
    source, terms = Source("minutes"), Terms("Club", ["Club"])
    for id_, kind, day, fields in [
        ("p", Kind.PROPOSE, 1, {"terms": terms}),
        ("r", Kind.AGREE, 20, {"trigger": "renew"}),
    ]:
        registry.apply(
            Decision(id=id_, body="c", kind=kind, actor="Chair", source=source,
                     decided=When.on(dt.date(2024, 1, day)), **fields)  # type: ignore[arg-type]
        )  # fmt: skip
    entries = list(registry.log)
    assert "It takes the step renew: its state stays open." in entry_item(entries[1], "1.").details
    assert not any("takes the step" in d for d in entry_item(entries[0], "0.").details)
    known = body_possibly(lifecycle, entries, "c", dt.date(2024, 2, 1))
    heads = [i.text for s in standing(lifecycle, entries, known, all_steps=True) for i in s.items]
    assert "Next step: renew, staying open" in heads
    assert "Next step: closed" in heads


def test_a_decision_taken_under_a_delegation_says_so_in_the_log_and_the_record() -> None:
    # "agree by Eastmoor Vice-Chancellor", "Eastmoor Vice-Chancellor agreed": the power it
    # was taken under was in the notice and the notebook only.
    from govflow import Authority, Delegation, Lifecycle, Registry, Transition  # noqa: PLC0415
    from govflow.render.story import entry_item  # noqa: PLC0415
    from govflow.render.text import timeline_lines  # noqa: PLC0415

    lifecycle = Lifecycle(
        states=["proposed", "agreed"],
        initial="proposed",
        transitions=[Transition("agree", "proposed", "agreed")],
        authorities=[
            Authority("Eastmoor Council", "Eastmoor", [Kind.PROPOSE, Kind.AGREE]),
            Authority("Eastmoor Vice-Chancellor", "Eastmoor", []),
        ],
    )
    registry = Registry(lifecycle)
    day, source = dt.date(2024, 3, 1), Source("minutes")
    for id_, kind, actor, fields in [
        ("p", Kind.PROPOSE, "Eastmoor Council", {"terms": Terms("Board", ["Eastmoor"])}),
        ("d", Kind.DELEGATE, "Eastmoor Council",
         {"delegation": Delegation("Eastmoor Vice-Chancellor", [Kind.AGREE], day)}),
        ("a", Kind.AGREE, "Eastmoor Vice-Chancellor", {}),
    ]:  # fmt: skip
        registry.apply(Decision(id=id_, body="b", kind=kind, actor=actor, decided=When.on(day),
                                source=source, **fields))  # type: ignore[arg-type]  # fmt: skip
    agreed = list(registry.log)[-1]
    assert agreed.mandate.delegated_by == "Eastmoor Council"
    lines = timeline_lines([agreed])
    assert lines[0].endswith(
        "agree by Eastmoor Vice-Chancellor (under a delegation from Eastmoor Council)"
    )
    details = entry_item(agreed, "1.").details
    assert "Taken under a delegation from the Eastmoor Council." in details
    proposed = next(iter(registry.log))
    assert not any("delegation" in line for line in timeline_lines([proposed]))


def test_a_body_is_named_by_its_terms_on_the_day_and_a_later_note_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An amendment that renames the body renames its story; a note after the last decision shows.

    By default the story stands on the day by which every entry was certainly made:
    a note written after the last decision is in it, under the step awaiting whom
    it is about.
    """
    url = _stored(tmp_path)
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    with open_store(url, lifecycle.fingerprint) as store:
        registry = Registry(lifecycle, log=store)
        renamed = attrs.evolve(registry.body("spb").terms, version=2, title="Policing Forum")
        common = {"body": "spb", "actor": "LGA", "source": Source("minutes")}
        registry.apply(
            Decision(
                id="amend", kind=Kind.AMEND, decided=When.day(2013, 3, 1), terms=renamed, **common
            )
        )
        registry.apply(
            Decision(
                id="later",
                kind=Kind.NOTE,
                decided=When.day(2013, 3, 5),
                about="APCC",
                reasons=("The APCC will decide in April.",),
                **common,
            )
        )
        entries = list(store)
    capsys.readouterr()
    assert main(["status", url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "The Policing Forum (spb)"
    assert lines[2].startswith("As of 5 March 2013, by when its decisions were all taken and notes")
    assert lines[3] == (
        "  The Policing Forum is certainly endorsed (every partner agreed or endorsed the terms)."
    )
    assert "        Noted: The APCC will decide in April. (minutes)" in lines
    written = case_file(lifecycle, entries, "spb")
    assert written.startswith("# Policing Forum: case file\n")
    assert "as of 5 March 2013" in written
    assert "The APCC will decide in April." in written
    # --json and --technical stand on that day too (they took the last decision's).
    assert main(["status", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["bodies"][0]["on"] == "2013-03-05"
    assert main(["status", url, "--technical"]) == 0
    assert "(spb) is endorsed as of 2013-03-05." in capsys.readouterr().out
    # Asked of a day before the amendment, the body has its first name.
    assert main(["status", url, "--as-of", "2013-02-20"]) == 0
    assert capsys.readouterr().out.startswith("The joint Strategic Partnership Board (spb)\n")
