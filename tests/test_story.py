"""The plain rendering: dates and names as an officer writes them, status and report as the demo."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from govflow import Decision, Source, When
from govflow.cli import main
from govflow.render.story import _plain_reason, named, sentence, when

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
    ],
)
def test_names_take_an_article_where_a_sentence_needs_one(name: str, text: str) -> None:
    assert named(name) == text


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
    assert status == "The joint Strategic Partnership Board (spb)\n\n" + story


def test_status_as_of_a_day_inside_a_span_says_what_is_possible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    capsys.readouterr()
    assert main(["status", url, "--as-of", "2013-02-12"]) == 0
    out = capsys.readouterr().out
    assert "is certainly proposed" in out
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
        "## Hoped-for and other dates the record names (none blocks a step)",
        "## The record (26 entries, in the order recorded)",
        "## Verification of the log",
    ]
    assert "- The log's 26 entries were checked: intact.\n" in text
    # Every entry of the record with its source, numbered 1 to 26.
    for number in range(1, 27):
        assert f"\n- {number}. " in text
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
    out = capsys.readouterr().out
    assert out.startswith("no report: the log does not verify: entry 3: altered")
    assert "#" not in out


def test_a_report_names_the_body_it_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _stored(tmp_path)
    capsys.readouterr()
    assert main(["report", url, "--body", "nope"]) == 2
    assert "the log holds no body 'nope' (it holds: spb)" in capsys.readouterr().err
