"""Partners as witnesses: a checkpoint is co-signed only if it extends the last one signed."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
from hashlib import sha256
from pathlib import Path

import attrs
import pytest

from govflow import Registry
from govflow.cli import main
from govflow.errors import InvalidRecord, NoteError, WitnessRefused
from govflow.log.checkpoint import TreeHead
from govflow.log.merkle import EMPTY_ROOT, Tree
from govflow.log.note import Note, SignerKey
from govflow.log.witness import Seen, cosign, witnessed
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import open_store

LOG = SignerKey.generate("spb.example/log")
LGA = SignerKey.generate("lga.example/witness")
APCC = SignerKey.generate("apcc.example/witness")
DAY = dt.date(2013, 3, 1)


def hashes(count: int, salt: str = "") -> list[str]:
    return [sha256(f"{salt}{n}".encode()).hexdigest() for n in range(count)]


def checkpoint(leaves: list[str], key: SignerKey = LOG) -> Note:
    """The log's signed checkpoint of ``leaves``."""
    head = TreeHead.of(leaves, leaves[-1] if leaves else "00" * 32, key.name, DAY)
    return Note(head.text()).signed(key)


class TestCosign:
    def test_a_first_checkpoint_is_signed_and_remembered(self) -> None:
        leaves = hashes(10)
        signed, seen = cosign(checkpoint(leaves), LOG.verifier, LGA, None, [])
        assert signed.verified_by([LGA.verifier]) == ("lga.example/witness",)
        assert signed.verified_by([LOG.verifier]) == ("spb.example/log",)
        assert seen == Seen(10, Tree.of(leaves).root().hex(), DAY)

    @pytest.mark.parametrize(("first", "second"), [(1, 2), (3, 7), (4, 8), (10, 26), (26, 26)])
    def test_a_checkpoint_that_extends_the_last_is_signed(self, first: int, second: int) -> None:
        leaves = hashes(second)
        _, seen = cosign(checkpoint(leaves[:first]), LOG.verifier, LGA, None, [])
        proof = Tree.of(leaves).consistency_proof(first, second)
        signed, now = cosign(checkpoint(leaves), LOG.verifier, LGA, seen, proof)
        assert now == Seen(second, Tree.of(leaves).root().hex(), DAY)
        assert "lga.example/witness" in signed.verified_by([LGA.verifier])

    def test_every_tree_extends_the_empty_one(self) -> None:
        empty = Seen(0, sha256(b"").hexdigest())
        assert cosign(checkpoint(hashes(5)), LOG.verifier, LGA, empty, [])[1].size == 5

    def test_a_fork_of_the_same_size_is_refused(self) -> None:
        _, seen = cosign(checkpoint(hashes(26)), LOG.verifier, LGA, None, [])
        with pytest.raises(WitnessRefused, match=r"a fork: .* 26 entries .* same size"):
            cosign(checkpoint(hashes(26, "forked")), LOG.verifier, LGA, seen, [])

    def test_a_fork_that_grew_is_refused_whatever_proof_is_given(self) -> None:
        _, seen = cosign(checkpoint(hashes(10)), LOG.verifier, LGA, None, [])
        fork = [*hashes(3), *hashes(20, "forked")]  # entries 3 on rewritten, and more
        own_proof = Tree.of(fork).consistency_proof(10, 23)
        honest_proof = Tree.of(hashes(23)).consistency_proof(10, 23)
        for proof in (own_proof, honest_proof, []):
            with pytest.raises(WitnessRefused, match="does not extend the one of 10"):
                cosign(checkpoint(fork), LOG.verifier, LGA, seen, proof)

    def test_a_rollback_is_refused(self) -> None:
        _, seen = cosign(checkpoint(hashes(10)), LOG.verifier, LGA, None, [])
        with pytest.raises(WitnessRefused, match="a rollback: the checkpoint has 9 entries"):
            cosign(checkpoint(hashes(9)), LOG.verifier, LGA, seen, [])

    def test_a_checkpoint_the_log_did_not_sign_is_refused(self) -> None:
        impostor = SignerKey.generate("spb.example/log")
        with pytest.raises(WitnessRefused, match="is not the log's"):
            cosign(checkpoint(hashes(3), impostor), LOG.verifier, LGA, None, [])
        other = SignerKey.generate("other.example/log")
        head = TreeHead.of(hashes(3), hashes(3)[-1], "spb.example/log", DAY)
        with pytest.raises(WitnessRefused, match=r"origin 'spb\.example/log' is not"):
            cosign(Note(head.text()).signed(other), other.verifier, LGA, None, [])

    def test_a_note_full_of_signatures_is_refused_before_signing(self) -> None:
        # The witness signed a 101st signature no reader would take.
        note = checkpoint(hashes(3))
        others = [SignerKey.generate(f"w{n}.example") for n in range(99)]
        full = note.signed(*others)
        assert len(full.signatures) == 100
        assert Note.parse(str(full)) == full  # a reader takes 100
        with pytest.raises(WitnessRefused, match="holds 100 signatures already"):
            cosign(full, LOG.verifier, LGA, None, [])
        with pytest.raises(NoteError, match="more than 100 signatures, once signed"):
            full.signed(LGA)
        again = full.signed(others[0])  # a signature replaced: still 100
        assert len(again.signatures) == 100

    def test_a_witness_day_at_the_end_of_the_calendar_bounds_nothing(self) -> None:
        # today=date.max raised OverflowError computing the day after it.
        signed, seen = cosign(checkpoint(hashes(3)), LOG.verifier, LGA, None, [], today=dt.date.max)
        assert seen.size == 3
        assert LGA.name in signed.verified_by([LGA.verifier])
        with pytest.raises(WitnessRefused, match="after this witness's day"):
            cosign(checkpoint(hashes(3)), LOG.verifier, LGA, None, [], today=dt.date.min)


