"""Signed notes, keys and signed tree heads, against Go's published signed-note vectors.

The vectors (``tests/vectors/go-note``) come from the reference implementation of the
format the transparency-dev tools use; see their ``SOURCE.md``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import subprocess
import sys
from hashlib import sha256
from pathlib import Path

import pytest

from govflow.cli import main
from govflow.errors import InvalidRecord, MissingExtra, NoteError
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.merkle import EMPTY_ROOT, Tree
from govflow.log.note import Note, Signature, SignerKey, VerifierKey, key_id, verifier_keys

VECTORS = json.loads(
    (Path(__file__).parent / "vectors" / "go-note" / "vectors.json").read_text(encoding="utf-8")
)
PETER = VerifierKey.parse(VECTORS["peter_verifier"])
ENOCH = VerifierKey.parse(VECTORS["enoch_verifier"])
SIGNER = SignerKey.parse(VECTORS["peter_signer"])
TEXT = VECTORS["text"]
SIGNED = TEXT + "\n" + VECTORS["peter_signature"] + VECTORS["enoch_signature"]


class TestGoVectors:
    def test_the_keys_read_with_their_names_and_ids(self) -> None:
        assert (PETER.name, PETER.id) == ("PeterNeumann", 0xC74F20A3)
        assert (ENOCH.name, ENOCH.id) == ("EnochRoot", 0xAF0CFE78)
        assert SIGNER.verifier == PETER
        assert str(PETER) == VECTORS["peter_verifier"]
        assert str(SIGNER) == VECTORS["peter_signer"]

    def test_signing_the_text_gives_the_published_note(self) -> None:
        assert str(Note(TEXT).signed(SIGNER)) == TEXT + "\n" + VECTORS["peter_signature"]

    def test_signing_again_replaces_the_keys_earlier_signature_and_keeps_others(self) -> None:
        earlier = Note(TEXT).signed(SIGNER).signatures[0]
        other = Signature("EnochRoot", ENOCH.id, b"\x01" * 64)
        signed = Note(TEXT, (earlier, other)).signed(SIGNER)
        assert [s.name for s in signed.signatures] == ["EnochRoot", "PeterNeumann"]
        assert signed.verified_by([PETER]) == ("PeterNeumann",)
        # A line of the key's name and ID that the key did not make is another key's, or
        # forged: it is kept, not erased (unlike Go's note.Sign). Beside the key's own
        # signature it proves nothing either way; alone, it is an altered note.
        forged = Signature("PeterNeumann", PETER.id, b"\x00" * 64)
        kept = Note(TEXT, (forged, other)).signed(SIGNER)
        assert [s.name for s in kept.signatures] == ["PeterNeumann", "EnochRoot", "PeterNeumann"]
        assert kept.verified_by([PETER]) == ("PeterNeumann",)
        with pytest.raises(NoteError, match="does not verify: the note was altered"):
            Note(TEXT, (forged, other)).verified_by([PETER])

    def test_two_keys_whose_names_and_ids_collide_are_two_signers(self) -> None:
        # Two keys of one name whose 32-bit key IDs collide (found by a birthday search
        # of 54,249 keys): one signing after the other erased the first's signature, and
        # verifying took only one of them.
        first, second = (
            SignerKey("witness.example", bytes.fromhex(seed))
            for seed in (
                "b4c65fced29df753d1253a8df5bde714bc9ccda8c43d9163e181b81b12e8b0ee",
                "0606dd183270727deb1d30bb150c1ff81104df54daa455e403d3626f7bbb6380",
            )
        )
        assert first.verifier.id == second.verifier.id
        assert first.verifier.public != second.verifier.public
        both = Note(TEXT).signed(first).signed(second)
        assert len(both.signatures) == 2
        keys = [first.verifier, second.verifier]
        assert both.verifying(keys) == (first.verifier, second.verifier)
        assert both.verifying([second.verifier]) == (second.verifier,)
        assert Note(TEXT).signed(first).verifying(keys) == (first.verifier,)

    def test_a_note_is_verified_by_the_known_keys_and_others_ignored(self) -> None:
        note = Note.parse(SIGNED)
        assert note.text == TEXT
        assert [(s.name, s.id) for s in note.signatures] == [
            ("PeterNeumann", PETER.id),
            ("EnochRoot", ENOCH.id),
        ]
        assert note.verified_by([PETER]) == ("PeterNeumann",)
        assert note.verified_by([ENOCH]) == ("EnochRoot",)
        assert note.verified_by([ENOCH, PETER]) == ("PeterNeumann", "EnochRoot")
        assert str(note) == SIGNED

    def test_a_note_with_no_signature_by_a_known_key_is_refused(self) -> None:
        with pytest.raises(NoteError, match="no signature by a known key"):
            Note.parse(SIGNED).verified_by([])
        stranger = SignerKey.generate("Stranger").verifier
        with pytest.raises(NoteError, match=r"known: Stranger\+"):
            Note.parse(SIGNED).verified_by([stranger])

    def test_an_altered_signature_or_text_does_not_verify(self) -> None:
        line = VECTORS["peter_signature"]
        altered = TEXT + "\n" + line[:60] + "ABCD" + line[60:]
        with pytest.raises(NoteError, match=r"PeterNeumann\+c74f20a3 does not verify"):
            Note.parse(altered).verified_by([PETER])
        reworded = SIGNED.replace("problem,", "problem;", 1)
        with pytest.raises(NoteError, match="altered after it was signed"):
            Note.parse(reworded).verified_by([PETER])

    @pytest.mark.parametrize(
        "data",
        [
            TEXT,
            TEXT + "\n",
            TEXT + "\n" + VECTORS["peter_signature"][:-1],
            "\x01" + TEXT + "\n" + VECTORS["peter_signature"],
            TEXT + "\n" + "\N{EM DASH} Bad Name " + VECTORS["peter_signature"].split()[-1] + "\n",
            TEXT + "\n" + VECTORS["peter_signature"] + "Unexpected line.\n",
            TEXT + "\n" + VECTORS["peter_signature"] * 101,
        ],
    )
    def test_a_malformed_note_is_refused(self, data: str) -> None:
        with pytest.raises(NoteError, match="malformed note"):
            Note.parse(data)

    @pytest.mark.parametrize(
        ("data", "said"),
        [
            (5, "expected a text; got int"),
            (
                TEXT + "\n\N{EM DASH} PeterNeumann !!!!\n",
                "signature line 1: the signature is not base64 as written by an encoder",
            ),
            (
                TEXT + "\n\N{EM DASH} PeterNeumann AAAA\n",
                "signature line 1: the signature is too short",
            ),
        ],
    )
    def test_a_malformed_note_says_what_is_wrong(self, data: object, said: str) -> None:
        with pytest.raises(NoteError, match=f"^malformed note: {re.escape(said)}$"):
            Note.parse(data)  # type: ignore[arg-type]

    @pytest.mark.parametrize("text", ["no newline at the end", "a bell \x07\n"])
    def test_a_text_a_signed_note_cannot_hold_is_not_signed(self, text: str) -> None:
        with pytest.raises(NoteError, match="must end in a newline and hold no control character"):
            Note(text).signed(SIGNER)

    def test_a_signature_given_twice_names_its_key_once(self) -> None:
        once = Note.parse(SIGNED)
        twice = Note(once.text, (*once.signatures, *once.signatures))
        assert twice.verified_by([PETER, ENOCH]) == ("PeterNeumann", "EnochRoot")

    def test_verifier_keys_reads_each_text_as_a_key(self) -> None:
        texts = [VECTORS["peter_verifier"], VECTORS["enoch_verifier"]]
        assert verifier_keys(texts) == (PETER, ENOCH)
        with pytest.raises(NoteError):
            verifier_keys([*texts, "not a key"])

    def test_the_published_bad_keys_are_refused(self) -> None:
        for text in VECTORS["bad_verifiers"]:
            with pytest.raises(NoteError):
                VerifierKey.parse(text)

    @pytest.mark.parametrize("kind", ["verifier", "signer"])
    def test_every_cut_or_changed_character_of_a_key_is_refused(self, kind: str) -> None:
        text = VECTORS[f"peter_{kind}"]
        parse = VerifierKey.parse if kind == "verifier" else SignerKey.parse
        cuts = [text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)]
        changed = [text[:i] + chr(ord(text[i]) + 1) + text[i + 1 :] for i in range(len(text))]
        refused = 0
        for mangled in [c for c in cuts if c != text] + changed:
            with pytest.raises(NoteError):
                parse(mangled)
            refused += 1
        assert refused == len(cuts) - 1 + len(text)


class TestKeys:
    def test_a_key_id_is_the_first_four_bytes_of_the_named_keys_hash(self) -> None:
        digest = sha256(b"PeterNeumann\n\x01" + PETER.public).digest()
        assert key_id("PeterNeumann", PETER.public) == int.from_bytes(digest[:4], "big")

    def test_a_new_key_reads_back_and_its_repr_keeps_the_secret(self) -> None:
        key = SignerKey.generate("spb.example/log")
        assert SignerKey.parse(str(key)) == key
        assert VerifierKey.parse(str(key.verifier)) == key.verifier
        assert repr(key) == "<SignerKey 'spb.example/log'>"
        assert base64.b64encode(key.seed).decode() not in repr(key)

    @pytest.mark.parametrize("name", ["", "a b", "a+b", "tab\there", "lga\ud800", "\udcff\udcfe"])
    def test_a_name_with_a_space_a_plus_or_a_lone_surrogate_is_refused(self, name: str) -> None:
        with pytest.raises(NoteError, match="is not a key name"):
            SignerKey.generate(name)
        with pytest.raises(NoteError, match="is not a key name"):
            SignerKey(name, bytes(32))
        verifier = str(SignerKey.generate("lga").verifier).replace("lga", name or "+", 1)
        with pytest.raises(NoteError):
            VerifierKey.parse(verifier)

    def test_a_key_name_that_is_no_text_is_one_line_from_the_command_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # A name given as bytes that are not UTF-8 arrives as lone surrogates.
        assert main(["key", "\udcff\udcfe", str(tmp_path / "k")]) == 2
        assert "is not a key name" in capsys.readouterr().err
        assert not (tmp_path / "k.key").exists()

    def test_without_cryptography_the_error_names_the_extra(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
        with pytest.raises(MissingExtra, match=r"pip install 'govflow\[sign\]'"):
            SignerKey.parse(VECTORS["peter_signer"])
        with pytest.raises(MissingExtra, match=r"pip install 'govflow\[sign\]'"):
            SignerKey("peter", bytes(32))
        with pytest.raises(MissingExtra, match=r"pip install 'govflow\[sign\]'"):
            Note.parse(SIGNED).verified_by([PETER])
        assert VerifierKey.parse(VECTORS["peter_verifier"]) == PETER  # reading needs nothing

    def test_importing_govflow_does_not_import_cryptography(self) -> None:
        code = "import sys, govflow, govflow.log; print('cryptography' in sys.modules)"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "False"


HEAD = TreeHead("spb.example/log", 2, "ab" * 32, "cd" * 32, dt.date(2013, 3, 1))


class TestTreeHead:
    def test_its_text_is_a_checkpoint_body_with_govflows_extension_lines(self) -> None:
        root = base64.b64encode(bytes.fromhex("ab" * 32)).decode()
        assert HEAD.text() == (
            f"spb.example/log\n2\n{root}\ngovflow-head {'cd' * 32}\ngovflow-date 2013-03-01\n"
        )
        assert TreeHead.parse(HEAD.text()) == HEAD
        assert HEAD.checkpoint == Checkpoint(2, "cd" * 32)

    def test_its_root_is_the_merkle_root_of_the_entries(self) -> None:
        hashes = [sha256(str(n).encode()).hexdigest() for n in range(5)]
        head = TreeHead.of(hashes, hashes[-1], "o", dt.date(2013, 1, 1))
        assert head.root == Tree(bytes.fromhex(h) for h in hashes).root().hex()
        assert head.root_of([*hashes, "00" * 32]) == head.root
        assert TreeHead.of([], "ee" * 32, "o", dt.date(2013, 1, 1)).root == EMPTY_ROOT.hex()

    @pytest.mark.parametrize(
        ("text", "field"),
        [
            ("one line\n", "(text)"),
            (HEAD.text().replace("\n2\n", "\n02\n"), "size"),
            (HEAD.text().replace("\n2\n", "\n-2\n"), "size"),
            (HEAD.text().replace("=\n", "\n", 1), "root"),
            (HEAD.text().replace("govflow-head", "head"), "(extensions)"),
            (HEAD.text().replace("2013-03-01", "2013-02-30"), "date"),
            (HEAD.text().replace("spb.example/log", "spb example"), "origin"),
            (HEAD.text().replace("cd" * 32, "CD" * 32), "head"),
        ],
    )
    def test_a_text_that_is_not_one_names_its_line(self, text: str, field: str) -> None:
        with pytest.raises(InvalidRecord) as caught:
            TreeHead.parse(text)
        assert (caught.value.record, caught.value.field) == ("TreeHead", field)


class TestCommandLine:
    @pytest.fixture
    def folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
        """A demo log ``spb.jsonl``, a key pair ``lga``, and ``cp.note``, its signed tree head."""
        assert main(["demo", "--store", self.url(tmp_path)]) == 0
        assert main(["key", "lga.example/spb", str(tmp_path / "lga")]) == 0
        capsys.readouterr()
        sign = ["--sign", str(tmp_path / "lga.key"), "--date", "2013-03-01"]
        assert main(["checkpoint", self.url(tmp_path), *sign]) == 0
        (tmp_path / "cp.note").write_text(capsys.readouterr().out, encoding="utf-8")
        return tmp_path

    @staticmethod
    def url(folder: Path, name: str = "spb.jsonl") -> str:
        return f"jsonl:///{folder / name}"  # an absolute path: four slashes

    def verify(self, folder: Path, *args: str) -> int:
        return main(["verify", self.url(folder), "--checkpoint", str(folder / "cp.note"), *args])

    def test_a_key_pair_is_written_once_with_the_secret_kept_private(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        public = (folder / "lga.pub").read_text(encoding="utf-8")
        assert (
            VerifierKey.parse(public) == SignerKey.parse((folder / "lga.key").read_text()).verifier
        )
        assert (folder / "lga.key").stat().st_mode & 0o777 == 0o600
        assert main(["key", "lga.example/spb", str(folder / "lga")]) == 2
        assert "exists already" in capsys.readouterr().err
        assert (folder / "lga.pub").read_text(encoding="utf-8") == public

    def test_the_signed_tree_head_covers_the_whole_log(self, folder: Path) -> None:
        note = Note.parse((folder / "cp.note").read_text(encoding="utf-8"))
        head = TreeHead.parse(note.text)
        lines = (folder / "spb.jsonl").read_text(encoding="utf-8").splitlines()
        hashes = [json.loads(line)["hash"] for line in lines[1:]]  # the first is the header
        assert (head.origin, head.size, head.date) == ("lga.example/spb", 26, dt.date(2013, 3, 1))
        assert head.head == hashes[-1]
        assert head.root == Tree(bytes.fromhex(h) for h in hashes).root().hex()
        assert note.verified_by([VerifierKey.parse((folder / "lga.pub").read_text())])

    def test_verify_checks_the_signature_then_the_log(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert self.verify(folder, "--key", str(folder / "lga.pub")) == 0
        assert capsys.readouterr().out.startswith("intact: 26 entries")
        lines = (folder / "spb.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / "spb.jsonl").write_text("".join(lines[:-2]), encoding="utf-8")
        assert self.verify(folder, "--key", str(folder / "lga.pub")) == 1
        assert capsys.readouterr().out.startswith("entry 24: truncated:")

    def test_an_altered_checkpoint_is_refused(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        note = folder / "cp.note"
        note.write_text(note.read_text().replace("2013-03-01", "2013-03-02"), encoding="utf-8")
        assert self.verify(folder, "--key", str(folder / "lga.pub")) == 2
        assert "was altered after it was signed" in capsys.readouterr().err

    @pytest.mark.parametrize(
        ("args", "said"),
        [
            ([], "holds a signed checkpoint; give the signer's key with --key"),
            (["--key", "other.pub"], "the note has no signature by a known key"),
        ],
    )
    def test_a_signed_checkpoint_needs_its_signers_key(
        self, folder: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str
    ) -> None:
        assert main(["key", "other.example/x", str(folder / "other")]) == 0
        given = [str(folder / a) if a.endswith(".pub") else a for a in args]
        assert self.verify(folder, *given) == 2
        assert said in capsys.readouterr().err

    def test_a_key_without_a_checkpoint_or_with_a_plain_one_is_refused(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        key = ["--key", str(folder / "lga.pub")]
        assert main(["verify", self.url(folder), *key]) == 2
        assert "give it with --checkpoint" in capsys.readouterr().err
        assert main(["checkpoint", self.url(folder)]) == 0
        (folder / "plain.json").write_text(capsys.readouterr().out, encoding="utf-8")
        plain = ["--checkpoint", str(folder / "plain.json")]
        assert main(["verify", self.url(folder), *plain, *key]) == 2
        assert "--key is for signed ones" in capsys.readouterr().err

    def test_a_log_that_does_not_verify_is_not_signed(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        log = folder / "spb.jsonl"
        log.write_text(log.read_text().replace("Leadership Board", "Leadership board", 1))
        sign = ["--sign", str(folder / "lga.key")]
        assert main(["checkpoint", self.url(folder), *sign]) == 2
        captured = capsys.readouterr()
        assert "does not verify, so it is not signed" in captured.err
        assert captured.out == ""
        assert main(["checkpoint", self.url(folder)]) == 2  # nor given a plain checkpoint
        captured = capsys.readouterr()
        assert "does not verify, so no checkpoint is given: entry " in captured.err
        assert captured.out == ""


def test_a_blank_line_after_the_signatures_is_named_as_such() -> None:
    # An editor's last newline: it said "no signature line follows the blank line".
    with pytest.raises(NoteError, match="it ends in a blank line after its signatures"):
        Note.parse(SIGNED + "\n")
    with pytest.raises(NoteError, match="no signature line follows the blank line"):
        Note.parse(TEXT + "\n")


def test_a_note_that_lost_its_last_newline_says_so() -> None:
    """A note pasted from an email often loses it; the message gave no hint."""
    signed = str(Note("log.example/x\n1\nroot\n").signed(SignerKey.generate("log.example/x")))
    Note.parse(signed)
    with pytest.raises(NoteError, match="its last line does not end in a newline"):
        Note.parse(signed.rstrip("\n"))
    with pytest.raises(NoteError, match="expected a text, a blank line and signature lines"):
        Note.parse("no blank line\n")
