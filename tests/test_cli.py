"""The command line: ``govflow demo`` replays the seeds' scenario, pinned by a golden file."""

from __future__ import annotations

import datetime as dt
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from govflow import Kind, Registry, Target, When
from govflow.cli import main

GOLDEN = Path(__file__).parent / "golden" / "demo.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govflow", *args], capture_output=True, text=True, check=False
    )


def test_demo_prints_exactly_the_golden_file_and_nothing_on_stderr() -> None:
    result = run("demo")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_the_console_script_gives_the_same_output() -> None:
    script = Path(sys.executable).parent / "govflow"
    result = subprocess.run([str(script), "demo"], capture_output=True, text=True, check=True)
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_main_prints_the_golden_file_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (GOLDEN.read_text(encoding="utf-8"), "")


def test_main_sends_events_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--events"]) == 0
    err = capsys.readouterr().err
    assert err.count("event='decision.accepted'") == 9


def test_python_dash_m_runs_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["govflow", "demo", "--as-of", "2013-02-13"])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module("govflow", run_name="__main__")
    assert exit_.value.code == 0


def test_every_line_fits_in_100_columns() -> None:
    assert max(len(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()) <= 100


def test_the_board_is_endorsed_and_blocked_as_the_report_says() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    assert "(spb) is endorsed as of 2013-02-13." in text
    assert "  convene_shadow -> shadow: blocked\n    - awaiting nominations from: APCC\n" in text
    assert "    - awaiting agreement from: PCCs\n" in text
    assert "Audit log of the reports' decisions: 7 entries, verified intact" in text


def test_events_go_to_stderr_only_when_asked_for() -> None:
    result = run("demo", "--events")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    events = result.stderr.splitlines()
    # Seven decisions from the reports, and two played forward.
    assert len(events) == 9
    assert all(line.startswith("event='decision.accepted'") for line in events)


def test_as_of_an_earlier_day_shows_the_state_then(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--as-of", "2012-10-01"]) == 0
    text = capsys.readouterr().out
    assert "(spb) is proposed as of 2012-10-01." in text
    assert "    - awaiting agreement or endorsement from: LGA\n" in text


def test_hoped_for_dates_say_when_they_have_passed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--as-of", "2013-03-01"]) == 0
    text = capsys.readouterr().out
    # A date that passed is no outcome: the record cannot say whether it was met.
    assert "  shadow by 2013-02: passed; the record does not say whether it happened\n" in text
    assert "  established by 2013-04: not yet passed\n" in text


def test_a_hoped_for_state_reached_says_so() -> None:
    from govflow.cli._demo import _state_lines  # noqa: PLC0415
    from govflow.scenarios import partnership_lifecycle, spb  # noqa: PLC0415

    from .helpers import LIFECYCLE, make  # noqa: PLC0415

    registry = Registry(LIFECYCLE)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("t", Kind.TARGET, "LGA", 1, target=Target("proposed", When.year(2013))))
    lines = _state_lines(partnership_lifecycle(), registry.body("b"), dt.date(2014, 1, 1))
    assert "  proposed by 2013: reached" in lines
    assert spb.BODY == "spb"


def test_as_of_before_the_proposal_says_there_was_no_body(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--as-of", "2012-01-01"]) == 0
    out = capsys.readouterr().out
    assert "As of 2012-01-01 no body had certainly been proposed." in out
    assert "Certainty" not in out  # before any span began, nothing is uncertain


def test_as_of_a_day_inside_a_span_says_what_is_certain_and_what_possible(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--as-of", "2013-02-12"]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = "  Certainty as of 2013-02-12: certainly proposed; possibly endorsed (endorse by LGA "
    at = lines.index(first + "Executive fell")
    assert lines[at - 1] == "    - awaiting a decision to end from 1 more of: LGA, APCC"
    assert main(["demo", "--as-of", "2012-09-15"]) == 0
    out = capsys.readouterr().out
    assert (
        "As of 2012-09-15 no body had certainly been proposed.\n"
        "  Certainty as of 2012-09-15: certainly not yet proposed; possibly proposed, endorsed"
    ) in out


def test_a_malformed_date_is_a_usage_error_with_a_message() -> None:
    result = run("demo", "--as-of", "13/02/2013")
    assert result.returncode == 2
    assert "expected a day as YYYY-MM-DD, got '13/02/2013'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_date_in_process_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--as-of", "yesterday"])
    assert exit_.value.code == 2
    assert "expected a day as YYYY-MM-DD, got 'yesterday'" in capsys.readouterr().err


def test_no_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    import govflow  # noqa: PLC0415

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"govflow {govflow.__version__}\n"