class TestQuorum:
    def test_k_of_n_witnesses(self) -> None:
        note, _ = cosign(checkpoint(hashes(4)), LOG.verifier, LGA, None, [])
        keys = [LGA.verifier, APCC.verifier]
        assert witnessed(note, keys, 1) == ("lga.example/witness",)
        with pytest.raises(WitnessRefused, match=r"1 of the 2 witnesses .* 2 are required"):
            witnessed(note, keys, 2)
        both, _ = cosign(note, LOG.verifier, APCC, None, [])
        assert witnessed(both, keys, 2) == ("lga.example/witness", "apcc.example/witness")
        with pytest.raises(WitnessRefused, match=r"0 of the 2 witnesses signed .*none"):
            witnessed(checkpoint(hashes(4)), keys, 1)

    def test_a_note_that_is_no_checkpoint_is_refused(self) -> None:
        with pytest.raises(WitnessRefused, match="the note is not a checkpoint: TreeHead"):
            witnessed(Note("not a checkpoint\n").signed(LGA), [LGA.verifier], 1)

    def test_a_witness_signature_that_does_not_verify_is_refused(self) -> None:
        note, _ = cosign(checkpoint(hashes(4)), LOG.verifier, LGA, None, [])
        own, theirs = note.signatures
        forged = Note(note.text, (own, attrs.evolve(theirs, signature=bytes(64))))
        with pytest.raises(WitnessRefused, match=r"lga\.example/witness\+[0-9a-f]{8} does not"):
            witnessed(forged, [LGA.verifier, APCC.verifier], 1)


class TestState:
    def test_it_reads_back_what_it_wrote(self) -> None:
        state = {"b": Seen(3, "ab" * 32), "a": Seen(0, EMPTY_ROOT.hex())}
        assert Seen.load(Seen.dump(state)) == state
        assert Seen.load(Seen.dump({})) == {}

    @pytest.mark.parametrize(
        "text",
        ["[1]", "{", '{"o": {"size": -1, "root": "ab"}}', '{"o": {"size": 1}}', "", " \n"],
    )
    def test_a_state_that_is_not_one_is_refused(self, text: str) -> None:
        with pytest.raises(InvalidRecord):
            Seen.load(text)


def _write_log(path: Path, *, rewrite: int | None = None, count: int | None = None) -> str:
    """The reference case's first ``count`` decisions to a JSON Lines log; one rewritten."""
    url = f"jsonl:///{path}"
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    with open_store(url, lifecycle.fingerprint) as log:
        registry = Registry(lifecycle, log=log)
        for n, decision in enumerate(spb.decisions()[:count]):
            changed = n == rewrite
            registry.apply(attrs.evolve(decision, reasons=("rewritten",)) if changed else decision)
    return url


