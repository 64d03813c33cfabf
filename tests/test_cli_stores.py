"""The command line on stored logs: demo --store, verify, checkpoint, log, status, repair."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from govflow import Registry
from govflow.cli import main
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import open_store
from govflow.stores._tree import BATCH

from .stores import noted, reference_with_notes

GOLDEN = Path(__file__).parent / "golden" / "demo.txt"
TECHNICAL = Path(__file__).parent / "golden" / "demo-technical.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govflow", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def stored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'spb.db'}"
    assert main(["demo", "--store", url]) == 0
    assert capsys.readouterr().out == GOLDEN.read_text(encoding="utf-8")
    return url


def test_demo_writes_the_reports_decisions_once_however_often_it_runs(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--store", stored]) == 0
    capsys.readouterr()
    assert main(["verify", stored]) == 0
    assert capsys.readouterr().out.startswith("intact: 26 entries, head ")


def test_demo_refuses_a_store_holding_more_than_the_reports_record(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to fail on a refusal of its own what-if decision, which no one had asked for."""
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    with open_store(stored) as log:
        registry = Registry(lifecycle, log=log)
        registry.apply(next(iter(spb.played_forward())))
    capsys.readouterr()
    assert main(["demo", "--store", stored]) == 2
    err = capsys.readouterr().err
    assert "holds 1 entry besides the reports' record (the first: 'what-if-1')" in err
    assert main(["verify", stored]) == 0
    assert capsys.readouterr().out.startswith("intact: 27 entries, head ")  # nothing added


