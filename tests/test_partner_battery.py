"""What a battery of hostile inputs to the partners' commands found, each fixed.

A state loaded with something that is not a key, a note the log's key signed that is
not a checkpoint, key names that print as another's, a key written through a link, a
file that waits for ever or is not there, ``--json`` beside ``--sign``, a header with a
member no header has, and a text given as a tree's nodes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from govflow import Registry
from govflow.errors import InvalidRecord, NotALog, ProofError
from govflow.log.bundle import Bundle
from govflow.log.merkle import Tree
from govflow.log.note import Note, NoteError, SignerKey, VerifierKey
from govflow.log.witness import Seen
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, open_store
from govflow.testing.records import quiet
from tests.stores import POSTGRES_URL, Handle, handle
from tests.test_partner_edges import Partners, partners  # noqa: F401 - the fixture
from tests.test_witness import _write_log


@pytest.mark.parametrize("key", ["notakey", 5])
def test_a_state_loaded_with_what_is_not_a_key_is_refused(key: object) -> None:
    # It raised AttributeError while naming "another witness's state"; with "{}" the
    # bad key passed unseen.
    state = Seen.dump({}, SignerKey.generate("lga.example/w").verifier)
    for text in (state, "{}"):
        with pytest.raises(InvalidRecord, match=r"witness state\.key must be None or a Verifier"):
            Seen.load(text, key)  # type: ignore[arg-type]


def _bundle_of_a_note(partners: Partners, tmp_path: Path) -> Path:  # noqa: F811 - given it
    """A bundle whose checkpoint is a note the log's key signed, but not a checkpoint."""
    url = _write_log(tmp_path / "log.jsonl")
    note = partners.sign(url, "c.note")
    status, out, _ = partners.run("bundle", url, "--decision", "spb-note-2", "--checkpoint", note)
    assert status == 0
    data = json.loads(out)
    signer = SignerKey.parse((tmp_path / "log.key").read_text(encoding="utf-8").strip())
    data["checkpoint"] = str(Note("hello\n").signed(signer))
    path = tmp_path / "other.bundle"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_bundle_whose_signed_note_is_no_checkpoint_is_not_proven(
    partners: Partners,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    # It exited 2, "create the TreeHead again"; with a witness key, 1, "not proven".
    path = _bundle_of_a_note(partners, tmp_path)
    log_key = VerifierKey.parse((tmp_path / "log.pub").read_text(encoding="utf-8").strip())
    with pytest.raises(ProofError, match=r"^the note is not a checkpoint: ") as refused:
        Bundle.from_json(path.read_text(encoding="utf-8")).verify(log_key)
    assert str(refused.value).endswith("but 'hello\\n' was given"), refused.value  # no advice
    for more in ([], ["--witness", tmp_path / "lga.pub"]):
        status, out, err = partners.run("verify-bundle", path, "--key", tmp_path / "log.pub", *more)
        assert (status, err) == (1, ""), err
        assert out.startswith("not proven: the note is not a checkpoint: "), out
        assert "again" not in out, out  # no "create the TreeHead again"


@pytest.mark.parametrize("mark", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u202e"])
def test_a_key_name_that_does_not_print_is_refused(mark: str) -> None:
    # A zero-width space made "lga.example/spb\u200b", which printed as the real log's name.
    with pytest.raises(NoteError, match=r"holds characters that do not print"):
        SignerKey.generate(f"lga.example/spb{mark}")
    real = SignerKey.generate("lga.example/spb").verifier
    name, rest = str(real).split("+", 1)
    with pytest.raises(NoteError, match=r"holds characters that do not print"):
        VerifierKey.parse(f"{name}{mark}+{rest}")


def test_a_key_name_of_characters_an_older_python_does_not_know_is_taken() -> None:
    # str.isprintable refused U+1FAE8 (Unicode 15) on Python 3.11, though 3.12 made it.
    signer = SignerKey.generate("lga.example/\U0001fae8")
    assert VerifierKey.parse(str(signer.verifier)) == signer.verifier


def test_a_note_may_carry_a_signature_of_any_key_name() -> None:
    # Signature lines of keys one does not hold are passed over, whatever their names.
    signer = SignerKey.generate("lga.example/spb")
    note = Note("a checkpoint, say\n").signed(signer)
    line = str(note).splitlines()[-1]
    other = line.replace("lga.example/spb", "other\u200b", 1)
    parsed = Note.parse(f"{note}{other}\n")
    assert parsed.verified_by([signer.verifier]) == ("lga.example/spb",)


def test_a_log_signed_note_that_is_no_checkpoint_does_not_verify(
    partners: Partners,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    # It said "correct the field and create the TreeHead again": the user makes no TreeHead.
    url = _write_log(tmp_path / "log.jsonl")
    signer = SignerKey.parse((tmp_path / "log.key").read_text(encoding="utf-8").strip())
    note = tmp_path / "n.note"
    note.write_text(str(Note("hello\n").signed(signer)), encoding="utf-8")
    pub = tmp_path / "log.pub"
    status, out, err = partners.run("verify", url, "--checkpoint", note, "--key", pub)
    assert (status, out) == (2, "")
    assert f"the checkpoint {note} does not verify: TreeHead's text must be" in err, err
    assert "again" not in err, err


def test_a_key_is_not_written_through_a_link(
    partners: Partners,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    # The .pub went through a link to nothing, making a file outside the prefix.
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "p.pub").symlink_to(tmp_path / "target.txt")
    status, out, err = partners.run("key", "a.example/b", keys / "p")
    assert (status, out) == (2, "")
    assert f"{keys / 'p.pub'} exists already; a key is never overwritten" in err
    assert not (tmp_path / "target.txt").exists()
    assert not (keys / "p.key").exists()


def test_files_that_are_not_there_or_lead_nowhere_say_so(
    partners: Partners,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    pub = tmp_path / "log.pub"
    for path, said in (
        (tmp_path / "none.json", "does not exist"),  # "is not a file"
        (loop, "is a link to nothing (or a loop of links)"),
        (tmp_path, "is not a file"),
    ):
        status, out, err = partners.run("verify-bundle", path, "--key", pub)
        assert (status, out) == (2, "")
        assert f"the bundle {path} {said}" in err, err


def test_a_signed_checkpoint_is_not_printed_as_json(
    partners: Partners,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    # --json was passed over, and a note printed.
    url = _write_log(tmp_path / "log.jsonl")
    status, out, err = partners.run("checkpoint", url, "--sign", tmp_path / "log.key", "--json")
    assert (status, out) == (2, "")
    assert "a signed checkpoint (--sign) is a note" in err


def test_a_header_with_a_member_no_header_has_is_not_a_log(tmp_path: Path) -> None:
    # The header is not hashed into the chain: an added member verified as intact.
    url = _write_log(tmp_path / "log.jsonl")
    path = Path(url.removeprefix("jsonl:///"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    path.write_text(json.dumps({**header, "x": 1}) + "\n" + "".join(lines[1:]), encoding="utf-8")
    said = r"its header holds members this release's headers do not: 'x'"
    with pytest.raises(NotALog, match=said):
        JsonlStore(path)


@pytest.mark.parametrize("nodes", ["abc", b"abc", bytearray(b"abc"), memoryview(b"abc")])
def test_a_text_is_not_a_trees_nodes(nodes: object) -> None:
    # Tree.over("abc", 1).root() gave 'a'.
    with pytest.raises(ProofError, match=r"come as a sequence of bytes"):
        Tree.over(nodes, 1)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    yield from handle(request.param, tmp_path)


def test_a_database_whose_meta_holds_another_row_is_not_a_log(database: Handle) -> None:
    # An added govflow_meta row verified as intact: nothing of that table is hashed.
    lifecycle = partnership_lifecycle()
    with open_store(database.url, lifecycle.fingerprint) as log:
        Registry(lifecycle, log=log, logger=quiet()).apply(spb.decisions()[0])
    if database.kind == "sqlite":
        db = sqlite3.connect(database.tmp / "log.db", isolation_level=None)
        db.execute("INSERT INTO govflow_meta VALUES ('x', 'y')")
        db.close()
    else:
        import psycopg  # noqa: PLC0415
        from psycopg import sql  # noqa: PLC0415

        assert POSTGRES_URL is not None
        with psycopg.connect(POSTGRES_URL) as pg:
            meta = sql.Identifier(database.schema, "govflow_meta")  # type: ignore[attr-defined]
            pg.execute(sql.SQL("INSERT INTO {} VALUES ('x', 'y')").format(meta))
    for read_only in (True, False):
        with pytest.raises(NotALog, match=r"its govflow_meta holds rows this release's logs do "):
            open_store(database.url, read_only=read_only)


@pytest.mark.parametrize("size", [32, 63, 65, 1000])
def test_a_signature_of_the_wrong_size_is_named_so(size: int) -> None:
    # It read "the note was altered after it was signed".
    import base64  # noqa: PLC0415

    signer = SignerKey.generate("lga.example/spb")
    key = signer.verifier
    raw = base64.b64encode(key.id.to_bytes(4, "big") + b"x" * size).decode()
    note = Note.parse(f"a checkpoint, say\n\n\N{EM DASH} lga.example/spb {raw}\n")
    with pytest.raises(NoteError, match=rf"its signature is {size} bytes, not an Ed25519 s"):
        note.verified_by([key])
    right = str(Note("a checkpoint, say\n").signed(signer)).replace("say", "so")
    with pytest.raises(NoteError, match=r"the note was altered after it was signed"):
        Note.parse(right).verified_by([key])


def test_a_log_short_of_its_checkpoint_by_a_torn_line_says_it_is_torn(tmp_path: Path) -> None:
    # It was told only as "truncated": the hint that repair mends a torn line was lost.
    url = _write_log(tmp_path / "log.jsonl")
    path = Path(url.removeprefix("jsonl:///"))
    with JsonlStore(path) as log:
        kept = log.checkpoint()
    whole = path.read_bytes()
    last = whole.rstrip(b"\n").rfind(b"\n") + 1
    path.write_bytes(whole[: last + 20])  # the last entry's line cut short by a crash
    with JsonlStore(path) as log:
        found = log.verify(kept)
    assert found.problem is not None
    assert found.problem.kind == "truncated", found.problem
    assert "torn" in found.problem.message, found.problem.message
    assert "repair" in found.problem.message, found.problem.message