def test_two_partners_witness_the_reference_log_and_refuse_a_fork(  # noqa: PLR0915 - the flow
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: object) -> int:
        return main([str(a) for a in args])

    for name in ("log", "lga", "apcc"):
        assert run("key", f"{name}.example/spb", tmp_path / name) == 0
    early = _write_log(tmp_path / "early.jsonl", count=10)
    full = _write_log(tmp_path / "full.jsonl")
    capsys.readouterr()

    def sign(url: str, note: str) -> None:
        assert run("checkpoint", url, "--sign", tmp_path / "log.key", "--date", "2013-03-01") == 0
        (tmp_path / note).write_text(capsys.readouterr().out, encoding="utf-8")

    def witness(url: str, note: str, who: str, state: str | None = None) -> tuple[int, str]:
        kept = tmp_path / f"{state or who}.state"
        status = run(
            "witness", url, "--checkpoint", tmp_path / note, "--log-key", tmp_path / "log.pub",
            "--key", tmp_path / f"{who}.key", "--state", kept,
            *([] if kept.exists() else ["--first"]),
        )  # fmt: skip
        captured = capsys.readouterr()
        (tmp_path / f"{note}.{who}").write_text(captured.out, encoding="utf-8")
        return status, captured.err

    sign(early, "early.note")
    assert witness(early, "early.note", "lga") == (0, "")
    assert witness(early, "early.note", "apcc", state="late") == (0, "")  # stops here
    sign(full, "full.note")
    assert witness(full, "full.note", "lga") == (0, "")  # extends the 10 entries LGA signed
    (tmp_path / "full.both").write_text((tmp_path / "full.note.lga").read_text())
    assert witness(full, "full.both", "apcc") == (0, "")
    verify = ["verify", full, "--checkpoint", tmp_path / "full.both.apcc"]
    keys = ["--key", tmp_path / "log.pub", "--witness", tmp_path / "lga.pub"]
    assert run(*verify, *keys, "--witness", tmp_path / "apcc.pub") == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("intact: 26 entries")
    # who vouches for it: the log's key, and each witness whose co-signature was checked
    by = "checkpoint of 26 entries signed by log.example/spb; co-signed by lga.example/spb"
    assert said[1:] == [f"{by}, apcc.example/spb"]
    # A bundle of one decision under that checkpoint says who signed it the same way.
    bundle = ["bundle", full, "--decision", "spb-5", "--checkpoint", tmp_path / "full.both.apcc"]
    assert run(*bundle) == 0
    (tmp_path / "b.json").write_text(capsys.readouterr().out, encoding="utf-8")
    witnesses = ["--witness", tmp_path / "lga.pub", "--witness", tmp_path / "apcc.pub"]
    assert run("verify-bundle", tmp_path / "b.json", "--key", tmp_path / "log.pub", *witnesses) == 0
    signed = "signed by log.example/spb; co-signed by lga.example/spb, apcc.example/spb\n"
    assert capsys.readouterr().out.endswith(signed)
    # One witness key given twice is a mistake in the command, said as one.
    assert run(*verify, *keys, "--witness", tmp_path / "lga.pub") == 2
    said = capsys.readouterr().err
    assert "lga.pub are one key: give each once" in said
    assert "does not verify" not in said
    # A witness's key given as the log's: the checkpoint's own log is named, and the key.
    assert run(*verify, "--key", tmp_path / "lga.pub") == 2
    said = capsys.readouterr().err
    assert "the checkpoint is of the log 'log.example/spb', and the keys given verify only" in said
    assert "the signature of lga.example/spb: give the log's own key" in said
    assert run(*verify, *keys, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["signed_by"], report["witnessed_by"]) == (
        ["log.example/spb"],
        ["lga.example/spb"],
    )

    # The log's operator rewrites decision 3 and signs the new history: LGA refuses it.
    fork = _write_log(tmp_path / "fork.jsonl", rewrite=3)
    state = (tmp_path / "lga.state").read_text(encoding="utf-8")
    sign(fork, "fork.note")
    status, said = witness(fork, "fork.note", "lga")
    assert status == 2
    assert "a fork: the checkpoint of 26 entries does not extend the one of 26" in said
    assert (tmp_path / "lga.state").read_text(encoding="utf-8") == state
    # A partner that witnessed only the first 10 entries catches it too: no proof leads
    # from the tree it signed to the rewritten one.
    status, said = witness(fork, "fork.note", "apcc", state="late")
    assert status == 2
    assert "does not extend the one of 10 this witness signed" in said
    # The honest checkpoint given with the forked log's URL: the log is named, not the
    # checkpoint (which is the log the witness signed before).
    status, said = witness(fork, "full.note", "apcc", state="late")
    assert status == 2
    assert "is not the one the checkpoint was taken of" in said
    assert "a fork" not in said
    # The partners' kept checkpoint catches the rewritten store.
    kept = ["verify", fork, "--checkpoint", tmp_path / "full.both.apcc", *keys]
    assert run(*kept) == 1
    assert "rewritten: the head after 26 entries differs" in capsys.readouterr().out
    # And a verifier requiring a witness refuses the fork's note, which none signed.
    verify = ["verify", fork, "--checkpoint", tmp_path / "fork.note"]
    assert run(*verify, *keys, "--quorum", "1") == 2
    assert "0 of the 1 witnesses signed" in capsys.readouterr().err


