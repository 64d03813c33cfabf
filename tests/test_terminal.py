"""What the command line prints for people holds no record text that drives a terminal.

A partner's log or file may hold a terminal's escape codes, bidirectional controls or
line separators in any text: each command that prints for people shows them as ``?``;
the commands that print data (JSON, a signed note, a bundle) print them exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govflow import Source
from govflow.cli import main
from govflow.display.plain import UNSHOWN, printable, shown

from .stores import reference_with_notes

HOSTILE = "\x1b]0;owned\x07\x1b[2J \u202eevil\u202c \u2028next\x08\x9b"


def test_shown_and_printable_leave_only_what_a_terminal_prints_as_it_is() -> None:
    assert shown("a\x1bb\u202ec\u2028d\te\nf") == "a?b?c?d\te\nf"  # tab and line feed kept
    assert printable("a\tb\nc\x9b") == "a?b c?"  # on one line
    assert UNSHOWN.search(shown(HOSTILE)) is None
    assert shown("Ünïcödé, عربي, 日本語") == "Ünïcödé, عربي, 日本語"  # text is not touched


@pytest.fixture
def url(tmp_path: Path) -> str:
    """The reference case's log with a note whose source and reason hold hostile text."""
    url = f"sqlite:///{tmp_path / 'spb.db'}"
    reference_with_notes(url, [("hostile", Source(HOSTILE, HOSTILE), HOSTILE)])
    return url


@pytest.mark.parametrize(
    "command",
    [
        ["log"],
        ["status"],
        ["notice", "--decision", "hostile"],
        ["report"],
        ["report", "--format", "html"],
    ],
)
def test_a_command_for_people_prints_no_control_character_of_the_record(
    url: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command[0], url, *command[1:]]) == 0
    out = capsys.readouterr().out
    assert UNSHOWN.search(out) is None, command
    assert "evil" in out or command[0] == "status"  # the text is there, its controls not


def test_data_keeps_the_record_exactly(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", url, "--json"]) == 0
    last = json.loads(capsys.readouterr().out.rstrip("\n").split("\n")[-1])  # U+2028 is no line end
    assert last["decision"]["reasons"] == [HOSTILE]


def test_a_diagram_and_a_refusal_print_no_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model.toml"
    state = json.dumps("pro\x1b[2Jposed")
    model.write_text(
        f'format = "govflow/1"\nstates = [{state}, "done"]\ninitial = {state}\n'
        f'[[transitions]]\ntrigger = "go\\u202e"\nfrom = {state}\nto = "done"\n',
        encoding="utf-8",
    )
    assert main(["diagram", str(model)]) == 0
    assert UNSHOWN.search(capsys.readouterr().out) is None
    assert main(["key", "log\u202e", str(tmp_path / "log")]) == 2
    err = capsys.readouterr().err
    assert "is not a key name govflow makes" in err
    assert UNSHOWN.search(err) is None
    assert not (tmp_path / "log.key").exists()
