"""Verifying a log against a signed, witnessed checkpoint from Python, as ``govflow verify`` does.

``verified_head`` checks a signed checkpoint's signatures and gives its tree head; any
log's ``verify`` takes the tree head beside plain checkpoints, and holds the log to its
count, its head and its Merkle root. A store's ``verify`` also checks the Merkle nodes
it keeps and a torn last line, as the command does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from govflow import AuditLog, Registry, Source
from govflow.cli import main
from govflow.errors import InvalidRecord, NoteError, WitnessRefused
from govflow.log import verify
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.merkle import Tree
from govflow.log.note import Note, SignerKey
from govflow.log.witness import cosign, verified_head
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, SqliteStore, open_store

from .helpers import resealed
from .stores import reference_with_notes

LIFECYCLE = partnership_lifecycle(authorities=spb.authorities())
LOG = SignerKey.generate("spb.example/log")
LGA = SignerKey.generate("lga.example/witness")
APCC = SignerKey.generate("apcc.example/witness")
DAY = dt.date(2013, 3, 1)


def reference(log: AuditLog | JsonlStore | SqliteStore | None = None) -> Registry:
    """The reference case applied to ``log`` (a new one in memory by default)."""
    registry = Registry(LIFECYCLE, log=log if log is not None else AuditLog(LIFECYCLE.fingerprint))
    for decision in spb.decisions():
        registry.apply(decision)
    return registry


def signed(registry: Registry, size: int | None = None) -> str:
    """The log's signed checkpoint (of its first ``size`` entries), co-signed by both."""
    hashes = [entry.hash for entry in registry.log][:size]
    head = TreeHead.of(hashes, hashes[-1], LOG.name, DAY)
    note = Note(head.text()).signed(LOG)
    for witness in (LGA, APCC):
        note = cosign(note, LOG.verifier, witness, None, [])[0]
    return str(note)


class TestVerifiedHead:
    def test_a_witnessed_checkpoint_gives_its_tree_head_and_its_witnesses(self) -> None:
        registry = reference()
        head, witnesses = verified_head(
            signed(registry), LOG.verifier, [LGA.verifier, APCC.verifier]
        )
        assert (head.size, head.head) == (len(registry.log), registry.checkpoint().head)
        assert witnesses == ("lga.example/witness", "apcc.example/witness")
        assert verified_head(Note.parse(signed(registry)), [LGA.verifier, LOG.verifier])[1] == ()
        # Keys and witnesses given as iterators, each read once.
        once = verified_head(
            signed(registry), iter([LOG.verifier]), (k for k in (LGA.verifier, APCC.verifier))
        )
        assert once == (head, witnesses)

    def test_a_quorum_of_the_witnesses_is_enough_and_fewer_are_refused(self) -> None:
        registry = reference()
        hashes = [entry.hash for entry in registry.log]
        once = cosign(
            Note(TreeHead.of(hashes, hashes[-1], LOG.name, DAY).text()).signed(LOG),
            LOG.verifier,
            LGA,
            None,
            [],
        )[0]
        both = [LGA.verifier, APCC.verifier]
        assert verified_head(once, LOG.verifier, both, quorum=1)[1] == ("lga.example/witness",)
        with pytest.raises(WitnessRefused, match="1 of the 2 witnesses signed"):
            verified_head(once, LOG.verifier, both)
        with pytest.raises(WitnessRefused, match="a quorum counts witness keys"):
            verified_head(once, LOG.verifier, quorum=1)

    def test_a_witness_key_given_as_the_logs_is_refused_naming_the_log(self) -> None:
        with pytest.raises(NoteError, match=r"is of the log 'spb\.example/log', and the keys"):
            verified_head(signed(reference()), LGA.verifier)

    def test_an_altered_checkpoint_or_another_keys_is_refused(self) -> None:
        text = signed(reference())
        altered = text.replace("\n26\n", "\n25\n", 1)
        assert altered != text
        with pytest.raises(NoteError, match="does not verify"):
            verified_head(altered, LOG.verifier)
        with pytest.raises(NoteError, match="no signature by a known key"):
            verified_head(text, SignerKey.generate("spb.example/log").verifier)
        with pytest.raises(WitnessRefused, match="must be a Note or its text"):
            verified_head(b"bytes", LOG.verifier)  # type: ignore[arg-type]
        with pytest.raises(NoteError, match="must be VerifierKeys"):
            verified_head(text, "spb.example/log+1234+key")  # type: ignore[arg-type]