def test_a_witness_looks_at_the_log_before_its_first_signature_and_remembers_before_it_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first signature needs the log the checkpoint is of; a signature given is kept."""
    for name in ("log", "lga"):
        assert main(["key", f"{name}.example/spb", str(tmp_path / name)]) == 0
    url = _write_log(tmp_path / "log.jsonl", count=10)
    other = _write_log(tmp_path / "other.jsonl", count=10, rewrite=3)
    key = str(tmp_path / "log.key")
    capsys.readouterr()
    assert main(["checkpoint", url, "--sign", key, "--date", "2013-03-01"]) == 0
    (tmp_path / "cp.note").write_text(capsys.readouterr().out, encoding="utf-8")

    def witness(log: str, state: Path) -> tuple[int, str, str]:
        status = main([
            "witness", log, "--checkpoint", str(tmp_path / "cp.note"),
            "--log-key", str(tmp_path / "log.pub"), "--key", str(tmp_path / "lga.key"),
            "--state", str(state), *([] if state.exists() else ["--first"]),
        ])  # fmt: skip
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    state = tmp_path / "lga.state"
    missing = f"sqlite:///{tmp_path}/missing.db"
    for log, said in [
        (missing, "is not a govflow log"),
        ("memory:", "is not a govflow log"),
        (other, "is not the one the checkpoint was taken of"),
        (_write_log(tmp_path / "short.jsonl", count=4), "has 4 entries, fewer than"),
    ]:
        status, out, err = witness(log, state)
        assert (status, out) == (2, "")
        assert said in err
        assert not state.exists()  # nothing signed, nothing remembered
    # A state file that cannot be locked or written: no signature is handed out.
    status, out, err = witness(url, tmp_path / "no-such-folder" / "lga.state")
    assert (status, out) == (2, "")
    assert "cannot lock the state file" in err
    blocked = tmp_path / "blocked.state"

    def full(self: Path, target: Path) -> None:  # the new state written, then the disk full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(Path, "replace", full)
        status, out, err = witness(url, blocked)
    assert (status, out) == (2, "")
    assert "cannot write the state file" in err
    assert "No space left on device" in err
    assert not blocked.exists()
    assert not list(tmp_path.glob(".blocked.state*"))  # nor the new state, half kept
    # Signed and remembered; the same checkpoint again (its note lost) is signed again.
    status, first, _ = witness(url, state)
    assert status == 0
    assert "— lga.example/spb " in first
    remembered = state.read_text(encoding="utf-8")
    assert witness(url, state) == (0, first, "")
    assert state.read_text(encoding="utf-8") == remembered
    assert not list(tmp_path.glob(f".{state.name}*"))  # no new state left beside it


def test_a_witness_refuses_a_checkpoint_whose_head_is_not_the_logs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The root and size may be right and the head line false: nothing is co-signed."""
    log_key, lga = SignerKey.generate("log.example/spb"), SignerKey.generate("lga.example/w")
    (tmp_path / "log.pub").write_text(str(log_key.verifier), encoding="utf-8")
    (tmp_path / "lga.key").write_text(str(lga), encoding="utf-8")
    url = _write_log(tmp_path / "log.jsonl", count=10)
    with open_store(url) as log:
        hashes = [entry.hash for entry in log]
    for size, head, honest in [
        (10, hashes[9], True),
        (10, hashes[8], False),
        (0, hashes[9], False),
    ]:
        made = TreeHead.of(hashes[:size], (hashes[:size] or [head])[-1], log_key.name, DAY)
        tree_head = attrs.evolve(made, head=head)  # a false head: TreeHead.of refuses one
        (tmp_path / "cp.note").write_text(str(Note(tree_head.text()).signed(log_key)))
        status = main([
            "witness", url, "--checkpoint", str(tmp_path / "cp.note"),
            "--log-key", str(tmp_path / "log.pub"), "--key", str(tmp_path / "lga.key"),
            "--state", str(tmp_path / f"{size}-{honest}.state"), "--first",
        ])  # fmt: skip
        captured = capsys.readouterr()
        assert status == (0 if honest else 2)
        assert ("is not the hash of the log's " in captured.err) is not honest
        assert (tmp_path / f"{size}-{honest}.state").exists() is honest


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"format": "govflow-witness/9", "key": "k", "logs": {}}', "(text)"),
        ('{"format": "govflow-witness/2", "key": "k"}', "(text)"),
        ('{"format": "govflow-witness/2", "key": 5, "logs": {}}', "key"),
        ('{"format": "govflow-witness/2", "key": "k", "logs": {}}', "key"),
        ('{"format": "govflow-witness/2", "key": "a+b", "logs": {}}', "key"),
        ('{"format": "govflow-witness/2", "key": "k", "logs": []}', "logs"),
        ('{"o": {"size": 1, "root": "' + "ab" * 32 + '", "date": "2013-02-30"}}', "o.date"),
        ('{"o": {"size": 1, "root": "' + "ab" * 32 + '", "date": 20130228}}', "o.date"),
    ],
)
def test_a_state_of_either_form_that_is_not_one_is_refused_naming_where(
    text: str, field: str
) -> None:
    named = f"'s {field[1:-1]}" if field.startswith("(") else f".{field}"  # a part: in words
    with pytest.raises(InvalidRecord, match=rf"witness state{re.escape(named)} must be"):
        Seen.load(text)