def test_verify_exits_1_naming_the_first_bad_entry(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite3.connect(stored.removeprefix("sqlite:///"))
    (content,) = db.execute("SELECT content FROM govflow_entries WHERE seq = 3").fetchone()
    db.execute(
        "UPDATE govflow_entries SET content = ? WHERE seq = 3", (content.replace("LGA", "APCC"),)
    )
    db.commit()
    db.close()
    assert main(["verify", stored]) == 1
    assert capsys.readouterr().out == (
        "entry 3: altered: its content does not match its hash: the entry was altered\n"
    )


def test_verify_against_a_checkpoint_catches_truncation(
    stored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    noted(stored, BATCH - 20)  # past the first batch of BATCH entries: its nodes kept
    assert main(["checkpoint", stored]) == 0
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(capsys.readouterr().out)
    assert json.loads(checkpoint.read_text())["count"] == BATCH + 6
    assert main(["verify", stored, "--checkpoint", str(checkpoint)]) == 0
    db = sqlite3.connect(stored.removeprefix("sqlite:///"))
    db.execute("DELETE FROM govflow_entries WHERE seq >= 5")
    db.commit()
    capsys.readouterr()
    # The Merkle nodes kept for the first BATCH entries show it with no checkpoint ...
    assert main(["verify", stored]) == 1
    assert "entry 5: tree: the store keeps Merkle nodes past the log's 5 entries" in (
        capsys.readouterr().out
    )
    # ... until they are cut too: then only a checkpoint kept elsewhere catches it.
    db.execute("DELETE FROM govflow_tree WHERE pos >= 8")  # the nodes of 5 entries
    db.commit()
    db.close()
    assert main(["verify", stored]) == 0
    assert main(["verify", stored, "--checkpoint", str(checkpoint)]) == 1
    assert "entry 5: truncated" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verify", "sqlite:///no/such/dir/log.db"], "is not a govflow log: there is no such file"),
        (["verify", "ftp://example"], "is not a store URL govflow knows"),
        (["log", "jsonl:///etc/hostname"], "is not a govflow log"),
        (
            ["status", "sqlite:///no/such.db", "--lifecycle", "nowhere:thing"],
            "cannot load the lifecycle",
        ),
        (["status", "sqlite:///no/such.db", "--lifecycle", "govflow:Kind"], "is not a Lifecycle"),
        (["status", "sqlite:///no/such.db", "--lifecycle", "govflow.guards:decided_by"], "calling"),
    ],
)
def test_unreadable_input_exits_2_with_one_line_and_no_traceback(
    args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_unreadable_checkpoint_exits_2(
    stored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "cp.json"
    bad.write_text("not json")
    assert main(["verify", stored, "--checkpoint", str(bad)]) == 2
    assert "cannot read the checkpoint" in capsys.readouterr().err
    bad.write_bytes(b"\xff{}")  # no UTF-8: said in words, not as Python's codec says it
    assert main(["verify", stored, "--checkpoint", str(bad)]) == 2
    said = capsys.readouterr().err
    assert f"the checkpoint {bad} is not UTF-8 text (byte 0 is 0xff)" in said
    assert "codec" not in said


def test_log_prints_the_timeline(stored: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", stored]) == 0
    out = capsys.readouterr().out
    golden = TECHNICAL.read_text(encoding="utf-8")
    assert out == golden[golden.index("[0] ") : golden.index("\n\nState and blockers")] + "\n"


def test_log_of_one_body_prints_its_entries_and_names_the_bodies_for_another(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    with open_store(stored, lifecycle.fingerprint) as store:
        registry = Registry(lifecycle, log=store)
        other = next(d for d in spb.decisions() if d.kind.value == "propose")
        registry.apply(attrs.evolve(other, id="other-1", body="other"))
    capsys.readouterr()
    assert main(["log", stored, "--body", "other"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("[26] ")  # the entry's place in the whole log
    assert [line for line in lines if line.startswith("[")] == [lines[0]]
    assert main(["log", stored, "--body", "spb", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 26
    assert main(["log", stored, "--body", "nope"]) == 2
    assert capsys.readouterr() == (
        "",
        "govflow log: No body 'nope' is in the log; it holds 'spb', 'other'.\n",
    )


def test_log_stops_at_an_unreadable_entry_after_printing_the_good_ones(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite3.connect(stored.removeprefix("sqlite:///"))
    db.execute("UPDATE govflow_entries SET content = '{\"seq\": 12}' WHERE seq = 12")
    db.commit()
    db.close()
    # Checked as it streams: the good entries, then the first bad one named on stderr.
    assert main(["log", stored]) == 1
    captured = capsys.readouterr()
    assert "[11] 2012-07-04/2013-02-13  endorse" in captured.out
    assert "[12]" not in captured.out
    assert captured.err.startswith("govflow log: entry 12: malformed: Entry #12.schema must be")
    assert captured.err.count("\n") == 1
    # Unchecked, reading stops at the same entry, saying why.
    assert main(["log", stored, "--no-check"]) == 1
    captured = capsys.readouterr()
    assert "[11] 2012-07-04/2013-02-13  endorse" in captured.out
    assert "[12]" not in captured.out
    assert "reading stopped at entry 12: Entry #12.schema must be present" in captured.err
    # A line with no seq to name it by is named by its position all the same.
    db = sqlite3.connect(stored.removeprefix("sqlite:///"))
    db.execute("UPDATE govflow_entries SET content = '{\"x\": 1}' WHERE seq = 12")
    db.commit()
    db.close()
    assert main(["log", stored, "--no-check"]) == 1
    assert "reading stopped at entry 12: Entry.schema must be present" in capsys.readouterr().err


def test_status_shows_each_body_now_and_as_of_a_day(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", stored, "--technical"]) == 0
    assert "The joint Strategic Partnership Board (spb) is endorsed" in capsys.readouterr().out
    assert main(["status", stored, "--as-of", "2012-10-01", "--technical"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "The joint Strategic Partnership Board (spb) is proposed as of 2012-10-01."
    )
    assert main(["status", stored, "--as-of", "2012-01-01", "--technical"]) == 0
    assert capsys.readouterr().out == "No body had been proposed.\n"
    assert main(["status", stored, "--as-of", "2012-01-01"]) == 0
    assert capsys.readouterr().out == (
        "The joint Strategic Partnership Board (spb)\n\nAs of 1 January 2012\n"
        "  The joint Strategic Partnership Board had not yet been proposed.\n"
    )
    # Without --as-of, the day taken is said, and why: the last decision's.
    assert main(["status", stored]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == (
        "As of 13 February 2013, by when its decisions were all taken and notes written"
        " (--as-of: another day)"
    )


def test_status_on_a_day_inside_a_span_says_what_is_certain_and_what_possible(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", stored, "--as-of", "2013-02-12", "--technical"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "The joint Strategic Partnership Board (spb) is proposed as of 2013-02-12."
    assert out[-1] == (
        "  as of 2013-02-12: certainly proposed; possibly endorsed (endorse by LGA Executive "
        "fell some day in 2012-07-04 to 2013-02-13; endorse by Safer and Stronger Communities "
        "Board fell some day in 2012-07-04 to 2013-02-13)"
    )
    assert main(["status", stored, "--as-of", "2012-09-15", "--technical"]) == 0
    assert capsys.readouterr().out.startswith(
        "spb: as of 2012-09-15: certainly not yet proposed; possibly proposed, endorsed ("
    )
    assert main(["status", stored, "--as-of", "2012-09-15", "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)["bodies"]
    assert report == {
        "id": "spb",
        "state": None,
        "possible_states": [None, "proposed", "endorsed"],
        "deciding": ["spb-1", "spb-2", "spb-3", "spb-4"],
    }
    assert main(["status", stored, "--as-of", "2013-02-12", "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)["bodies"]
    assert (report["state"], report["possible_states"]) == ("proposed", ["proposed", "endorsed"])
    assert report["possible"] == []  # the triggers possible as of then: none


def test_status_refuses_a_log_of_another_lifecycle(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    given = "govflow.scenarios:partnership_lifecycle"
    assert main(["status", stored, "--lifecycle", given]) == 2
    said = capsys.readouterr().err
    assert "was written under a lifecycle of fingerprint" in said
    assert f"not {given} (" in said


def test_status_and_report_read_a_definition_files_log_with_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --lifecycle, the reference case's is read: another's log says to give one."""
    examples = Path(__file__).parent.parent / "examples"
    url = f"sqlite:///{tmp_path}/call-in.db"
    model, scenario = str(examples / "call-in.toml"), str(examples / "call-in-scenario.toml")
    assert main(["run", model, scenario, "--store", url]) == 0
    capsys.readouterr()
    for command in ("status", "report"):
        assert main([command, url]) == 2
        said = capsys.readouterr().err
        assert "not the reference case's, which is read when no --lifecycle is given" in said
        assert "give --lifecycle with its definition file (.toml or .json)" in said
        assert "release 0.1" not in said
        assert "does not follow from its decisions" not in said
        assert main([command, url, "--lifecycle", model]) == 0
        assert capsys.readouterr().out.strip()
    assert main(["status", url, "--lifecycle", "call_in_model_nowhere:lifecycle"]) == 2
    assert "with PYTHONPATH=., or once installed" in capsys.readouterr().err
    assert main(["status", url, "--lifecycle", "govflow"]) == 2
    assert "give a definition file (.toml or .json), or module:attribute" in (
        capsys.readouterr().err
    )


def test_status_and_report_give_the_terms_in_force_not_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A partner who joined by an amendment was left out of the case file's terms."""
    from govflow import Decision, Kind, Lifecycle, Registry, Source, Terms, When  # noqa: PLC0415
    from govflow.stores import open_store  # noqa: PLC0415

    lifecycle = Lifecycle(states=["draft"], initial="draft", transitions=[], name="jc")
    url = f"sqlite:///{tmp_path}/jc.db"
    first = Terms("Joint Committee", ["ICB", "County"])
    joined = Terms("Joint Committee", ["ICB", "County", "Southport"], version=2)
    common = {"body": "jc", "actor": "ICB", "source": Source("minutes")}
    with open_store(url, lifecycle.fingerprint) as log:
        registry = Registry(lifecycle, log=log)
        registry.apply(Decision(id="p", kind=Kind.PROPOSE, terms=first,
                                decided=When.on(dt.date(2024, 3, 1)), **common))  # fmt: skip
        registry.apply(Decision(id="a", kind=Kind.AMEND, terms=joined,
                                decided=When.on(dt.date(2024, 6, 1)), **common))  # fmt: skip
    (tmp_path / "jc.py").write_text(
        "from govflow import Lifecycle\n"
        'lifecycle = Lifecycle(states=["draft"], initial="draft", transitions=[], name="jc")\n',
        encoding="utf-8",
    )
    sys.path.insert(0, str(tmp_path))
    try:
        given = ["--lifecycle", "jc:lifecycle"]
        assert main(["status", url, "--terms", *given]) == 0
        now = capsys.readouterr().out
        assert "Partners: ICB, County, Southport; terms version 2." in now
        assert main(["status", url, "--terms", "--as-of", "2024-04-01", *given]) == 0
        assert "Partners: ICB, County; terms version 1." in capsys.readouterr().out
        report = tmp_path / "jc.md"
        assert main(["report", url, "--output", str(report), *given]) == 0
        assert "Partners: ICB, County, Southport; terms version 2." in report.read_text()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("jc", None)


def test_an_empty_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from govflow.stores import SqliteStore  # noqa: PLC0415

    from .helpers import LIFECYCLE  # noqa: PLC0415

    SqliteStore(tmp_path / "empty.db", LIFECYCLE.fingerprint).close()
    assert main(["log", f"sqlite:///{tmp_path / 'empty.db'}"]) == 0
    assert capsys.readouterr().out == "The log is empty.\n"


class TestRepair:
    @pytest.fixture
    def torn(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, Path]:
        path = tmp_path / "spb.jsonl"
        assert main(["demo", "--store", f"jsonl:///{path}"]) == 0
        with path.open("ab") as out:
            out.write(b'{"after":"endor')
        capsys.readouterr()
        return f"jsonl:///{path}", path

    def test_verify_reports_a_torn_tail_and_repair_cuts_it(
        self, torn: tuple[str, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        url, path = torn
        assert main(["verify", url]) == 1
        assert capsys.readouterr().out.startswith("entry 26: torn: ")
        assert main(["repair", url]) == 0
        assert capsys.readouterr().out == f"cut line 28 from byte {path.stat().st_size}\n"
        assert main(["verify", url]) == 0
        assert main(["repair", url]) == 0
        assert capsys.readouterr().out.endswith("nothing to repair\n")

    def test_repair_gives_up_on_a_lock_held_past_the_lock_timeout(
        self, torn: tuple[str, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """It waited for ever: --lock-timeout was taken, and read for SQLite only."""
        import fcntl  # noqa: PLC0415

        url, path = torn
        before = path.read_bytes()
        with path.open("ab") as holder:
            fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
            assert main(["repair", url, "--lock-timeout", "0.2"]) == 2
        err = capsys.readouterr().err
        assert "another writer held its lock for 0.2 seconds" in err
        assert path.read_bytes() == before

    def test_repair_of_a_whole_last_line_that_is_no_entry_says_what_verify_finds(
        self, torn: tuple[str, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """It said "nothing to repair" and exited 0 for a log that does not verify."""
        url, path = torn
        with path.open("ab") as out:
            out.write(b"\n")  # the torn line ended: whole, and no entry
        assert main(["repair", url]) == 1
        said = capsys.readouterr().out
        assert said.startswith("nothing to repair: the last line is whole")
        assert "the log does not verify: entry 26: malformed: " in said

    def test_repair_needs_a_json_lines_log(
        self, stored: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["repair", stored]) == 2
        assert "only JSON Lines logs" in capsys.readouterr().err


def test_status_on_a_missing_store_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("sqlite:///typo.db", "jsonl:///typo.jsonl"):
        assert main(["status", url]) == 2
        assert "there is no such file" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


class TestJson:
    def test_verify_checkpoint_log_and_status_print_json(
        self, stored: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["verify", stored, "--json"]) == 0
        verified = json.loads(capsys.readouterr().out)
        assert (verified["ok"], verified["count"], verified["problem"]) == (True, 26, None)
        assert main(["checkpoint", stored, "--json"]) == 0
        checkpoint = json.loads(capsys.readouterr().out)
        assert checkpoint == {"count": 26, "head": verified["head"]}
        assert main(["log", stored, "--json"]) == 0
        lines = capsys.readouterr().out.splitlines()
        entries = [json.loads(line) for line in lines]
        assert [e["seq"] for e in entries] == list(range(26))
        assert entries[-1]["hash"] == verified["head"]
        assert main(["status", stored, "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        (body,) = status["bodies"]
        assert (status["as_of"], body["id"], body["state"]) == (None, "spb", "endorsed")
        reason = body["blocked"]["convene_shadow"][0]
        assert reason == {
            "code": "awaiting_nominations",
            "message": "awaiting nominations from: APCC",
            "params": reason["params"],
        }
        assert reason["params"]["missing"] == ["APCC"]

    def test_verify_json_names_the_problem(
        self, stored: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        db = sqlite3.connect(stored.removeprefix("sqlite:///"))
        db.execute(
            "UPDATE govflow_entries SET content = replace(content, 'LGA', 'LGX') WHERE seq = 2"
        )
        db.commit()
        db.close()
        assert main(["verify", stored, "--json"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert (report["ok"], report["problem"]["seq"], report["problem"]["kind"]) == (
            False,
            2,
            "altered",
        )


def test_log_stops_at_an_altered_entry_unless_told_not_to_check(
    stored: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite3.connect(stored.removeprefix("sqlite:///"))
    db.execute("UPDATE govflow_entries SET content = replace(content, 'LGA', 'LGX') WHERE seq = 2")
    db.commit()
    db.close()
    assert main(["log", stored]) == 1
    captured = capsys.readouterr()
    assert "[1]" in captured.out
    assert "[2]" not in captured.out
    assert captured.err.startswith("govflow log: entry 2: altered:")
    assert main(["log", stored, "--no-check"]) == 0
    assert "[6]" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command",
    [
        ["checkpoint"],
        ["status"],
        ["status", "--json"],
        ["prov", "--body", "spb"],
        ["notice", "--decision", "FORGED"],
        ["report", "--body", "spb"],
    ],
)
def test_a_command_uses_only_the_entries_it_verified(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    """An entry another writer appends after the log was verified is not used, nor vouched for."""
    path = tmp_path / "spb.jsonl"
    url = f"jsonl:///{path}"
    assert main(["demo", "--store", url]) == 0
    capsys.readouterr()
    data = json.loads(path.read_bytes().splitlines()[-1])
    data["decision"]["id"], data["seq"] = "FORGED", data["seq"] + 1  # its hash left as it was
    forged = (json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n").encode()

    def then_appended(verify: Any) -> Any:
        def verified_then_appended(*args: object, **kwargs: object) -> object:
            result = verify(*args, **kwargs)
            if b"FORGED" not in path.read_bytes():
                with path.open("ab") as out:
                    out.write(forged)
            return result

        return verified_then_appended

    for where in ("govflow.log.verify", "govflow.stores._verifying"):  # a store's verify
        verifying = importlib.import_module(where)
        monkeypatch.setattr(verifying, "verify", then_appended(verifying.verify))
    code = main([command[0], url, *command[1:]])
    said = capsys.readouterr()
    assert b"FORGED" in path.read_bytes()  # appended after the command verified the log
    assert "FORGED" not in said.out
    if command == ["checkpoint"]:
        assert json.loads(said.out)["count"] == 26  # what was verified, not 27
    if command[0] == "notice":
        assert code == 2  # no such decision among the entries verified
    else:
        assert code == 0


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path: Path) -> None:
    """``govflow log URL | head -1``: exit 141 as for SIGPIPE, nothing on standard error."""
    from govflow import Source  # noqa: PLC0415

    url = f"sqlite:///{tmp_path / 'long.db'}"
    notes = Source("notes")
    reference_with_notes(url, ((f"n{n}", notes, f"note {n}") for n in range(1500)))  # > a pipe
    command = [sys.executable, "-m", "govflow", "log", url]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.readline().startswith(b"[0] ")
        process.stdout.close()  # as head does after its line
        status = process.wait(timeout=60)
        err = process.stderr.read()
    assert (status, err) == (141, b"")


def test_a_reader_that_stops_reading_leaves_no_file_open_in_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``main`` in a process whose output pipe was closed: 141, and no descriptor kept."""
    url = f"jsonl:///{tmp_path / 'spb.jsonl'}"
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["demo", "--store", url]) == 0
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone
    with os.fdopen(writing, "w") as closed:
        monkeypatch.setattr(sys, "stdout", closed)
        before = sorted(Path("/proc/self/fd").iterdir())
        assert main(["log", url]) == 141
        assert sorted(Path("/proc/self/fd").iterdir()) == before


@pytest.mark.parametrize("command", ["verify", "log", "checkpoint"])
def test_a_closed_output_or_error_stream_gives_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """``govflow verify URL >&-``: 2 and a line saying why; ``2>&-``: the status as ever."""
    url = f"sqlite:///{tmp_path / 'spb.db'}"
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main(["demo", "--store", url]) == 0
    base = [sys.executable, "-m", "govflow", command, url]
    closed = subprocess.run(base, stderr=subprocess.PIPE, check=False,
                            preexec_fn=lambda: os.close(1))  # fmt: skip
    assert (closed.returncode, closed.stderr) == (
        2, b"govflow: standard output is closed: nothing can be printed\n"
    )  # fmt: skip
    missing = [sys.executable, "-m", "govflow", "verify", f"sqlite:///{tmp_path / 'no.db'}"]
    for argv, status in ((base, 0), (missing, 2)):
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              check=False, preexec_fn=lambda: os.close(2))  # fmt: skip
        assert done.returncode == status, argv


def test_log_names_a_reordering_as_verify_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # log checked each entry against the one before alone: two lines swapped were
    # "dropped: entry 5 is missing" to it, and "reordered" to verify.
    path = tmp_path / "spb.jsonl"
    assert main(["demo", "--store", f"jsonl:///{path}"]) == 0
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6], lines[7] = lines[7], lines[6]
    path.write_text("".join(lines), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", f"jsonl:///{path}"]) == 1
    verified = capsys.readouterr().out.strip()
    assert verified.startswith("entry 5: reordered: ")
    assert main(["log", f"jsonl:///{path}"]) == 1
    assert capsys.readouterr().err.strip() == f"govflow log: {verified}"


def test_a_log_of_one_entry_is_intact_as_one_entry_and_a_timeout_is_one_call_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from govflow.cli._open import LOCK_TIMEOUT, Options  # noqa: PLC0415

    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    url = f"sqlite:///{tmp_path / 'one.db'}"
    with open_store(url, lifecycle.fingerprint) as store:
        Registry(lifecycle, log=store).apply(next(iter(spb.decisions())))
    assert main(["verify", url, "--lock-timeout", "5"]) == 0
    assert capsys.readouterr().out.startswith("intact: 1 entry, head ")  # not "1 entries"
    assert Options.lock_timeout == 5
    assert main(["key", "one.example/log", str(tmp_path / "k")]) == 0  # a command without it
    assert Options.lock_timeout == LOCK_TIMEOUT  # the earlier call's no longer holds