class TestVerifyAgainstATreeHead:
    def test_an_intact_log_verifies_against_its_tree_head_in_memory_and_in_a_registry(
        self,
    ) -> None:
        registry = reference()
        head, _ = verified_head(signed(registry), LOG.verifier)
        assert registry.log.verify(head).ok
        assert registry.verify(head).ok
        assert registry.log.verify([registry.checkpoint(), head]).ok
        earlier, _ = verified_head(signed(registry, 10), LOG.verifier)
        assert registry.log.verify(earlier).ok  # a prefix's head: the log grew since

    def test_a_tree_head_whose_root_is_not_the_logs_is_named(self) -> None:
        registry = reference()
        head, _ = verified_head(signed(registry, 10), LOG.verifier)
        wrong = attrs.evolve(head, root=Tree.of(["00" * 32] * 10).root().hex())
        found = registry.log.verify(wrong)
        assert found.problem is not None
        assert (found.count, found.problem.seq, found.problem.kind) == (26, 9, "checkpoint")
        assert "is not the root of the log's first 10 entries" in found.problem.message
        empty = AuditLog(LIFECYCLE.fingerprint)  # a tree head of no entries, a root of some
        nothing = empty.verify(attrs.evolve(head, size=0, head=empty.head)).problem
        assert nothing is not None
        assert (nothing.seq, nothing.kind) == (0, "checkpoint")

    def test_a_log_cut_short_or_rewritten_before_its_tree_head_is_named(self) -> None:
        registry = reference()
        head, _ = verified_head(signed(registry), LOG.verifier)
        entries = list(registry.log)
        cut = verify(entries[:20], registry.log.fingerprint, head)
        assert (cut.problem and cut.problem.kind, cut.count) == ("truncated", 20)
        fork = Checkpoint(head.size, "ab" * 32)
        forked = verify(entries, registry.log.fingerprint, [head, fork])
        assert forked.problem is not None
        assert forked.problem.kind == "rewritten"

    def test_a_tree_head_needs_every_entry(self) -> None:
        registry = reference()
        head, _ = verified_head(signed(registry), LOG.verifier)
        entries = list(registry.log)
        after = (10, entries[9].hash)
        with pytest.raises(InvalidRecord, match="no tree head"):
            verify(entries[10:], registry.log.fingerprint, head, after=after)
        assert verify(entries[10:], registry.log.fingerprint, after=after).ok


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
class TestAStoreVerifiedWhole:
    def test_a_store_verifies_against_a_witnessed_checkpoint(
        self, tmp_path: Path, kind: str
    ) -> None:
        url = f"{kind}:///{tmp_path / ('spb.' + kind)}"
        with open_store(url, LIFECYCLE.fingerprint) as store:
            text = signed(reference(store))
        with open_store(url) as store:
            head, witnesses = verified_head(text, LOG.verifier, [LGA.verifier, APCC.verifier])
            assert store.verify(head).ok
            assert store.verify().ok
            assert len(witnesses) == 2

    def test_altered_merkle_nodes_are_named_with_what_makes_them_again(
        self, tmp_path: Path, kind: str
    ) -> None:
        url = f"{kind}:///{tmp_path / ('spb.' + kind)}"
        notes = Source("notes")  # past a batch of 64 leaves, so that nodes are kept
        reference_with_notes(url, ((f"n{n}", notes, f"note {n}") for n in range(70)))
        with open_store(url) as store:
            store.tree()
            assert next(store.kept_nodes(), None) is not None
        _alter_first_node(tmp_path, kind)
        with open_store(url) as store:
            found = store.verify()
            assert found.problem is not None
            assert (found.problem.kind, found.problem.seq) == ("tree", 0)
            assert "call the store's tree(rebuild=True) to have them made again" in str(found)
            store.tree(rebuild=True)
            assert store.verify().ok


def _alter_first_node(folder: Path, kind: str) -> None:
    """Flip a bit of the first Merkle node the store keeps."""
    if kind == "jsonl":
        path = folder / "spb.jsonl.tree"
        data = bytearray(path.read_bytes())
        data[0] ^= 1
        path.write_bytes(bytes(data))
        return
    import sqlite3  # noqa: PLC0415

    connection = sqlite3.connect(folder / "spb.sqlite")
    with connection:
        (node,) = connection.execute("SELECT hash FROM govflow_tree WHERE pos = 0").fetchone()
        flipped = bytes([node[0] ^ 1, *node[1:]])
        connection.execute("UPDATE govflow_tree SET hash = ? WHERE pos = 0", (flipped,))
    connection.close()