def test_a_state_loaded_for_a_witness_is_refused_when_it_is_another_keys() -> None:
    """As ``govflow witness`` refuses another witness's state file, ``load(key=)`` does."""
    state = {"o": Seen(1, "ab" * 32, DAY)}
    assert Seen.load(Seen.dump(state, LGA.verifier), LGA.verifier) == state
    with pytest.raises(InvalidRecord, match=r"witness state\.key must be the key of this") as e:
        Seen.load(Seen.dump(state, LGA.verifier), APCC.verifier)
    assert e.value.received == str(LGA.verifier)
    # A state that names no key could be any witness's: for a witness, only an empty one.
    assert Seen.load(Seen.dump(state)) == state
    assert Seen.load(Seen.dump({}), APCC.verifier) == {}
    with pytest.raises(InvalidRecord, match=r"witness state's text must be .*naming its key"):
        Seen.load(Seen.dump(state), APCC.verifier)


@pytest.mark.parametrize("day", ["20130301", "2013-W09-5", "2013-060", "2013-02-30", 20130301])
def test_a_state_reads_a_day_only_as_a_checkpoint_writes_it(day: object) -> None:
    text = json.dumps({"o": {"size": 1, "root": "ab" * 32, "date": day}})
    with pytest.raises(InvalidRecord, match=r"witness state\.o\.date must be a day, YYYY-MM-DD"):
        Seen.load(text)
    assert Seen.load(text.replace(json.dumps(day), '"2013-03-01"'))["o"].date == DAY


@pytest.mark.parametrize("origin", ["", "log one", "a+b", "log\u0000", "log "])
def test_a_state_reads_an_origin_only_as_a_log_keys_name(origin: str) -> None:
    text = json.dumps({origin: {"size": 1, "root": "ab" * 32}})
    with pytest.raises(InvalidRecord, match=r"witness state's origin must be a log's name") as e:
        Seen.load(text)
    assert e.value.received == origin


def test_a_state_names_its_key_only_as_a_verifier_key_and_a_seen_day_is_a_day() -> None:
    state = {"o": Seen(1, "ab" * 32, DAY)}
    assert json.loads(Seen.dump(state, LGA.verifier))["key"] == str(LGA.verifier)
    assert Seen.load(Seen.dump(state, LGA.verifier)) == state
    with pytest.raises(InvalidRecord, match=r"witness state\.key must be None or a VerifierKey"):
        Seen.dump(state, "lga")  # type: ignore[arg-type]
    with pytest.raises(InvalidRecord, match=r"Seen\.date must be None or a datetime\.date"):
        Seen(1, "ab" * 32, "2013-03-01")  # type: ignore[arg-type]
