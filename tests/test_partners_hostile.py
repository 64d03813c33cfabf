"""Hostile input to signed checkpoints, witnesses and bundles: typed errors, nothing accepted.

Each case was found by trying the commands and the API as an adversary would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govflow.cli import main
from govflow.errors import InvalidRecord, NoteError, ProofError, WitnessRefused
from govflow.log.bundle import Bundle
from govflow.log.note import Note, SignerKey
from govflow.log.witness import Seen, cosign, witnessed

from .test_bundle import CHECKPOINT, ENTRIES, LGA, LOG, bundle


class TestTheLogIsNoWitness:
    def test_the_logs_own_key_does_not_count_as_a_witness(self) -> None:
        with pytest.raises(WitnessRefused, match="log's own key"):
            witnessed(CHECKPOINT, [LOG.verifier], 1)
        with pytest.raises(WitnessRefused, match="log's own key"):
            bundle().verify(LOG.verifier, [LOG.verifier])

    def test_the_log_cannot_witness_itself(self) -> None:
        with pytest.raises(WitnessRefused, match="a log cannot witness itself"):
            cosign(CHECKPOINT, LOG.verifier, LOG, None, [])

    @pytest.mark.parametrize("at_least", [0, -1, 3, True, "1", None])
    def test_a_quorum_must_be_from_one_to_the_witnesses_given(self, at_least: object) -> None:
        other = SignerKey.generate("apcc.example/w").verifier
        with pytest.raises(WitnessRefused, match="from 1 to 2"):
            witnessed(CHECKPOINT, [LGA.verifier, other], at_least)  # type: ignore[arg-type]

    def test_a_witness_given_twice_is_refused(self) -> None:
        with pytest.raises(WitnessRefused, match="more than once"):
            witnessed(CHECKPOINT, [LGA.verifier, LGA.verifier], 1)


class TestBundleText:
    def test_a_member_given_twice_is_refused(self) -> None:
        text = bundle().to_json()
        doubled = text.replace('"format": ', '"format": "x", "format": ', 1)
        with pytest.raises(InvalidRecord) as caught:
            Bundle.from_json(doubled)
        assert caught.value.field == "(text)"

    def test_an_entry_with_a_reason_given_twice_is_refused(self) -> None:
        data = json.loads(bundle().to_json())
        forged = data["entry"].replace('"reasons":[', '"reasons":["FORGED"],"reasons":[', 1)
        with pytest.raises(InvalidRecord) as caught:
            Bundle.from_json(json.dumps({**data, "entry": forged}))
        assert (caught.value.record, caught.value.field) == ("Bundle", "entry")

    def test_an_entry_not_in_its_canonical_form_is_refused(self) -> None:
        data = json.loads(bundle().to_json())
        spaced = json.dumps(json.loads(data["entry"]), indent=1, sort_keys=True)
        with pytest.raises(InvalidRecord, match="canonical"):
            Bundle.from_json(json.dumps({**data, "entry": spaced}))

    def test_a_checkpoint_with_a_lone_surrogate_is_refused(self) -> None:
        data = json.loads(bundle().to_json())
        broken = data["checkpoint"].replace("\n\n", "\ud800\n\n", 1)
        with pytest.raises(NoteError, match="lone surrogate"):
            Bundle.from_json(json.dumps({**data, "checkpoint": broken}))


class TestApiTypes:
    @pytest.mark.parametrize(
        ("call", "error"),
        [
            (lambda: Note(5), NoteError),  # type: ignore[arg-type]
            (lambda: Note("x\ud800\n").signed(LOG), NoteError),
            (lambda: SignerKey("a", None), NoteError),  # type: ignore[arg-type]
            (lambda: SignerKey("a", b"short"), NoteError),
            (lambda: CHECKPOINT.verified_by(None), NoteError),  # type: ignore[arg-type]
            (lambda: CHECKPOINT.verified_by([None]), NoteError),  # type: ignore[list-item]
            (lambda: witnessed(5, [LGA.verifier], 1), WitnessRefused),  # type: ignore[arg-type]
            (lambda: cosign(5, LOG.verifier, LGA, None, []), WitnessRefused),  # type: ignore[arg-type]
            (lambda: cosign(CHECKPOINT, LOG.verifier, LGA, 5, []), WitnessRefused),  # type: ignore[arg-type]
            (lambda: Seen.load(None), InvalidRecord),  # type: ignore[arg-type]
            (lambda: Seen.load('{"o": {"size": 5, "root": "zz"}}'), InvalidRecord),
            (lambda: Bundle.of(ENTRIES, True, CHECKPOINT), ProofError),  # type: ignore[arg-type]  # noqa: FBT003
            (lambda: Bundle.of(ENTRIES, 0, "text"), InvalidRecord),  # type: ignore[arg-type]
            (lambda: bundle().verify(None), InvalidRecord),  # type: ignore[arg-type]
        ],
    )
    def test_a_value_of_the_wrong_type_gets_a_typed_error(
        self, call: object, error: type[Exception]
    ) -> None:
        with pytest.raises(error):
            call()  # type: ignore[operator]


class TestCommandLine:
    @pytest.fixture
    def folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
        assert main(["demo", "--store", f"jsonl:///{tmp_path}/spb.jsonl"]) == 0
        for name in ("log", "lga"):
            assert main(["key", f"{name}.example/spb", str(tmp_path / name)]) == 0
        capsys.readouterr()
        return tmp_path

    def run(self, *args: object) -> int:
        return main([str(a) for a in args])

    @pytest.mark.parametrize("prefix", [".", "..", "keys/", "./", "keys/."])
    def test_a_key_prefix_that_names_no_file_is_refused(
        self,
        folder: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        prefix: str,
    ) -> None:
        # "keys/" wrote keys.key and keys.pub beside the folder, not in it.
        monkeypatch.chdir(folder)
        (folder / "keys").mkdir()
        before = sorted(p.name for p in folder.iterdir())
        assert self.run("key", "x", prefix) == 2
        assert f"{prefix!r} names no file" in capsys.readouterr().err
        assert sorted(p.name for p in folder.iterdir()) == before
        assert list((folder / "keys").iterdir()) == []

    def test_a_torn_log_is_neither_signed_nor_exported(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        log = folder / "spb.jsonl"
        log.write_bytes(log.read_bytes()[:26_000])
        url = f"jsonl:///{log}"
        for args in (
            ["checkpoint", url, "--sign", folder / "log.key"],
            ["prov", url, "--body", "spb"],
            ["notice", url, "--decision", "spb-1"],
        ):
            assert self.run(*args) == 2
            captured = capsys.readouterr()
            assert "does not verify" in captured.err
            assert captured.out == ""

    def test_a_damaged_entry_or_checkpoint_is_named_as_data_not_as_an_argument(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # bundle said "correct the field and create the Entry #4 again" of a blank line in
        # the log, and "create the TreeHead again" of a bad size line, naming no file.
        url, note = f"jsonl:///{folder / 'spb.jsonl'}", folder / "spb.note"
        assert self.run("checkpoint", url, "--sign", folder / "log.key") == 0
        note.write_text(capsys.readouterr().out, encoding="utf-8")
        lines = note.read_text(encoding="utf-8").splitlines(keepends=True)
        odd = folder / "odd.note"
        odd.write_text("".join([lines[0], "2x6\n", *lines[2:]]), encoding="utf-8")
        assert self.run("bundle", url, "--decision", "spb-3", "--checkpoint", odd) == 2
        assert capsys.readouterr().err == (
            f"govflow bundle: the checkpoint {odd} does not read as one: its size must be a "
            "whole number from 0, but '2x6' was given\n"
        )
        log = folder / "spb.jsonl"
        kept = log.read_text(encoding="utf-8").splitlines(keepends=True)
        log.write_text("".join([*kept[:5], "\n", *kept[5:]]), encoding="utf-8")
        assert self.run("bundle", url, "--decision", "spb-3", "--checkpoint", note) == 2
        said = capsys.readouterr().err
        assert "restore it from a copy" in said
        assert "create the Entry" not in said

    @pytest.mark.parametrize("quorum", ["0", "-1", "2"])
    def test_a_quorum_the_witnesses_cannot_meet_is_a_usage_error(
        self, folder: Path, capsys: pytest.CaptureFixture[str], quorum: str
    ) -> None:
        url = f"jsonl:///{folder}/spb.jsonl"
        assert self.run("checkpoint", url, "--sign", folder / "log.key") == 0
        (folder / "cp.note").write_text(capsys.readouterr().out, encoding="utf-8")
        given = ["--key", folder / "log.pub", "--witness", folder / "lga.pub", "--quorum", quorum]
        assert self.run("verify", url, "--checkpoint", folder / "cp.note", *given) == 2
        assert (
            "--quorum must be from 1 to the number of --witness keys (1)" in capsys.readouterr().err
        )
        # verify and verify-bundle say the same of a quorum with no witness keys
        alone = ["--key", folder / "log.pub", "--quorum", quorum]
        assert self.run("verify", url, "--checkpoint", folder / "cp.note", *alone) == 2
        assert "--quorum counts --witness keys; give them" in capsys.readouterr().err

    def test_a_corrupt_witness_state_is_unreadable_and_kept(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        url = f"jsonl:///{folder}/spb.jsonl"
        assert self.run("checkpoint", url, "--sign", folder / "log.key") == 0
        (folder / "cp.note").write_text(capsys.readouterr().out, encoding="utf-8")
        state = folder / "lga.state"
        state.write_text('{"log.example/spb": {"size": 5, "root": "zz"}}', encoding="utf-8")
        given = ["--log-key", folder / "log.pub", "--key", folder / "lga.key", "--state", state]
        assert self.run("witness", url, "--checkpoint", folder / "cp.note", *given) == 2
        assert "cannot read the state file" in capsys.readouterr().err
        assert state.read_text(encoding="utf-8") == '{"log.example/spb": {"size": 5, "root": "zz"}}'

    def test_a_date_without_a_key_to_sign_is_a_usage_error(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        url = f"jsonl:///{folder}/spb.jsonl"
        assert self.run("checkpoint", url, "--date", "2013-03-01") == 2
        captured = capsys.readouterr()
        assert "--date is the day a signed checkpoint records: give --sign KEY" in captured.err
        assert captured.out == ""

    def test_a_key_file_that_is_not_a_key_is_named(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        url = f"jsonl:///{folder}/spb.jsonl"
        assert self.run("checkpoint", url, "--sign", folder / "log.pub") == 2
        assert f"the key file {folder / 'log.pub'} is not a signer key" in capsys.readouterr().err

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
    def test_a_key_made_but_not_printed_says_where_it_is(self, tmp_path: Path) -> None:
        import subprocess  # noqa: PLC0415
        import sys  # noqa: PLC0415

        prefix = tmp_path / "lga"
        with Path("/dev/full").open("w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "govflow", "key", "lga.example/witness", str(prefix)],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert done.returncode == 2
        # Both files are kept (the key is made), and the message names them: making
        # another would fail as the files exist.
        assert done.stderr.startswith(
            f"govflow key: the key is written to {prefix}.key and {prefix}.pub, but printing"
        )
        assert "No space left on device" in done.stderr
        assert "Traceback" not in done.stderr
        public = (tmp_path / "lga.pub").read_text(encoding="utf-8")
        assert public.startswith("lga.example/witness+")

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
    def test_output_that_cannot_be_written_is_one_line_and_exit_2(self, folder: Path) -> None:
        import subprocess  # noqa: PLC0415
        import sys  # noqa: PLC0415

        with Path("/dev/full").open("w") as full:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "govflow",
                    "prov",
                    f"jsonl:///{folder}/spb.jsonl",
                    "--body",
                    "spb",
                ],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert done.returncode == 2
        assert done.stderr.startswith("govflow prov: cannot read or write a file:")
        assert "Traceback" not in done.stderr