def test_a_chain_rewritten_after_its_nodes_were_kept_is_not_blamed_on_the_nodes(
    tmp_path: Path,
) -> None:
    """Entries rewritten, hashes recomputed, the honest nodes left: both causes are told.

    Against a signed checkpoint the rewrite is named, with the entry where the kept
    nodes part from the entries: the first entry rewritten.
    """
    url = f"jsonl:///{tmp_path / 'spb.jsonl'}"
    notes = Source("notes")
    reference_with_notes(url, ((f"n{n}", notes, f"note {n}") for n in range(50)))
    with open_store(url) as store:
        store.tree()
        entries = list(store)
        hashes = [entry.hash for entry in entries]
    head = TreeHead.of(hashes, hashes[-1], LOG.name, DAY)
    kept, _ = verified_head(str(Note(head.text()).signed(LOG)), LOG.verifier)
    changed = attrs.evolve(entries[30].decision, reasons=("rewritten",))
    forged = resealed(entries, 30, decision=changed)
    nodes = (tmp_path / "spb.jsonl.tree").read_bytes()  # kept before the rewrite
    (tmp_path / "spb.jsonl").unlink()  # the same file, with the rewritten entries
    with JsonlStore(tmp_path / "spb.jsonl", LIFECYCLE.fingerprint) as store:
        for entry in forged:
            store.append(entry)
    (tmp_path / "spb.jsonl.tree").write_bytes(nodes)
    with open_store(url) as store:
        alone = store.verify().problem
        against = store.verify(kept).problem
    assert alone is not None
    assert (alone.kind, alone.seq) == ("tree", 30)
    assert "or the entries were rewritten, their hashes recomputed" in alone.message
    assert "If the entries hold, call the store's tree(rebuild=True)" in alone.message
    assert against is not None
    assert against.kind == "rewritten"
    assert against.message.endswith("part from its entries at entry 30")
    assert against.seq == 30  # where the nodes part, not the first entry of the range
    assert "rewritten from one of entries 0 to " in against.message


def test_a_tree_head_whose_root_is_the_logs_and_whose_head_is_not_is_blamed_itself() -> None:
    """Its root vouches for the entries: its head line, not the log, is what is wrong."""
    registry = reference()
    hashes = [entry.hash for entry in registry.log]
    honest = TreeHead.of(hashes, hashes[-1], LOG.name, DAY)
    wrong = attrs.evolve(honest, head=hashes[-2])  # the head line of the entry before
    kept, _ = verified_head(str(Note(wrong.text()).signed(LOG)), LOG.verifier)
    problem = registry.verify(kept).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == ("checkpoint", len(hashes) - 1)
    assert f"the checkpoint's Merkle root is the root of the log's first {len(hashes)} " in (
        problem.message
    )
    assert "the checkpoint contradicts itself" in problem.message
    # A root that is not the entries' still says the chain was rewritten.
    other = TreeHead.of([*hashes[:-1], "ab" * 32], "ab" * 32, LOG.name, DAY)
    kept, _ = verified_head(str(Note(other.text()).signed(LOG)), LOG.verifier)
    problem = registry.verify(kept).problem
    assert problem is not None
    assert problem.kind == "rewritten"


@pytest.mark.parametrize("command", [["prov", "--body", "spb"], ["notice", "--decision", "spb-5"]])
def test_an_export_held_to_a_checkpoint_refuses_a_rewritten_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """``prov`` and ``notice`` take ``--checkpoint`` (and ``--key``) as ``verify`` does."""
    path = tmp_path / "spb.jsonl"
    url = f"jsonl:///{path}"
    with JsonlStore(path, LIFECYCLE.fingerprint) as store:
        registry = reference(store)
        kept = tmp_path / "spb.checkpoint"
        kept.write_text(registry.checkpoint().to_json() + "\n", encoding="utf-8")
        note = tmp_path / "spb.note"
        note.write_text(signed(registry), encoding="utf-8")
        entries = list(store)
    (tmp_path / "log.pub").write_text(str(LOG.verifier) + "\n", encoding="utf-8")
    signed_by = ["--checkpoint", str(note), "--key", str(tmp_path / "log.pub")]
    assert main([command[0], url, *command[1:], *signed_by]) == 0
    assert "spb" in capsys.readouterr().out
    changed = attrs.evolve(entries[3].decision, reasons=("rewritten",))
    path.unlink()
    with JsonlStore(path, LIFECYCLE.fingerprint) as store:
        for entry in resealed(entries, 3, decision=changed):
            store.append(entry)
    assert main([command[0], url, *command[1:]]) == 0  # the chain holds on its own
    capsys.readouterr()
    for held in (["--checkpoint", str(kept)], signed_by):
        assert main([command[0], url, *command[1:], *held]) == 2
        said = capsys.readouterr()
        assert said.out == ""
        assert "does not verify, so nothing is exported" in said.err
        assert "rewritten" in said.err


