"""What partners run, at its edges: witnesses at once, keys that cannot count, damaged nodes.

Each test here stood for a way a partner's check went wrong: two runs of one witness
co-signing a fork between them, the log's own key passing as a witness under another
name, the Merkle nodes a store keeps blamed on the log, and misleading messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from govflow import Decision, Kind, Registry, Source, When
from govflow.cli import main
from govflow.errors import InvalidRecord, ProofError, WitnessRefused
from govflow.log.bundle import Bundle
from govflow.log.checkpoint import TreeHead
from govflow.log.merkle import Tree
from govflow.log.note import Note, SignerKey
from govflow.log.verify import verify
from govflow.log.witness import Seen, cosign, witnessed
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import open_store
from tests.test_witness import DAY, LGA, LOG, _write_log, checkpoint, hashes


class Partners:
    """Keys, a log and the command line, in one folder."""

    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.folder, self.capsys = folder, capsys
        for name in ("log", "lga", "apcc"):
            assert self.run("key", f"{name}.example/spb", folder / name)[0] == 0

    def run(self, *args: object) -> tuple[int, str, str]:
        status = main([str(a) for a in args])
        captured = self.capsys.readouterr()
        return status, captured.out, captured.err

    def sign(self, url: str, note: str) -> Path:
        key = self.folder / "log.key"
        status, out, _ = self.run("checkpoint", url, "--sign", key, "--date", "2013-03-01")
        assert status == 0
        (self.folder / note).write_text(out, encoding="utf-8")
        return self.folder / note

    def witness(
        self, url: str, note: Path, who: str = "lga", *more: str, first: bool | None = None
    ) -> tuple[int, str, str]:
        """Run the witness; ``--first`` when its state file is missing, unless told."""
        f = self.folder
        state = f / f"{who}.state"
        new = ["--first"] if (not state.exists() if first is None else first) else []
        return self.run(
            "witness", url, "--checkpoint", note, "--log-key", f / "log.pub",
            "--key", f / f"{who}.key", "--state", state, *more, *new,
        )  # fmt: skip


@contextlib.contextmanager
def held(lock: Path) -> Iterator[None]:
    """Another run of the witness, holding its state's lock meanwhile."""
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@pytest.fixture
def partners(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Partners:
    return Partners(tmp_path, capsys)


class TestOneWitnessAtATime:
    def test_a_run_waits_for_another_and_then_sees_what_it_signed(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        """A fork co-signed by a run that held the lock is refused by the run that waited."""
        honest = _write_log(tmp_path / "honest.jsonl")
        fork = _write_log(tmp_path / "fork.jsonl", rewrite=3)
        honest_note, fork_note = partners.sign(honest, "h.note"), partners.sign(fork, "f.note")
        lock = os.open(tmp_path / "lga.state.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run of LGA's witness, under way
        done: list[tuple[int, str, str]] = []
        waiting = threading.Thread(
            target=lambda: done.append(partners.witness(fork, fork_note, first=False))
        )
        waiting.start()
        time.sleep(0.3)
        assert not done  # it waits for the lock
        # Meanwhile the other run co-signs the honest checkpoint and lets go.
        other = tmp_path / "other"
        other.mkdir()
        status, _, err = partners.run("witness", honest, "--checkpoint", honest_note, "--log-key",
                                      tmp_path / "log.pub", "--key", tmp_path / "lga.key",
                                      "--state", other / "lga.state", "--first")  # fmt: skip
        assert (status, err) == (0, "")
        (tmp_path / "lga.state").write_text((other / "lga.state").read_text(), encoding="utf-8")
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
        waiting.join(30)
        assert done
        status, out, err = done[0]
        assert (status, out) == (2, "")
        assert "a fork: the checkpoint of 26 entries does not extend the one of 26" in err

    def test_a_run_that_cannot_have_the_lock_in_time_signs_nothing(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        with held(tmp_path / "lga.state.lock"):
            status, out, err = partners.witness(url, note, "lga", "--lock-timeout", "0.2")
        assert (status, out) == (2, "")
        assert "another run of this witness holds" in err
        assert "--lock-timeout" in err
        assert not (tmp_path / "lga.state").exists()
        assert partners.witness(url, note)[0] == 0  # once it is free

    def test_an_emptied_state_file_is_refused_not_taken_as_new(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        (tmp_path / "lga.state").write_text("\n", encoding="utf-8")
        status, out, err = partners.witness(url, note)
        assert (status, out) == (2, "")
        assert "cannot read the state file" in err
        assert '"{}" for a witness yet to sign' in err
        assert (tmp_path / "lga.state").read_text(encoding="utf-8") == "\n"


class TestAWitnessStateKept:
    """A witness that forgot what it signed could co-sign a fork of it: its state is guarded."""

    def test_a_state_given_through_a_link_is_the_file_it_names(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        # The link was replaced by a new file, and the real state left behind: a fork of
        # the checkpoint signed through the link was then co-signed through the real path.
        honest = _write_log(tmp_path / "honest.jsonl")
        fork = _write_log(tmp_path / "fork.jsonl", rewrite=15)
        early = _write_log(tmp_path / "early.jsonl", count=10)
        real = tmp_path / "real"
        real.mkdir()
        assert partners.witness(early, partners.sign(early, "e.note"), "lga", "--first",
                                first=False)[0] == 0  # fmt: skip
        (tmp_path / "lga.state").rename(real / "lga.state")
        (tmp_path / "lga.state").symlink_to(real / "lga.state")
        assert partners.witness(honest, partners.sign(honest, "h.note"))[0] == 0
        assert (tmp_path / "lga.state").is_symlink()
        assert '"size": 26' in (real / "lga.state").read_text(encoding="utf-8")
        (tmp_path / "lga.state").unlink()
        (tmp_path / "lga.state").symlink_to(real / "lga.state")
        status, out, err = partners.witness(fork, partners.sign(fork, "f.note"))
        assert (status, out) == (2, "")
        assert "a fork" in err

    def test_a_missing_or_reset_state_is_no_new_witness_without_first(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        state = tmp_path / "lga.state"
        status, out, err = partners.witness(url, note, first=False)
        assert (status, out) == (2, "")
        assert f"the state file {state} does not exist" in err
        assert "give --first only for a log this witness has signed nothing of yet" in err
        assert not state.exists()
        state.write_text("{}\n", encoding="utf-8")  # a state reset to nothing
        status, out, err = partners.witness(url, note, first=False)
        assert (status, out) == (2, "")
        assert "holds no checkpoint of log.example/spb signed:" in err
        assert partners.witness(url, note, first=True)[0] == 0  # a new witness, said so
        kept = state.read_text(encoding="utf-8")
        status, out, err = partners.witness(url, note, first=True)
        assert (status, out) == (2, "")
        assert "--first starts a witness of a log it has signed nothing of" in err
        assert "holds what it signed of log.example/spb" in err
        assert state.read_text(encoding="utf-8") == kept
        assert partners.witness(url, note)[0] == 0  # the same checkpoint, signed again

    def test_a_state_names_its_witness_key_and_another_keys_state_is_refused(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        assert partners.witness(url, note, "lga")[0] == 0
        written = json.loads((tmp_path / "lga.state").read_text(encoding="utf-8"))
        lga = (tmp_path / "lga.pub").read_text(encoding="utf-8").strip()
        assert (written["format"], written["key"]) == ("govflow-witness/2", lga)
        assert written["logs"]["log.example/spb"]["date"] == "2013-03-01"
        (tmp_path / "apcc.state").write_text((tmp_path / "lga.state").read_text())
        status, out, err = partners.witness(url, note, "apcc")
        assert (status, out) == (2, "")
        assert "is that of the witness key lga.example/spb" in err
        assert "not of this key apcc.example/spb" in err

    def test_a_state_reset_for_one_log_is_no_new_witness_of_it_without_first(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        assert partners.witness(url, note, first=True)[0] == 0
        state = tmp_path / "lga.state"
        data = json.loads(state.read_text(encoding="utf-8"))
        data["logs"] = {"other.example/log": data["logs"]["log.example/spb"]}  # spb's dropped
        state.write_text(json.dumps(data), encoding="utf-8")
        status, out, err = partners.witness(url, note, first=False)
        assert (status, out) == (2, "")
        assert "holds no checkpoint of log.example/spb signed (it holds those of " in err
        assert "other.example/log)" in err
        assert json.loads(state.read_text(encoding="utf-8")) == data  # nothing written
        # A log new to this witness is added with --first, beside those it holds.
        assert partners.witness(url, note, first=True)[0] == 0
        logs = json.loads(state.read_text(encoding="utf-8"))["logs"]
        assert sorted(logs) == ["log.example/spb", "other.example/log"]
        assert logs["log.example/spb"]["size"] == 10

    @pytest.mark.parametrize(
        ("edit", "said"),
        [
            (
                {"size": 0},
                "logs.log.example/spb.root must be the empty tree's root for a size of 0",
            ),
            ({"date": None}, "log.example/spb.date must be a day, YYYY-MM-DD"),
        ],
    )
    def test_a_state_edited_to_forget_its_fork_or_date_checks_is_refused(
        self, partners: Partners, tmp_path: Path, edit: dict[str, object], said: str
    ) -> None:
        # A size of 0 with the root kept passed as a state, and the witness then co-signed a
        # fork of what it had signed; a date of null passed as a state written before days.
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        assert partners.witness(url, note, first=True)[0] == 0
        state = tmp_path / "lga.state"
        data = json.loads(state.read_text(encoding="utf-8"))
        data["logs"]["log.example/spb"].update(edit)
        state.write_text(json.dumps(data), encoding="utf-8")
        status, out, err = partners.witness(url, note, first=False)
        assert (status, out) == (2, "")
        assert said.removeprefix("logs.") in err
        assert json.loads(state.read_text(encoding="utf-8")) == data  # nothing written
        with pytest.raises(InvalidRecord, match="the empty tree's root"):
            Seen(0, "ab" * 32)
        assert Seen(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").size == 0

    def test_a_state_naming_no_key_is_refused_once_it_holds_checkpoints(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        root = Tree.of([e.hash for e in open_store(url, read_only=True)]).root().hex()
        keyless = f'{{\n  "log.example/spb": {{\n    "root": "{root}",\n    "size": 10\n  }}\n}}\n'
        state = tmp_path / "lga.state"
        state.write_text(keyless, encoding="utf-8")  # another witness's, its key taken out?
        status, out, err = partners.witness(url, note)
        assert (status, out) == (2, "")
        assert f"the state file {state} names no witness key" in err
        assert state.read_text(encoding="utf-8") == keyless
        state.write_text("{}", encoding="utf-8")  # one holding nothing is anyone's to start
        assert partners.witness(url, note, first=True)[0] == 0
        assert json.loads(state.read_text(encoding="utf-8"))["key"].startswith("lga.example/spb+")

    @pytest.mark.parametrize("given", [".", "/"])  # "" is no path: argparse refuses it
    def test_a_folder_for_a_state_file_is_said_in_one_line(
        self, partners: Partners, tmp_path: Path, given: str
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=3)
        note = partners.sign(url, "cp.note")
        status, out, err = partners.run(
            "witness", url, "--checkpoint", note, "--log-key", tmp_path / "log.pub",
            "--key", tmp_path / "lga.key", "--state", given, "--first",
        )  # fmt: skip
        assert (status, out) == (2, "")
        assert err.startswith("govflow witness: the state file ")
        assert "is a folder" in err
        assert err.count("\n") == 1

    def test_a_pipe_for_a_state_file_is_refused_leaving_no_lock(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=3)
        note = partners.sign(url, "cp.note")
        os.mkfifo(tmp_path / "pipe.state")
        status, out, err = partners.run(
            "witness", url, "--checkpoint", note, "--log-key", tmp_path / "log.pub",
            "--key", tmp_path / "lga.key", "--state", tmp_path / "pipe.state",
        )  # fmt: skip
        assert (status, out) == (2, "")
        assert "is not a regular file" in err
        assert not (tmp_path / "pipe.state.lock").exists()

    def test_the_logs_own_key_as_witness_is_refused_leaving_no_lock(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=3)
        note = partners.sign(url, "cp.note")
        status, out, err = partners.run(
            "witness", url, "--checkpoint", note, "--log-key", tmp_path / "log.pub",
            "--key", tmp_path / "log.key", "--state", tmp_path / "w.state", "--first",
        )  # fmt: skip
        assert (status, out) == (2, "")
        assert "the witness key is the log's own key" in err
        assert not (tmp_path / "w.state").exists()
        assert not (tmp_path / "w.state.lock").exists()

    def test_a_checkpoint_dated_back_or_ahead_is_not_co_signed(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        early = _write_log(tmp_path / "early.jsonl", count=10)
        full = _write_log(tmp_path / "full.jsonl")
        key = tmp_path / "log.key"

        def signed(url: str, day: str) -> Path:
            status, out, _ = partners.run("checkpoint", url, "--sign", key, "--date", day)
            assert status == 0
            (tmp_path / f"{day}.note").write_text(out, encoding="utf-8")
            return tmp_path / f"{day}.note"

        assert partners.witness(early, signed(early, "2013-03-01"))[0] == 0
        kept = (tmp_path / "lga.state").read_text(encoding="utf-8")
        status, out, err = partners.witness(full, signed(full, "2001-01-01"))
        assert (status, out) == (2, "")
        assert "dated 2001-01-01, before the one of 2013-03-01 this witness signed" in err
        ahead = (dt.date.today() + dt.timedelta(days=3)).isoformat()  # midnight may pass
        status, out, err = partners.run("checkpoint", full, "--sign", key, "--date", ahead)
        assert (status, out) == (2, "")  # the log's own command signs no day to come ...
        assert f"--date {ahead} is after tomorrow" in err
        dated = Note.parse(signed(full, "2013-03-02").read_text(encoding="utf-8"))
        forged = Note(dated.text.replace("2013-03-02", ahead), ()).signed(
            SignerKey.parse(key.read_text(encoding="utf-8"))
        )  # ... but a log's key may be used by other tools
        (tmp_path / "ahead.note").write_text(str(forged), encoding="utf-8")
        status, out, err = partners.witness(full, tmp_path / "ahead.note")
        assert (status, out) == (2, "")
        assert f"dated {ahead}, after this witness's day" in err
        assert (tmp_path / "lga.state").read_text(encoding="utf-8") == kept
        tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()  # a zone ahead
        assert partners.witness(full, signed(full, tomorrow))[0] == 0

    def test_cosign_checks_the_day_it_is_given(self) -> None:
        leaves = hashes(4)
        note = checkpoint(leaves)  # dated DAY
        with pytest.raises(WitnessRefused, match="after this witness's day"):
            cosign(note, LOG.verifier, LGA, None, [], today=DAY - dt.timedelta(days=2))
        with pytest.raises(WitnessRefused, match=r"today must be a datetime\.date or None"):
            cosign(note, LOG.verifier, LGA, None, [], today="2013-03-01")  # type: ignore[arg-type]
        later = Seen(2, Tree.of(leaves[:2]).root().hex(), DAY + dt.timedelta(days=1))
        proof = Tree.of(leaves).consistency_proof(2, 4)
        with pytest.raises(WitnessRefused, match="a log's days do not go back"):
            cosign(note, LOG.verifier, LGA, later, proof)
        _, seen = cosign(note, LOG.verifier, LGA, attrs.evolve(later, date=None), proof)
        assert seen == Seen(4, Tree.of(leaves).root().hex(), DAY)


class TestKeysThatCannotCount:
    def test_the_log_key_under_another_name_is_no_witness(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=10)
        note = partners.sign(url, "cp.note")
        log_key = SignerKey.parse((tmp_path / "log.key").read_text(encoding="utf-8"))
        renamed = SignerKey("partner.example/w", log_key.seed)
        (tmp_path / "renamed.pub").write_text(f"{renamed.verifier}\n", encoding="utf-8")
        signed = Note.parse(note.read_text(encoding="utf-8")).signed(renamed)
        (tmp_path / "both.note").write_text(str(signed), encoding="utf-8")
        status, out, err = partners.run("verify", url, "--checkpoint", tmp_path / "both.note",
                                        "--key", tmp_path / "log.pub", "--witness",
                                        tmp_path / "renamed.pub")  # fmt: skip
        assert (status, out) == (2, "")
        assert "is the log's own key (log.example/spb)" in err
        with open_store(url, read_only=True) as store:
            made = Bundle.of(store, 2, signed)
        with pytest.raises(WitnessRefused, match="is the log's own key"):
            made.verify(log_key.verifier, [renamed.verifier])
        with pytest.raises(WitnessRefused, match="is the log's own key"):
            witnessed(signed, [renamed.verifier], 1, log_key=log_key.verifier)
        assert witnessed(signed, [renamed.verifier], 1) == ("partner.example/w",)  # no log key
        (tmp_path / "b.json").write_text(made.to_json(), encoding="utf-8")
        status, out, err = partners.run("verify-bundle", tmp_path / "b.json", "--key",
                                        tmp_path / "log.pub", "--witness",
                                        tmp_path / "renamed.pub")  # fmt: skip
        assert (status, out) == (2, "")
        assert "is the log's own key: it is not a witness" in err

    def test_two_keys_of_one_name_are_two_witnesses(self) -> None:
        first, second = SignerKey.generate("w.example/w"), SignerKey.generate("w.example/w")
        note, _ = cosign(checkpoint(hashes(4)), LOG.verifier, first, None, [])
        note, _ = cosign(note, LOG.verifier, second, None, [])
        assert witnessed(note, [first.verifier, second.verifier], 2) == (
            f"w.example/w (key {first.verifier.id:08x})",
            f"w.example/w (key {second.verifier.id:08x})",
        )  # one name, two witnesses: each told apart by its key's id
        assert note.verifying([first.verifier, second.verifier]) == (
            first.verifier,
            second.verifier,
        )

    @pytest.mark.parametrize("at_least", [5, 0, -3, "2", 2.5, 1])
    def test_a_requirement_with_no_witness_keys_is_refused(
        self, tmp_path: Path, at_least: object
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=6)
        with open_store(url, read_only=True) as store:
            leaves = [e.hash for e in store]
            made = Bundle.of(store, 1, checkpoint(leaves))
        assert made.verify(LOG.verifier).size == 6
        with pytest.raises(WitnessRefused, match="at_least counts witness keys, and none"):
            made.verify(LOG.verifier, [], at_least)  # type: ignore[arg-type]


class TestDamagedNodes:
    def test_witness_and_bundle_name_the_node_file_not_a_fork(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "spb.jsonl")
        with open_store(url) as log:  # 146 entries: the nodes of the first 128 are kept
            registry = Registry(partnership_lifecycle(authorities=spb.authorities()), log=log)
            for n in range(120):
                registry.apply(Decision(id=f"note{n}", body="spb", kind=Kind.NOTE, actor="LGA",
                                        decided=When.on(DAY), source=Source("notes"),
                                        reasons=("noted",)))  # fmt: skip
            three = [e.hash for e in log][:3]
        key = SignerKey.parse((tmp_path / "log.key").read_text(encoding="utf-8"))
        early = Note(TreeHead.of(three, three[-1], key.name, DAY).text()).signed(key)
        (tmp_path / "three.note").write_text(str(early), encoding="utf-8")
        assert partners.witness(url, tmp_path / "three.note")[0] == 0
        now = partners.sign(url, "now.note")
        nodes = tmp_path / "spb.jsonl.tree"
        assert nodes.stat().st_size > 96
        with nodes.open("r+b") as file:  # the parent of leaves 0 and 1 goes bad at rest
            file.seek(64)
            file.write(b"\xff" * 32)
        named = f"run `govflow tree {url} --rebuild` to have them made again"
        status, out, err = partners.witness(url, now)
        assert (status, out) == (2, "")
        assert "the Merkle nodes kept with the log" in err
        assert named in err
        assert "a fork" not in err
        status, out, err = partners.run(
            "bundle", url, "--decision", "spb-note-2", "--checkpoint", now
        )
        assert (status, out) == (2, "")
        assert named in err
        assert partners.run("tree", url, "--rebuild")[0] == 0  # as the error says
        assert partners.run("bundle", url, "--decision", "spb-note-2", "--checkpoint", now)[0] == 0
        assert partners.witness(url, now)[0] == 0

    def test_a_checkpoint_whose_head_is_not_the_logs_gives_no_bundle(self, tmp_path: Path) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=6)
        with open_store(url, read_only=True) as store:
            leaves = [e.hash for e in store]
            honest = TreeHead.of(leaves, leaves[-1], LOG.name, DAY)
            false = attrs.evolve(honest, head="ab" * 32)  # TreeHead.of refuses to make it
            with pytest.raises(ProofError, match=r"head abababababababab\.\.\. is not the hash of"):
                Bundle.of(store, 1, Note(false.text()).signed(LOG))

    def test_a_tree_head_is_made_only_of_a_head_that_is_the_last_hash(self) -> None:
        """Hashes and head read apart (an append between) would sign a head of no log."""
        leaves = ["00" * 32, "11" * 32]
        with pytest.raises(ProofError, match="is not the last of the hashes"):
            TreeHead.of(leaves, "00" * 32, LOG.name, DAY)
        assert TreeHead.of(leaves, "11" * 32, LOG.name, DAY).head == "11" * 32

    @pytest.mark.parametrize("origin", ["a\x00b", "\ud800", "a+b", "a b", ""])
    def test_an_origin_no_key_can_carry_is_refused_when_made(self, origin: str) -> None:
        """It used to fail only when signed, or never verify (a '+')."""
        with pytest.raises(InvalidRecord, match=r"^TreeHead\.origin must be a key name"):
            TreeHead.of(["00" * 32], "00" * 32, origin, DAY)


class TestCheckpointFiles:
    def test_two_signed_notes_in_one_file_are_named_as_such(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=6)
        note = partners.sign(url, "cp.note")
        twice = tmp_path / "twice.note"
        twice.write_text(note.read_text() * 2, encoding="utf-8")  # as >> would leave it
        for command in (
            ["verify", url, "--checkpoint", twice, "--key", tmp_path / "log.pub"],
            ["bundle", url, "--decision", "spb-note-2", "--checkpoint", twice],
        ):
            status, out, err = partners.run(*command)
            assert (status, out) == (2, "")
            assert "holds more than one signed note" in err
        assert "holds more than one signed note" in partners.witness(url, twice)[2]

    def test_a_state_file_or_a_bundle_given_as_a_checkpoint_is_named_for_what_it_is(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        """They were read as a checkpoint's JSON: "Checkpoint.(text) must be one line"."""
        url = _write_log(tmp_path / "log.jsonl", count=6)
        note = partners.sign(url, "cp.note")
        assert partners.witness(url, note)[0] == 0
        status, bundle, _ = partners.run(
            "bundle", url, "--decision", "spb-note-2", "--checkpoint", note
        )
        assert status == 0
        (tmp_path / "b.bundle").write_text(bundle, encoding="utf-8")
        compact = json.dumps(json.loads((tmp_path / "lga.state").read_text(encoding="utf-8")))
        (tmp_path / "compact.state").write_text(compact + "\n", encoding="utf-8")
        (tmp_path / "empty.state").write_text("{}\n", encoding="utf-8")
        for given, said in [
            (tmp_path / "lga.state", "it is neither checkpoints as JSON lines (each"),
            (tmp_path / "compact.state", "it is neither checkpoints as JSON lines (each"),
            (tmp_path / "empty.state", "it is neither checkpoints as JSON lines (each"),
            (tmp_path / "b.bundle", "b.bundle is a bundle, not a checkpoint: check it with"),
        ]:
            for keys in ([], ["--key", tmp_path / "log.pub"]):
                status, out, err = partners.run("verify", url, "--checkpoint", given, *keys)
                assert (status, out) == (2, "")
                assert said in err
                assert "Checkpoint.(text)" not in err

    def test_a_key_named_with_a_brace_signs_a_checkpoint_verify_reads(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=6)
        assert partners.run("key", "{lga}", tmp_path / "brace")[0] == 0
        status, out, _ = partners.run("checkpoint", url, "--sign", tmp_path / "brace.key")
        assert status == 0
        (tmp_path / "brace.note").write_text(out, encoding="utf-8")
        status, out, err = partners.run("verify", url, "--checkpoint", tmp_path / "brace.note",
                                        "--key", tmp_path / "brace.pub")  # fmt: skip
        assert (status, err) == (0, "")
        assert out.startswith("intact: 6 entries")

    def test_a_bundle_that_no_longer_reads_is_not_proven(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        url = _write_log(tmp_path / "log.jsonl", count=6)
        note = partners.sign(url, "cp.note")
        status, out, _ = partners.run(
            "bundle", url, "--decision", "spb-note-2", "--checkpoint", note
        )
        assert status == 0
        bundle = tmp_path / "b.json"
        bundle.write_text(out[: len(out) // 2], encoding="utf-8")  # cut short
        status, out, err = partners.run("verify-bundle", bundle, "--key", tmp_path / "log.pub")
        assert (status, err) == (1, "")
        assert out.startswith(f"not proven: the bundle {bundle} does not read as one")
        # A field that is not what a bundle holds is named as the file's, with no advice
        # to "create the Bundle again".
        altered = json.loads(partners.run(
            "bundle", url, "--decision", "spb-note-2", "--checkpoint", note
        )[1])  # fmt: skip
        altered["proof"] = "notalist"
        bundle.write_text(json.dumps(altered), encoding="utf-8")
        status, out, err = partners.run("verify-bundle", bundle, "--key", tmp_path / "log.pub")
        assert (status, err) == (1, "")
        assert out == (
            f"not proven: the bundle {bundle} does not read as one: its proof must be a list "
            "of base64 hashes, not 'notalist'\n"
        )
        # A whole bundle checked with another key reads, and is not signed as required.
        whole = tmp_path / "whole.json"
        status, text, _ = partners.run(
            "bundle", url, "--decision", "spb-note-2", "--checkpoint", note
        )
        whole.write_text(text, encoding="utf-8")
        status, out, err = partners.run("verify-bundle", whole, "--key", tmp_path / "lga.pub")
        assert (status, err) == (1, "")
        assert out.startswith("not proven: the bundle's checkpoint is not signed as required: ")
        assert "no signature by a known key" in out
        status, out, err = partners.run("verify-bundle", tmp_path / "none.json", "--key",
                                        tmp_path / "log.pub")  # fmt: skip
        assert (status, out) == (2, "")
        assert f"the bundle {tmp_path / 'none.json'} does not exist" in err


class TestTreeInputs:
    @pytest.mark.parametrize(
        "call",
        [
            lambda head: head.root_of(None),
            lambda head: head.root_of(5),
            lambda head: head.root_of({}),
            lambda head: head.root_of(["00" * 32]),  # fewer hashes than the head's size
            lambda _: Tree.over(None, 3).root(),  # type: ignore[arg-type]
            lambda _: Tree.over(5, 3).root(),  # type: ignore[arg-type]
            lambda _: Tree([b"a"])["0"],  # type: ignore[index]
            lambda _: Tree([b"a"])[None],  # type: ignore[index]
            lambda _: Tree([b"a"])[1.5],  # type: ignore[index]
            lambda _: Tree([b"a"])[True],
        ],
    )
    def test_wrong_inputs_raise_proof_errors(self, call: object) -> None:
        head = TreeHead.of(["00" * 32] * 3, "00" * 32, "o", dt.date(2013, 3, 1))
        with pytest.raises(ProofError):
            call(head)  # type: ignore[operator]

    def test_a_checkpoint_of_no_entries_with_another_head_names_the_header(self) -> None:
        from govflow.log.checkpoint import Checkpoint  # noqa: PLC0415

        problem = verify([], "ab" * 32, Checkpoint(0, "cd" * 32)).problem
        assert problem is not None
        assert (problem.seq, problem.kind) == (0, "rewritten")
        assert "header hash differs" in problem.message
        assert "to -1" not in problem.message


def test_a_private_key_given_for_a_verifier_key_is_named_so(
    partners: Partners, tmp_path: Path
) -> None:
    url = _write_log(tmp_path / "log.jsonl", count=6)
    note = partners.sign(url, "cp.note")
    status, out, err = partners.run("verify", url, "--checkpoint", note, "--key",
                                    tmp_path / "log.key")  # fmt: skip
    assert (status, out) == (2, "")
    assert "is a signer (private) key: give its verifier key, the .pub file" in err
    # Two keys in one file (the log's and a witness's) were "not base64 as an encoder
    # writes it".
    both = tmp_path / "both.pub"
    pubs = [(tmp_path / n).read_text(encoding="utf-8").strip() for n in ("log.pub", "lga.pub")]
    both.write_text("\n".join(pubs) + "\n", encoding="utf-8")
    status, out, err = partners.run("verify", url, "--checkpoint", note, "--key", both)
    assert (status, out) == (2, "")
    assert "holds 2 lines: give one verifier key a file" in err
    # A PEM key (OpenSSL's) was "holds 3 lines", which did not say what was wrong.
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415

    pem = tmp_path / "pem.pub"
    pem.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    status, out, err = partners.run("verify", url, "--checkpoint", note, "--key", pem)
    assert (status, out) == (2, "")
    assert f"the key file {pem} is a PEM key: give a verifier key as `govflow key` writes" in err


def test_a_witness_key_named_as_the_log_is_told_apart_from_the_logs_own(
    partners: Partners, tmp_path: Path
) -> None:
    url = _write_log(tmp_path / "log.jsonl", count=6)
    note = partners.sign(url, "cp.note")
    assert partners.run("key", "log.example/spb", tmp_path / "namesake")[0] == 0
    status, out, _ = partners.run("bundle", url, "--decision", "spb-note-2", "--checkpoint", note)
    assert status == 0
    (tmp_path / "b.json").write_text(out, encoding="utf-8")
    status, out, err = partners.run("verify-bundle", tmp_path / "b.json", "--key",
                                    tmp_path / "log.pub", "--witness",
                                    tmp_path / "namesake.pub")  # fmt: skip
    assert (status, out) == (2, "")
    assert "has the log's name, log.example/spb: name it apart" in err
    assert "is the log's own key" not in err


def test_a_witness_refuses_a_lock_timeout_that_is_no_number_of_seconds(
    partners: Partners, tmp_path: Path
) -> None:
    url = _write_log(tmp_path / "log.jsonl", count=6)
    note = partners.sign(url, "cp.note")
    with held(tmp_path / "lga.state.lock"), pytest.raises(SystemExit) as done:
        partners.witness(url, note, "lga", "--lock-timeout", "nan")  # would wait for ever
    assert done.value.code == 2
    captured = partners.capsys.readouterr()
    assert captured.out == ""
    assert "--lock-timeout: expected a number of seconds from 0, got 'nan'" in captured.err


class TestByteOrderMarks:
    def test_every_file_a_partner_gives_reads_with_a_byte_order_mark_first(
        self, partners: Partners, tmp_path: Path
    ) -> None:
        # Some editors write one first; keys, notes, checkpoints, bundles and a witness's
        # state were each refused with words that blamed something else.
        def marked(path: Path) -> Path:
            copy = path.with_name(f"bom-{path.name}")
            copy.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
            return copy

        url = _write_log(tmp_path / "spb.jsonl")
        note = partners.sign(url, "now.note")
        status, plain, _ = partners.run("checkpoint", url, "--json")
        assert status == 0
        (tmp_path / "now.json").write_text(plain, encoding="utf-8")
        log_pub, log_key = tmp_path / "log.pub", tmp_path / "log.key"
        assert partners.run("verify", url, "--checkpoint", note, "--key", marked(log_pub))[0] == 0
        assert partners.run("verify", url, "--checkpoint", marked(note), "--key", log_pub)[0] == 0
        assert partners.run("verify", url, "--checkpoint", marked(tmp_path / "now.json"))[0] == 0
        assert partners.run("checkpoint", url, "--sign", marked(log_key))[0] == 0
        assert partners.witness(url, marked(note))[0] == 0
        state = tmp_path / "lga.state"
        state.write_bytes(b"\xef\xbb\xbf" + state.read_bytes())
        assert partners.witness(url, note)[0] == 0  # its own state, read with the mark
        status, bundle, _ = partners.run(
            "bundle", url, "--decision", "spb-note-2", "--checkpoint", marked(note)
        )
        assert status == 0
        (tmp_path / "one.bundle").write_text(bundle, encoding="utf-8")
        checked = partners.run("verify-bundle", marked(tmp_path / "one.bundle"), "--key", log_pub)
        assert checked[0] == 0
        assert checked[1].startswith("proven: ")


@pytest.mark.parametrize("command", ["verify", "prov", "notice", "report"])
def test_a_checkpoint_given_twice_is_refused_not_the_last_one_kept(
    partners: Partners, tmp_path: Path, command: str
) -> None:
    """A log cut short passed ``--checkpoint LONG --checkpoint SHORT``: only SHORT was read."""
    url = _write_log(tmp_path / "log.jsonl", count=26)
    long = partners.sign(url, "n26.note")
    lines = (tmp_path / "log.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "log.jsonl").write_text("".join(lines[:21]), encoding="utf-8")  # 20 entries
    with open_store(url, read_only=True) as log:
        short = tmp_path / "c20.json"
        short.write_text(json.dumps({"count": 20, "head": log[19].hash}), encoding="utf-8")
    more = {"prov": ["--body", "spb"], "notice": ["--decision", "d1"]}.get(command, [])
    key = ["--key", tmp_path / "log.pub"]
    status, out, err = partners.run(command, url, *more, "--checkpoint", long, *key)
    assert status in {1, 2}
    assert "recorded 26: the log was truncated" in out + err
    with pytest.raises(SystemExit) as exited:
        partners.run(command, url, *more, "--checkpoint", long, *key, "--checkpoint", short)
    assert exited.value.code == 2
    captured = partners.capsys.readouterr()
    assert captured.out == ""
    assert f"govflow {command}: error: --checkpoint is given twice: give it once" in captured.err


@pytest.mark.parametrize(
    ("option", "args"),
    [
        ("--as-of", ["demo", "--as-of", "2013-01-01", "--as-of", "2013-02-01"]),
        ("--state", ["witness", "u", "--checkpoint", "a", "--log-key", "k", "--key", "k",
                     "--state", "s", "--state", "t"]),
        ("--quorum", ["verify", "u", "--quorum", "1", "--quorum", "2"]),
        ("--date", ["checkpoint", "u", "--date=2013-01-01", "--date", "2013-01-02"]),
        ("--lock-timeout", ["status", "u", "--lock-timeout", "1", "--lock-t", "2"]),
    ],
)  # fmt: skip
def test_every_option_of_one_value_is_refused_given_twice(
    partners: Partners, option: str, args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        partners.run(*args)
    assert exited.value.code == 2
    assert f"error: {option} is given twice: give it once" in partners.capsys.readouterr().err
