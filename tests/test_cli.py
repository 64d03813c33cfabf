"""The command line: ``govflow demo`` replays the seeds' scenario, pinned by golden files."""

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
TECHNICAL = Path(__file__).parent / "golden" / "demo-technical.txt"


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
    assert err.count("event='decision.accepted'") == 28


def test_python_dash_m_runs_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["govflow", "demo", "--as-of", "2013-02-13"])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module("govflow", run_name="__main__")
    assert exit_.value.code == 0


def test_every_line_fits_in_100_columns() -> None:
    for golden in (GOLDEN, TECHNICAL):
        assert max(len(line) for line in golden.read_text(encoding="utf-8").splitlines()) <= 100


def test_the_technical_rendering_is_its_own_golden_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--technical"]) == 0
    assert capsys.readouterr().out == TECHNICAL.read_text(encoding="utf-8")


def test_the_board_is_endorsed_and_awaits_what_the_report_says() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    assert "  The joint Strategic Partnership Board is certainly endorsed (every partner" in text
    assert "      Still awaited: nominations from the APCC\n" in text
    assert "      Still awaited: agreement from PCCs\n" in text
    assert "Audit log of the reports' record: 26 entries, verified intact" in text
    technical = TECHNICAL.read_text(encoding="utf-8")
    assert "(spb) is endorsed as of 2013-02-13." in technical
    assert (
        "  convene_shadow -> shadow: blocked\n    - awaiting nominations from: APCC\n" in technical
    )


def test_the_plain_rendering_names_no_trigger_and_numbers_hypotheticals_apart() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    for technical in ("convene_shadow", "->", "seed 00", "recomputed", "request_reconsideration"):
        assert technical not in text
    assert "\n  [25] 13 February 2013: LGA officers recommended to the LGA Leadership Board" in text
    assert "\n  H1. Some day between 14 February 2013 and 31 December 2013: The APCC asked" in text
    assert "\n  [26]" not in text  # hypothetical entries do not run on from the record


def test_ending_the_body_is_shown_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert "Next step: ended" not in GOLDEN.read_text(encoding="utf-8")
    assert main(["demo", "--all-steps"]) == 0
    out = capsys.readouterr().out
    said = "  Next step: ended (the model's rule: a partnership ends when any partner ends it)\n"
    assert said in out
    assert "      Still awaited: a decision to end from the LGA or the APCC\n" in out


def test_the_terms_are_shown_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert "Terms of the" not in GOLDEN.read_text(encoding="utf-8")
    assert main(["demo", "--terms"]) == 0
    out = capsys.readouterr().out
    at = out.index("Terms of the joint Strategic Partnership Board\n")
    assert "  Partners: LGA, APCC; terms version 1.\n" in out[at:]
    assert "      - The Chair of the Safer and Stronger Communities Board\n" in out[at:]
    assert "  Budget: Jointly provided by the LGA and APCC" in out[at:]


def test_events_go_to_stderr_only_when_asked_for() -> None:
    result = run("demo", "--events")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    events = result.stderr.splitlines()
    # The reports' 26 entries, and two played forward.
    assert len(events) == 28
    assert all(line.startswith("event='decision.accepted'") for line in events)