def test_an_altered_node_over_several_entries_is_named_with_them() -> None:
    """A leaf's node names its entry; a node over entries 4 to 7 names them (at entry 7)."""
    from govflow.log.roots import Frontier, KeptNodes  # noqa: PLC0415

    hashes = [f"{n:064x}" for n in range(8)]
    frontier = Frontier()
    nodes = [node for h in hashes for node in frontier.append(bytes.fromhex(h))]
    for at, seq, said in ((0, 0, "from this entry on"), (len(nodes) - 2, 7, "over entries 4 to 7")):
        altered = [*nodes[:at], bytes(32), *nodes[at + 1 :]]
        kept = KeptNodes(iter(altered), "rebuild them")
        for digest in hashes:
            kept.take(digest)
        found = kept.problem(8, lambda: False)
        assert found is not None
        assert found[0] == seq
        assert said in found[1]


def test_a_bundle_of_a_decision_cut_off_says_the_log_is_shorter_than_signed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "spb.jsonl"
    with JsonlStore(path, LIFECYCLE.fingerprint) as store:
        note = tmp_path / "spb.note"
        note.write_text(signed(reference(store)), encoding="utf-8")
        last = list(store)[-1].decision.id
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-3]), encoding="utf-8")  # the last three entries cut off
    url = f"jsonl:///{path}"
    assert main(["bundle", url, "--decision", last, "--checkpoint", str(note)]) == 2
    said = capsys.readouterr().err
    assert f"no entry of {url} records a decision {last!r}" in said
    assert (
        "the log has 23 entries, fewer than the 26 the checkpoint signs: it was cut short" in said
    )
    assert main(["bundle", url, "--decision", "nothing", "--checkpoint", str(note)]) == 2
    assert "cut short" in capsys.readouterr().err  # whatever was asked for, the log is short


def test_a_case_file_held_to_a_checkpoint_says_so_and_a_rewrite_gets_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``govflow report --checkpoint`` (and ``case_file(checkpoint=)``) as ``verify`` does."""
    from govflow.render import case_file  # noqa: PLC0415

    path = tmp_path / "spb.jsonl"
    url = f"jsonl:///{path}"
    with JsonlStore(path, LIFECYCLE.fingerprint) as store:
        registry = reference(store)
        head = registry.checkpoint().head
        (tmp_path / "spb.note").write_text(signed(registry), encoding="utf-8")
        entries = list(store)
        text = case_file(LIFECYCLE, store, checkpoint=registry.checkpoint())
    assert f"Held to a checkpoint of 26 entries: head {head[:16]}…" in text
    (tmp_path / "log.pub").write_text(str(LOG.verifier) + "\n", encoding="utf-8")
    held = ["--checkpoint", str(tmp_path / "spb.note"), "--key", str(tmp_path / "log.pub")]
    assert main(["report", url, *held]) == 0
    said = "Held to a checkpoint of 26 entries, signed by spb.example/log (its Merkle root checked)"
    assert said in capsys.readouterr().out
    assert main(["report", url]) == 0
    assert "Held to a checkpoint" not in capsys.readouterr().out  # none given, none said
    changed = attrs.evolve(entries[3].decision, reasons=("rewritten",))
    path.unlink()
    with JsonlStore(path, LIFECYCLE.fingerprint) as store:
        for entry in resealed(entries, 3, decision=changed):
            store.append(entry)
    assert main(["report", url, *held]) == 1
    told = capsys.readouterr()
    assert told.out == ""
    assert "no report: the log does not verify" in told.err
    assert "rewritten" in told.err
