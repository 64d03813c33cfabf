"""Offline bundles: one decision proven in the log with no access to the log."""

from __future__ import annotations

import base64
import datetime as dt
import json
import sys
from pathlib import Path

import attrs
import pytest

from govflow import Entry, Registry
from govflow.cli import main
from govflow.errors import InvalidRecord, NoteError, ProofError, WitnessRefused
from govflow.log import AuditLog
from govflow.log.bundle import Bundle
from govflow.log.checkpoint import TreeHead
from govflow.log.note import Note, SignerKey, VerifierKey
from govflow.log.witness import cosign
from govflow.scenarios import partnership_lifecycle, spb

from .helpers import resealed

LOG = SignerKey.generate("spb.example/log")
LGA = SignerKey.generate("lga.example/w")
DAY = dt.date(2013, 3, 1)


def reference_log() -> list[object]:
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    registry = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint))
    for decision in spb.decisions():
        registry.apply(decision)
    return list(registry.log)


ENTRIES = reference_log()
HASHES = [e.hash for e in ENTRIES]  # type: ignore[attr-defined]
HEAD = TreeHead.of(HASHES, HASHES[-1], LOG.name, DAY)
CHECKPOINT = cosign(Note(HEAD.text()).signed(LOG), LOG.verifier, LGA, None, [])[0]


def bundle(seq: int = 14) -> Bundle:
    return Bundle.of(ENTRIES, seq, CHECKPOINT)  # type: ignore[arg-type]


def test_every_entry_of_the_reference_log_is_proven_with_a_few_hashes() -> None:
    for seq in range(len(ENTRIES)):
        made = Bundle.from_json(Bundle.of(ENTRIES, seq, CHECKPOINT).to_json())  # type: ignore[arg-type]
        assert made.entry == ENTRIES[seq]
        assert len(made.proof) <= len(ENTRIES).bit_length()
        assert made.verify(LOG.verifier, [LGA.verifier]) == HEAD


def test_its_text_is_one_json_object_of_four_members() -> None:
    data = json.loads(bundle().to_json())
    assert set(data) == {"format", "entry", "proof", "checkpoint"}
    assert data["format"] == "govflow-bundle/1"
    assert json.loads(data["entry"])["decision"]["id"] == ENTRIES[14].decision.id  # type: ignore[attr-defined]
    assert Note.parse(data["checkpoint"]) == CHECKPOINT


def _flipped(node: bytes) -> bytes:
    return bytes([node[0] ^ 1]) + node[1:]


def _tampered(**changes: object) -> Bundle:
    return attrs.evolve(bundle(), **changes)


@pytest.mark.parametrize(
    ("make", "error", "said"),
    [
        (  # the body altered, the hash kept
            lambda: _tampered(entry=attrs.evolve(ENTRIES[14], body="other")),
            ProofError,
            "content does not hash to its hash",
        ),
        (  # the state after altered and every hash from it recomputed: not the signed tree's
            lambda: _tampered(entry=resealed(ENTRIES, 14, after="ended")[14]),  # type: ignore[arg-type]
            ProofError,
            "the proof leads to another root",
        ),
        (  # another entry's proof
            lambda: _tampered(proof=bundle(13).proof),
            ProofError,
            "the proof leads to another root",
        ),
        (  # a flipped bit in a node
            lambda: _tampered(proof=(_flipped(bundle().proof[0]), *bundle().proof[1:])),
            ProofError,
            "the proof leads to another root",
        ),
        (lambda: _tampered(proof=bundle().proof[:-1]), ProofError, "shorter than the tree"),
        (
            lambda: _tampered(proof=(*bundle().proof, bundle().proof[0])),
            ProofError,
            "longer than the tree",
        ),
        (
            lambda: _tampered(checkpoint=Note(HEAD.text()).signed(SignerKey.generate(LOG.name))),
            NoteError,
            "no signature by a known key",
        ),
        (
            lambda: _tampered(checkpoint=Note(HEAD.text()).signed(LOG)),
            WitnessRefused,
            "0 of the 1 witnesses",
        ),
    ],
)
def test_a_tampered_bundle_is_not_proven(make: object, error: type[Exception], said: str) -> None:
    with pytest.raises(error, match=said):
        make().verify(LOG.verifier, [LGA.verifier])  # type: ignore[operator]


def test_a_checkpoint_of_another_log_proves_nothing() -> None:
    other = SignerKey.generate("other.example/log")
    with pytest.raises(ProofError, match=r"is of the log 'spb\.example/log', not of 'other"):
        _tampered(checkpoint=CHECKPOINT.signed(other)).verify(other.verifier)


def test_a_bundle_is_made_only_from_the_log_the_checkpoint_signs() -> None:
    with pytest.raises(ProofError, match="entry 26 is not in the log of 26"):
        Bundle.of(ENTRIES, 26, CHECKPOINT)  # type: ignore[arg-type]
    rewritten = resealed(ENTRIES, 3, after="ended")  # type: ignore[arg-type]
    with pytest.raises(ProofError, match="do not have the checkpoint's root"):
        Bundle.of(rewritten, 14, CHECKPOINT)


def test_a_bundle_is_made_only_under_a_checkpoint_its_log_signed() -> None:
    witnessed_only = Note(
        CHECKPOINT.text, tuple(s for s in CHECKPOINT.signatures if s.name != LOG.name)
    )
    assert [s.name for s in witnessed_only.signatures] == [LGA.name]
    with pytest.raises(ProofError, match=r"bears no signature by its log, spb\.example/log"):
        Bundle.of(ENTRIES, 3, witnessed_only)  # type: ignore[arg-type]