def test_as_of_an_earlier_day_shows_the_state_then(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--as-of", "2012-10-01", "--technical"]) == 0
    text = capsys.readouterr().out
    assert "(spb) is proposed as of 2012-10-01." in text
    assert "    - awaiting agreement or endorsement from: LGA\n" in text


def test_hoped_for_dates_say_when_they_have_passed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--as-of", "2013-03-01"]) == 0
    text = capsys.readouterr().out
    # A date that passed is no outcome: the record cannot say whether it was met.
    passed = "passed; the record does not say whether it happened.\n"
    assert f"  To reach shadow in February 2013: {passed}" in text
    assert "  To reach established in April 2013: the date has not yet passed.\n" in text
    assert f"  21 February 2013: {passed}" in text
    assert "  21 March 2013: the date has not yet passed.\n" in text


def test_an_intention_once_passed_is_not_described_as_still_intended(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--as-of", "2013-03-31"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert (
        "which could include the Partnership Board. (21 March 2013: passed; the record does not "
        "say whether it happened.)"
    ) in text


def test_a_hoped_for_state_reached_says_so() -> None:
    from govflow.cli._demo import _state_lines  # noqa: PLC0415
    from govflow.scenarios import partnership_lifecycle, spb  # noqa: PLC0415

    from .helpers import LIFECYCLE, make  # noqa: PLC0415

    registry = Registry(LIFECYCLE)
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("t", Kind.TARGET, "LGA", 1, target=Target("proposed", When.year(2013))))
    lines = _state_lines(partnership_lifecycle(), registry.body("b"), dt.date(2014, 1, 1), [])
    assert "  proposed by 2013: reached" in lines
    assert spb.BODY == "spb"


def test_as_of_before_the_proposal_says_there_was_no_body(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--as-of", "2012-01-01"]) == 0
    out = capsys.readouterr().out
    assert "  The joint Strategic Partnership Board had not yet been proposed.\n" in out
    assert "Possibly" not in out  # before any span began, nothing is uncertain
    assert main(["demo", "--as-of", "2012-01-01", "--technical"]) == 0
    out = capsys.readouterr().out
    assert "As of 2012-01-01 no body had certainly been proposed." in out
    assert "Certainty" not in out


def test_as_of_a_day_inside_a_span_says_what_is_certain_and_what_possible(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--as-of", "2013-02-12"]) == 0
    out = capsys.readouterr().out
    assert (
        "  The joint Strategic Partnership Board is certainly proposed (terms drafted between the "
        "partners;\n      nothing agreed yet).\n"
        "  Possibly endorsed: the record does not say whether these had happened by then:\n"
        "      - The LGA Executive endorsed the joint Strategic Partnership Board, on behalf of "
        "the LGA (some\n        day between 4 July 2012 and 13 February 2013).\n"
    ) in out
    assert main(["demo", "--as-of", "2012-09-15", "--technical"]) == 0
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


@pytest.mark.parametrize(
    ("command", "events", "lock"),
    [
        ("demo", True, True),
        ("status", False, True),
        ("run", True, True),
        ("verify", False, True),
        ("prov", False, True),
        ("key", False, False),
        ("check", False, False),
        ("diagram", False, False),
        ("verify-bundle", False, False),
    ],
)
def test_each_command_offers_only_the_options_it_uses(
    command: str, *, events: bool, lock: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert ("--events" in shown) is events
    assert ("--lock-timeout" in shown) is lock
    if command in {"verify", "prov"}:
        assert "the log: jsonl:///path/log.jsonl" in shown  # what URL is


@pytest.mark.parametrize("given", ["-5", "nan", "inf", "soon", ""])
def test_a_lock_timeout_that_is_no_number_of_seconds_is_told_as_the_option(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # It was told in the Python API's words ("open_store.timeout must be seconds").
    for command in (["status", "jsonl:///x.jsonl"], ["witness", "jsonl:///x.jsonl"]):
        with pytest.raises(SystemExit) as done:
            main([*command, "--lock-timeout", given])
        assert done.value.code == 2
        err = capsys.readouterr().err
        said = f"argument --lock-timeout: expected a number of seconds from 0, got {given!r}"
        assert said in err
        assert "open_store" not in err


@pytest.mark.parametrize("command", [["log", "jsonl:///x.jsonl"], ["verify", "jsonl:///x.jsonl"]])
def test_an_unknown_option_is_told_with_the_commands_own_usage(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # The top level's usage ("govflow [-h] [--version] COMMAND ...") was shown, which
    # says nothing of what the command takes.
    with pytest.raises(SystemExit) as ended:
        main([*command, "--lifecycle", "model.toml"])
    assert ended.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"usage: govflow {command[0]} ")
    assert err[-1] == f"govflow {command[0]}: error: unrecognized arguments: --lifecycle model.toml"