def test_a_bundle_is_made_only_of_entry_records() -> None:
    @attrs.frozen
    class Copied(Entry):
        """An entry's fields in another class: its hashes and tree are the log's own."""

    copies = [Copied(*attrs.astuple(e, recurse=False)) for e in ENTRIES]  # type: ignore[arg-type]
    with pytest.raises(InvalidRecord, match=r"Bundle\.log must be a log of Entry records"):
        Bundle.of(copies, 3, CHECKPOINT)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: "[", "(text)"),
        (lambda d: "[1]", "(text)"),
        (lambda d: json.dumps({**d, "format": "other/1"}), "format"),
        (lambda d: json.dumps({**d, "extra": 1}), "(members)"),
        (lambda d: json.dumps({**d, "entry": "{"}), "entry"),
        (lambda d: json.dumps({**d, "proof": "abc"}), "proof"),
        (lambda d: json.dumps({**d, "proof": ["not base64!"]}), "proof"),
        (lambda d: json.dumps({**d, "proof": [base64.b64encode(b"short").decode()]}), "proof"),
        (lambda d: json.dumps({**d, "checkpoint": 5}), "checkpoint"),
    ],
)
def test_a_text_that_is_not_a_bundle_names_the_member(change: object, field: str) -> None:
    data = json.loads(bundle().to_json())
    with pytest.raises(InvalidRecord) as caught:
        Bundle.from_json(change(data))  # type: ignore[operator]
    assert (caught.value.record, caught.value.field) == ("Bundle", field)


def test_the_command_line_makes_and_checks_a_bundle_with_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"jsonl:///{tmp_path}/spb.jsonl"
    assert main(["demo", "--store", url]) == 0
    assert main(["key", "spb.example/log", str(tmp_path / "log")]) == 0
    capsys.readouterr()
    assert (
        main(["checkpoint", url, "--sign", str(tmp_path / "log.key"), "--date", "2013-03-01"]) == 0
    )
    (tmp_path / "cp.note").write_text(capsys.readouterr().out, encoding="utf-8")
    assert (
        main(["bundle", url, "--decision", "spb-5", "--checkpoint", str(tmp_path / "cp.note")]) == 0
    )
    (tmp_path / "b.json").write_text(capsys.readouterr().out, encoding="utf-8")
    (tmp_path / "spb.jsonl").unlink()  # checked with no access to the log
    check = ["verify-bundle", str(tmp_path / "b.json"), "--key", str(tmp_path / "log.pub")]
    assert main(check) == 0
    said = capsys.readouterr().out
    assert said.startswith("proven: entry 14 (decision 'spb-5' on body 'spb', nominate,")
    assert "in the log spb.example/log of 26 entries" in said
    with pytest.MonkeyPatch.context() as patch:  # without the sign extra: not "not proven"
        patch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
        assert main(check) == 2
        assert "pip install 'govflow[sign]'" in capsys.readouterr().err
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    data["entry"] = data["entry"].replace('"nominate"', '"agree"')
    (tmp_path / "b.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(check) == 1
    assert capsys.readouterr().out.startswith("not proven: entry 14's content does not hash")
    assert (
        main(["bundle", url, "--decision", "nope", "--checkpoint", str(tmp_path / "cp.note")]) == 2
    )


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _loose(text: str) -> str:
    """``text`` (padded base64) with the bits its last character leaves unused set."""
    end = len(text.rstrip("="))
    unused = 0b1111 if len(text) - end == 2 else 0b11
    last = _ALPHABET.index(text[end - 1])
    assert len(text) > end  # padded
    assert last & unused == 0  # an encoder leaves them clear
    loose = text[: end - 1] + _ALPHABET[last | 1] + text[end:]
    assert base64.b64decode(loose, validate=True) == base64.b64decode(text)  # the same bytes
    return loose


def test_base64_other_than_an_encoders_is_refused_wherever_a_file_holds_it() -> None:
    # Each of these decoded to the same bytes, so a bundle altered so still checked.
    data = json.loads(bundle().to_json())
    proof = list(data["proof"])
    proof[0] = _loose(proof[0])
    with pytest.raises(InvalidRecord, match="as an encoder writes them") as caught:
        Bundle.from_json(json.dumps({**data, "proof": proof}))
    assert caught.value.field == "proof"
    text, _, signatures = str(CHECKPOINT).partition("\n\n")
    first, *rest = signatures.split("\n")
    name, signature = first.rsplit(" ", 1)
    with pytest.raises(NoteError, match="signature line 1: the signature is not base64 as"):
        Note.parse(f"{text}\n\n{name} {_loose(signature)}\n" + "\n".join(rest))
    origin, size, root, *extensions = HEAD.text().split("\n")
    with pytest.raises(InvalidRecord, match="32 bytes in base64"):
        TreeHead.parse("\n".join([origin, size, _loose(root), *extensions]))
    # (A key's 33 bytes fill its 44 characters: no bit is left to set.)
    # The texts an encoder writes still read.
    assert Bundle.from_json(bundle().to_json()).proof == bundle().proof
    assert VerifierKey.parse(str(LOG.verifier)) == LOG.verifier
