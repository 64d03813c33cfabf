"""The Merkle nodes stores keep: in step with the log, made again when missing, audited by verify.

A proof from a store reads O(log n) nodes and builds no tree: that is counted here as
nodes read, never timed (``benchmarks/merkle.py`` gives the times).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from hashlib import sha256
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govflow import AuditLog, Decision, Kind, Registry, Source, When
from govflow.cli import main
from govflow.errors import InvalidRecord, ProofError, StoreFailed
from govflow.log.bundle import Bundle
from govflow.log.checkpoint import TreeHead
from govflow.log.entry import entry_text
from govflow.log.merkle import (
    EMPTY_ROOT,
    Tree,
    closed,
    node_count,
    position,
    size_of,
    verify_consistency,
    verify_inclusion,
)
from govflow.log.note import Note, SignerKey
from govflow.log.roots import Frontier
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, Store, _lines, _tree, open_store
from govflow.stores._tree import BATCH

from .stores import POSTGRES_URL, Handle, handle, noted

FIXTURES = Path(__file__).parent / "fixtures" / "schema1"
LIFECYCLE = partnership_lifecycle(authorities=spb.authorities())
LOG_KEY = SignerKey.generate("spb.example/log")


def leaves(n: int) -> list[bytes]:
    return [sha256(i.to_bytes(8, "big")).digest() for i in range(n)]


def made_by(at: int) -> int:
    """The leaf whose append made the node at position ``at``."""
    return size_of(at + 1) if node_count(size_of(at + 1)) <= at else size_of(at + 1) - 1


class Counted:
    """Nodes that count how often they are read."""

    def __init__(self, nodes: Tree) -> None:
        self.nodes, self.reads = nodes, 0

    def __getitem__(self, at: int) -> bytes:
        self.reads += 1
        return self.nodes[at]


# --- positions and trees over kept nodes ------------------------------------------


def test_positions_are_the_order_nodes_are_made_in() -> None:
    made: list[tuple[int, int]] = []  # (height, index) in the order a tree makes them
    for n in range(200):
        made.append((0, n))
        index, height = n, 0
        while index & 1:
            index, height = index >> 1, height + 1
            made.append((height, index))
        assert node_count(n + 1) == len(made)
    assert [position(h, i) for h, i in made] == list(range(len(made)))


@given(st.integers(0, 5_000), st.integers(0, 60))
def test_size_of_is_the_largest_tree_whose_nodes_fit(size: int, extra: int) -> None:
    found = size_of(node_count(size) + extra)
    assert node_count(found) <= node_count(size) + extra < node_count(found + 1)
    assert found >= size


@given(st.integers(1, 300), st.data())
def test_a_tree_over_kept_nodes_proves_what_the_tree_in_memory_proves(
    n: int, data: st.DataObject
) -> None:
    memory = Tree(leaves(n))
    over = Tree.over(memory.copy(), n)
    index = data.draw(st.integers(0, n - 1))
    size = data.draw(st.integers(index + 1, n))
    assert over.root(size) == memory.root(size)
    assert over.inclusion_proof(index, size) == memory.inclusion_proof(index, size)
    assert over.consistency_proof(index + 1, size) == memory.consistency_proof(index + 1, size)


def test_appending_to_a_tree_over_kept_nodes_keeps_the_new_ones_aside() -> None:
    all_leaves = leaves(40)
    kept = Tree(all_leaves[:25])
    over = Tree.over(kept, 25)
    for leaf in all_leaves[25:]:
        over.append(leaf)
    assert len(kept) == 25  # the kept nodes are only read
    assert over.root() == Tree(all_leaves).root()
    assert over.made == [Tree(all_leaves)[at] for at in range(node_count(25), node_count(40))]


def test_a_copy_grows_on_its_own() -> None:
    tree = Tree(leaves(10))
    copy = tree.copy()
    copy.append(b"x")
    assert (len(tree), len(copy)) == (10, 11)
    assert tree.root() == Tree(leaves(10)).root()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 8, 9, 64, 65, 1000])
def test_a_frontier_makes_the_nodes_a_tree_keeps_and_its_root(n: int) -> None:
    frontier, tree, made = Frontier(), Tree(), []
    for leaf in leaves(n):
        made.extend(frontier.append(leaf))
        tree.append(leaf)
        assert frontier.root() == tree.root()
    assert made == [tree[at] for at in range(node_count(n))]
    assert (len(frontier), frontier.root()) == (n, tree.root())
    assert (frontier.root() == EMPTY_ROOT) is (n == 0)  # the root of no leaves


@pytest.mark.parametrize("n", [2**10, 2**10 + 3, 2**14 - 1, 100_003])
def test_a_proof_reads_a_few_nodes_whatever_the_size(n: int) -> None:
    counted = Counted(Tree(leaves(n)))
    tree = Tree.over(counted, n)
    depth = n.bit_length()
    worst = 0
    for index in (0, 1, n // 3, n // 2, n - 2, n - 1):
        counted.reads = 0
        proof = tree.inclusion_proof(index)
        worst = max(worst, counted.reads)
        verify_inclusion(index, n, counted.nodes[position(0, index)], proof, tree.root())
        counted.reads = 0
        proof = tree.consistency_proof(index + 1)
        worst = max(worst, counted.reads)
        verify_consistency(index + 1, n, tree.root(index + 1), tree.root(), proof)
    # Each proof node is one kept node, or the root of the tree's ragged right edge
    # (at most one node a level): never more than depth squared, never near n.
    assert worst <= depth * depth
    assert worst < n / 20


# --- stores keep their nodes ---------------------------------------------------------


@pytest.fixture(params=["jsonl", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    yield from handle(request.param, tmp_path)


@pytest.fixture
def batched() -> None:
    """Asked for by a test of stores keeping their nodes a batch of ``BATCH`` leaves at a time."""


@pytest.fixture(autouse=True)
def _each_leaf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unless a test asks for ``batched``, a batch is one leaf: each append keeps its nodes.

    The nodes are made and kept by the same code whatever the batch, so that the tests
    of what becomes of nodes missing, altered or in the way need no log of many batches.
    """
    if "batched" not in request.fixturenames:
        monkeypatch.setattr(_tree, "BATCH", 1)


def played(url: str, decisions: int | None = None) -> list[str]:
    """Play the reference case (its first decisions) into the store; the entries' hashes."""
    with open_store(url, LIFECYCLE.fingerprint) as log:
        registry = Registry(LIFECYCLE, log=log)
        for decision in spb.decisions()[:decisions]:
            registry.apply(decision)
        return [entry.hash for entry in log]


def kept_count(url: str) -> int:
    with open_store(url, read_only=True) as log:
        assert isinstance(log, Store)
        return sum(1 for _ in log.kept_nodes())


@pytest.mark.usefixtures("batched")
def test_appends_keep_their_nodes_a_batch_at_a_time(store: Handle) -> None:
    played(store.url)
    noted(store.url, BATCH - 27)
    assert kept_count(store.url) == 0  # BATCH - 1 entries: no batch ended yet
    hashes = noted(store.url, 10)  # the BATCH-th entry ends the first batch
    n = len(hashes)
    assert n == BATCH + 9
    assert kept_count(store.url) == node_count(BATCH)
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        tree = log.tree()
        # Only the leaves past the last batch were made again, from the entries' hashes.
        assert len(tree.made) == node_count(n) - node_count(BATCH)
        memory = Tree.of(hashes)
        assert tree.root() == memory.root()
        assert [tree.inclusion_proof(i) for i in range(n)] == [
            memory.inclusion_proof(i) for i in range(n)
        ]
        assert list(log.kept_nodes()) == [memory[at] for at in range(node_count(BATCH))]
    with open_store(store.url) as log:  # a writer's read keeps nothing short of a batch
        assert isinstance(log, Store)
        assert log.tree().root() == memory.root()
    assert kept_count(store.url) == node_count(BATCH)
    forget_nodes(store)
    with open_store(store.url) as log:  # ... but keeps the whole batches it makes again
        assert isinstance(log, Store)
        assert log.tree().root() == memory.root()
    assert kept_count(store.url) == node_count(BATCH)


def forget_nodes(store: Handle, keep: int = 0) -> None:
    """Drop the nodes kept past the first ``keep`` (as a log written before they were kept)."""
    if store.kind == "jsonl":
        path = Path(store.url.removeprefix("jsonl:///") + ".tree")
        with path.open("r+b") as file:
            file.truncate(keep * 32)
    elif store.kind == "sqlite":
        with closing(sqlite3.connect(store.url.removeprefix("sqlite:///"))) as db, db:
            db.execute("DELETE FROM govflow_tree WHERE pos >= ?", (keep,))
    else:
        import psycopg  # noqa: PLC0415
        from psycopg import sql  # noqa: PLC0415

        assert POSTGRES_URL is not None
        schema = store.url.rsplit("govflow_schema=", 1)[1]
        table = sql.Identifier(schema, "govflow_tree")
        with psycopg.connect(POSTGRES_URL) as db:
            db.execute(sql.SQL("DELETE FROM {} WHERE pos >= %s").format(table), (keep,))


def test_a_reader_asking_for_the_tree_while_a_writer_appends_never_cuts_its_nodes(
    store: Handle,
) -> None:
    """tree() keeps nodes it made only for the log as it read it, never past a new append.

    A reader that found nodes past the count it had read (an append committing in
    between) used to cut them: the kept tree then had holes, and verify said altered.
    """
    import threading  # noqa: PLC0415

    from govflow import Decision, Kind, Source, When  # noqa: PLC0415
    from govflow.errors import GovflowError  # noqa: PLC0415

    played(store.url, 1)  # the proposal
    stop, failures = threading.Event(), []

    def read() -> None:
        with open_store(store.url) as log:
            assert isinstance(log, Store)
            while not stop.is_set():
                try:
                    log.tree()
                except GovflowError as error:  # a hole found in the nodes
                    failures.append(str(error))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        with open_store(store.url) as log:
            registry = Registry(LIFECYCLE, log=log)
            day, source = When.on(dt.date(2013, 3, 1)), Source("reader race")
            for n in range(60):
                registry.apply(
                    Decision(id=f"n{n}", body="spb", kind=Kind.NOTE, actor="LGA",
                             decided=day, source=source, reasons=("noted",)),
                    retries=3,
                )  # fmt: skip
            hashes = [entry.hash for entry in log]
    finally:
        stop.set()
        reader.join()
    assert failures == []
    assert main(["verify", store.url]) == 0
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        assert list(log.kept_nodes()) == [Tree.of(hashes)[at] for at in range(node_count(61))]


@pytest.mark.parametrize("appends", [1, 3])
def test_a_rebuild_that_an_append_overtakes_is_made_again_or_says_so(
    store: Handle, appends: int
) -> None:
    """tree(rebuild=True) keeps its nodes, or raises: it never returns having kept none."""
    from govflow import Decision, Kind, Source, When  # noqa: PLC0415
    from govflow.errors import StoreFailed  # noqa: PLC0415

    played(store.url)
    _damage(store, position(1, 0))  # an inner node altered at rest: appends build on it
    writer = Registry(LIFECYCLE, log=open_store(store.url))
    made: list[int] = []

    def note() -> Decision:
        made.append(len(made))
        return Decision(
            id=f"n{len(made)}", body="spb", kind=Kind.NOTE, actor="LGA",
            decided=When.on(dt.date(2013, 3, 1)), source=Source("race"), reasons=("noted",),
        )  # fmt: skip

    with open_store(store.url) as reader:
        assert isinstance(reader, Store)
        reading = reader._hashes_since

        def overtaken(seq: int) -> Any:  # an append commits while the rebuild reads
            if len(made) < appends:
                writer.apply(note())
            return reading(seq)

        reader._hashes_since = overtaken  # type: ignore[method-assign]
        if appends < 3:  # made again over the log as it then is, and kept
            size = len(reader.tree(rebuild=True))
            assert size == 26 + appends
            damaged = False
        else:
            with pytest.raises(StoreFailed, match="grew while its Merkle nodes were made again"):
                reader.tree(rebuild=True)
            damaged, size = True, 26 + appends  # said so: nothing was kept
        reader._hashes_since = reading  # type: ignore[method-assign]
        hashes = [entry.hash for entry in reader]
    writer.log.close()  # type: ignore[attr-defined]
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        kept = list(log.kept_nodes())
    assert (kept == [Tree.of(hashes)[at] for at in range(node_count(size))]) is not damaged
    assert main(["verify", store.url]) == (1 if damaged else 0)


def _damage(store: Handle, at: int) -> None:
    """Write another hash over the kept node at position ``at``."""
    if store.kind == "jsonl":
        with Path(store.url.removeprefix("jsonl:///") + ".tree").open("r+b") as file:
            file.seek(at * 32)
            file.write(b"\x01" * 32)
        return
    hex_ones = "01" * 32
    literal = f"X'{hex_ones}'" if store.kind == "sqlite" else f"decode('{hex_ones}', 'hex')"
    _sql(store, f"UPDATE govflow_tree SET hash = {literal} WHERE pos = {at}")  # noqa: S608


@pytest.mark.parametrize("keep", [0, 1, 17, 30, 45])
def test_missing_nodes_are_made_again_from_the_entries_and_kept(store: Handle, keep: int) -> None:
    hashes = played(store.url)
    forget_nodes(store, keep)
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()  # made in memory ...
    assert kept_count(store.url) == keep  # ... and not kept by a read-only store
    with open_store(store.url) as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()
    assert kept_count(store.url) == node_count(len(hashes))
    assert main(["verify", store.url]) == 0


def test_an_append_catches_up_the_nodes_a_log_lacked(store: Handle) -> None:
    played(store.url, 12)
    forget_nodes(store, 5)
    hashes = played(store.url)  # the rest: the first append makes the missing nodes
    assert kept_count(store.url) == node_count(len(hashes))
    assert main(["verify", store.url]) == 0


def test_nodes_of_another_log_are_not_used_nor_written_over_but_on_purpose(
    tmp_path: Path,
) -> None:
    ours = tmp_path / "ours.jsonl"
    hashes = played(f"jsonl:///{ours}", 20)
    # Another log's nodes, as many as this log's: none of them is this log's.
    other = bytes(range(256)) * (32 * node_count(20) // 256 + 1)
    Path(f"{ours}.tree").write_bytes(other[: 32 * node_count(20)])
    assert main(["verify", f"jsonl:///{ours}"]) == 1  # verify names it ...
    with open_store(f"jsonl:///{ours}") as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()  # ... and tree() does not use them
    assert Path(f"{ours}.tree").read_bytes() == other[: 32 * node_count(20)]  # nor replace them
    assert main(["verify", f"jsonl:///{ours}"]) == 1
    assert main(["tree", f"jsonl:///{ours}", "--rebuild"]) == 0
    assert main(["verify", f"jsonl:///{ours}"]) == 0


def test_a_node_file_cut_inside_a_node_is_caught_up(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    hashes = played(f"jsonl:///{path}")
    tree_file = Path(f"{path}.tree")
    tree_file.write_bytes(tree_file.read_bytes()[: 32 * 20 + 7])
    with open_store(f"jsonl:///{path}") as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()
    assert tree_file.stat().st_size == 32 * node_count(len(hashes))


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_a_log_written_before_nodes_were_kept_reads_proves_and_gains_them(
    kind: str, tmp_path: Path
) -> None:
    shutil.copy(FIXTURES / f"spb.{'db' if kind == 'sqlite' else kind}", tmp_path / "spb")
    url = f"{kind}:///{tmp_path / 'spb'}"
    # The hashes the fixture lists, read apart from the log: the root is theirs.
    listed = [
        line.split()[2]
        for line in (FIXTURES / "hashes.txt").read_text(encoding="utf-8").splitlines()
        if line.split()[:1] == ["spb"] and line.split()[1].isdigit()
    ]
    assert len(listed) == 9  # release 0.1.0's reference case
    root = Tree.of(listed).root()
    with open_store(url, read_only=True) as log:
        assert isinstance(log, Store)
        assert list(log.kept_nodes()) == []
        assert log.tree().root() == root
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spb"]  # read-only made nothing
    with open_store(url) as log:
        assert isinstance(log, Store)
        assert log.tree().root() == root
    assert kept_count(url) == node_count(9)


# --- verify audits the nodes kept --------------------------------------------------


def _flip(store: Handle, at: int) -> None:
    if store.kind == "jsonl":
        path = Path(store.url.removeprefix("jsonl:///") + ".tree")
        data = bytearray(path.read_bytes())
        data[at * 32] ^= 1
        path.write_bytes(bytes(data))
    else:
        with closing(sqlite3.connect(store.url.removeprefix("sqlite:///"))) as db, db:
            (node,) = db.execute("SELECT hash FROM govflow_tree WHERE pos = ?", (at,)).fetchone()
            flipped = bytes([node[0] ^ 1]) + node[1:]
            db.execute("UPDATE govflow_tree SET hash = ? WHERE pos = ?", (flipped, at))


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_verify_names_the_entry_whose_node_was_altered(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for at in range(node_count(26)):
        for store in handle(kind, tmp_path / str(at)):
            (tmp_path / str(at)).mkdir()
            played(store.url)
            _flip(store, at)
            capsys.readouterr()
            assert main(["verify", store.url]) == 1
            said = capsys.readouterr().out
            assert said.startswith(f"entry {made_by(at)}: tree: the Merkle nodes"), (at, said)
            with open_store(store.url) as log:
                assert isinstance(log, Store)
                log.tree(rebuild=True)
            assert main(["verify", store.url]) == 0


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_a_log_whose_nodes_were_altered_is_not_signed_as_verify_does_not_pass_it(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # checkpoint --sign signed a log that verify failed (its node file altered).
    key = tmp_path / "log"
    assert main(["key", "lga.example/spb", str(key)]) == 0
    for store in handle(kind, tmp_path / "s"):
        (tmp_path / "s").mkdir()
        played(store.url)
        _flip(store, 7)
        capsys.readouterr()
        assert main(["verify", store.url]) == 1
        verified = capsys.readouterr().out
        assert main(["checkpoint", store.url, "--sign", f"{key}.key"]) == 2
        said = capsys.readouterr()
        assert said.out == ""
        assert (
            f"govflow checkpoint: the log {store.url} does not verify, so it is not signed: "
            in (said.err)
        )
        assert verified.split(" (altered")[0] in said.err  # the same entry and words
        with open_store(store.url) as log:
            assert isinstance(log, Store)
            log.tree(rebuild=True)
        assert main(["checkpoint", store.url, "--sign", f"{key}.key"]) == 0


def test_verify_names_nodes_kept_past_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short, long = tmp_path / "short.jsonl", tmp_path / "long.jsonl"
    hashes = played(f"jsonl:///{short}", 10)
    played(f"jsonl:///{long}")
    shutil.copy(f"{long}.tree", f"{short}.tree")  # its first nodes are the short log's
    assert main(["verify", f"jsonl:///{short}"]) == 1
    assert "entry 10: tree: the store keeps Merkle nodes past the log's 10 entries" in (
        capsys.readouterr().out
    )
    kept = Path(f"{short}.tree").read_bytes()
    with open_store(f"jsonl:///{short}") as log:  # a store that may write leaves them
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()
    assert Path(f"{short}.tree").read_bytes() == kept
    assert main(["verify", f"jsonl:///{short}"]) == 1
    assert main(["tree", f"jsonl:///{short}", "--rebuild"]) == 0  # made again, on purpose
    assert Path(f"{short}.tree").stat().st_size == 32 * node_count(10)
    assert main(["verify", f"jsonl:///{short}"]) == 0


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_nodes_past_a_log_cut_short_are_kept_until_rebuilt_on_purpose(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Appends and ``govflow tree`` dropped the evidence that entries were cut from a log."""
    path = tmp_path / f"log.{'jsonl' if kind == 'jsonl' else 'db'}"
    url = f"{kind}:///{path}"
    hashes = played(url)
    cut = 10
    if kind == "jsonl":
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[: cut + 1]), encoding="utf-8")  # the header and 10
    else:
        with sqlite3.connect(path) as db:  # commits; closed below (it does not close)
            db.execute("DELETE FROM govflow_entries WHERE seq >= ?", (cut,))
        db.close()
    nodes = kept_nodes(url)
    assert len(nodes) > node_count(cut)
    capsys.readouterr()
    assert main(["tree", url]) == 2
    err = capsys.readouterr().err
    assert "are left as they are, evidence of what the log was: entry 10: tree: " in err
    assert f"Merkle nodes past the log's {cut} entries: it was cut short" in err
    # Before rebuilding them away, a checkpoint: they are the cut's evidence until then.
    assert "verify against a checkpoint a partner kept to tell which" in err
    # Every command says what to run, not a Python call.
    assert main(["checkpoint", url]) == 2
    err = capsys.readouterr().err
    assert "run `govflow tree" in err
    assert "tree(rebuild=True)" not in err
    assert kept_nodes(url) == nodes
    # Appends go on, past a batch's end, and leave them too; verify still names them.
    with open_store(url, LIFECYCLE.fingerprint) as log:
        registry = Registry(LIFECYCLE, log=log)
        for decision in spb.decisions()[cut : cut + 9]:
            registry.apply(decision)
        again = [entry.hash for entry in log]
    assert again[:cut] == hashes[:cut]
    assert kept_nodes(url) == nodes
    assert main(["verify", url]) == 1
    assert "nodes past the log's 19 entries" in capsys.readouterr().out
    assert main(["tree", url, "--rebuild"]) == 0
    with open_store(url, read_only=True) as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(again).root()
    assert main(["verify", url]) == 0


# --- what reads the nodes ------------------------------------------------------------


def _checkpoint(hashes: list[str]) -> Note:
    head = TreeHead.of(hashes, hashes[-1], LOG_KEY.name, dt.date(2013, 3, 1))
    return Note(head.text()).signed(LOG_KEY)


def test_a_bundle_from_a_store_is_the_bundle_from_its_entries(store: Handle) -> None:
    hashes = played(store.url)
    note = _checkpoint(hashes)
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        entries = list(log)
        for seq in range(len(entries)):
            made = Bundle.of(log, seq, note)
            assert made == Bundle.of(entries, seq, note)
            made.verify(LOG_KEY.verifier)


def test_a_bundle_of_an_entry_altered_at_rest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    note = _checkpoint(played(f"jsonl:///{path}"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = lines[6].replace('"spb-', '"spX-', 1)
    path.write_text("".join(lines), encoding="utf-8")
    with (
        open_store(f"jsonl:///{path}", read_only=True) as log,
        pytest.raises(ProofError, match="entry 5's content does not hash to its hash"),
    ):
        Bundle.of(log, 5, note)  # type: ignore[arg-type]


def test_a_bundle_from_a_log_cut_short_is_refused(tmp_path: Path) -> None:
    note = _checkpoint(played(f"jsonl:///{tmp_path / 'long.jsonl'}"))
    played(f"jsonl:///{tmp_path / 'short.jsonl'}", 10)
    with (
        open_store(f"jsonl:///{tmp_path / 'short.jsonl'}", read_only=True) as log,
        pytest.raises(
            ProofError, match="the log has 10 entries, fewer than the 26 the checkpoint signs"
        ),
    ):
        Bundle.of(log, 3, note)  # type: ignore[arg-type]


def test_an_audit_log_grows_its_tree_as_it_grows() -> None:
    log = AuditLog(LIFECYCLE.fingerprint)
    registry = Registry(LIFECYCLE, log=log)
    decisions = spb.decisions()
    for decision in decisions[:7]:
        registry.apply(decision)
    first = log.tree()
    first.append(b"not in the log")  # a copy: the log's own tree is not changed
    for decision in decisions[7:]:
        registry.apply(decision)
    assert log.tree().root() == Tree.of(e.hash for e in log).root()
    assert len(log.tree()) == len(log)


def test_seq_of_finds_a_decision_and_nothing_for_what_no_entry_can_hold(store: Handle) -> None:
    played(store.url)
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        entries = list(log)
        for entry in entries:
            assert log.seq_of(entry.decision.id) == entry.seq
        for strange in ("nope", "spb-1\x00", "spb-\udc80", ""):
            assert log.seq_of(strange) is None


def test_a_store_gives_one_entry_by_its_position(store: Handle) -> None:
    played(store.url)
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        entries = list(log)
        assert [log[seq] for seq in range(len(entries))] == entries
        assert log[-1] == entries[-1]
        assert log[-len(entries)] == entries[0]
        for outside in (len(entries), -len(entries) - 1, 10**30):
            with pytest.raises(IndexError, match=f"entry {outside} is not in the log of 26"):
                log[outside]
        # An argument's advice, not a record's ("create the SqliteStore again").
        with pytest.raises(InvalidRecord, match=r"seq must be a whole number, .*pass the argument"):
            log["3"]  # type: ignore[index]


def test_an_append_neither_builds_on_nodes_of_another_log_nor_writes_over_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.jsonl"
    played(f"jsonl:///{path}", 20)
    # As many nodes as 20 entries have, none of them this log's: the append's quick
    # path (the nodes in step) must not take them, nor may appends replace them.
    other = bytes(range(32)) * node_count(20)
    Path(f"{path}.tree").write_bytes(other)
    hashes = played(f"jsonl:///{path}")
    assert Path(f"{path}.tree").read_bytes() == other
    with open_store(f"jsonl:///{path}", read_only=True) as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()
    assert main(["verify", f"jsonl:///{path}"]) == 1
    assert main(["tree", f"jsonl:///{path}", "--rebuild"]) == 0
    assert Path(f"{path}.tree").read_bytes() == b"".join(
        Tree.of(hashes)[at] for at in range(node_count(len(hashes)))
    )
    assert main(["verify", f"jsonl:///{path}"]) == 0


def _hashes_read(monkeypatch: pytest.MonkeyPatch, cls: type[Store]) -> list[object]:
    """The entries' hashes stores of ``cls`` read from now on, each as it is read."""
    read: list[object] = []
    hashes_since = cls._hashes_since

    def counted(store: Store, seq: int) -> Iterator[object]:
        for digest in hashes_since(store, seq):
            read.append(digest)
            yield digest

    monkeypatch.setattr(cls, "_hashes_since", counted)
    return read


def test_an_append_beside_nodes_not_the_logs_reads_only_its_last_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It keeps no node, so it makes no tree from every entry (at every batch's end)."""
    path = tmp_path / "log.jsonl"
    played(f"jsonl:///{path}", 20)
    Path(f"{path}.tree").write_bytes(bytes(range(32)) * node_count(20))  # another log's
    read = _hashes_read(monkeypatch, JsonlStore)
    played(f"jsonl:///{path}", 21)  # one entry more, ending a batch (of one leaf here)
    assert read == []  # its prev is the last kept leaf's entry: found not its leaf, unread
    assert Path(f"{path}.tree").read_bytes() == bytes(range(32)) * node_count(20)


def test_nodes_of_a_log_cut_short_and_grown_again_are_kept_until_rebuilt_on_purpose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nodes kept of entries cut from a log stay when the log grows past them again.

    An append ending a batch (or ``govflow tree``) replaced them: the evidence was gone,
    and verify said intact.
    """
    path = tmp_path / "log.jsonl"
    url = f"jsonl:///{path}"
    played(url)  # 26 entries, every node kept
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:11]), encoding="utf-8")  # the header and 10
    nodes = kept_nodes(url)
    with open_store(url, LIFECYCLE.fingerprint) as log:
        registry = Registry(LIFECYCLE, log=log)
        for n in range(40):  # past the 26 entries the nodes were kept of, and a batch's end
            registry.apply(
                Decision(id=f"grown {n}", body="spb", kind=Kind.NOTE, actor="LGA",
                         decided=When.on(dt.date(2014, 1, 1)), source=Source("grown"),
                         reasons=("grown again",))
            )  # fmt: skip
        again = [entry.hash for entry in log]
    assert len(again) == 50
    assert kept_nodes(url)[: len(nodes)] == nodes
    capsys.readouterr()
    assert main(["verify", url]) == 1
    assert capsys.readouterr().out.startswith("entry 10: tree: the Merkle nodes the store keeps")
    assert main(["tree", url]) == 2
    said = capsys.readouterr().err
    assert "are left as they are, evidence of what the log was: entry 10:" in said
    assert f"run `govflow tree {url} --rebuild` to have them made again" in said  # not Python
    assert kept_nodes(url)[: len(nodes)] == nodes
    assert main(["tree", url, "--rebuild"]) == 0
    with open_store(url, read_only=True) as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(again).root()
    assert main(["verify", url]) == 0


def test_an_append_that_cannot_make_the_nodes_still_returns_with_its_entry_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.jsonl"
    source = AuditLog(LIFECYCLE.fingerprint)
    registry = Registry(LIFECYCLE, log=source)
    for decision in spb.decisions()[:4]:
        registry.apply(decision)
    with open_store(f"jsonl:///{path}", LIFECYCLE.fingerprint) as log:
        for entry in list(source)[:3]:
            log.append(entry)
    Path(f"{path}.tree").unlink()  # the nodes are to be made from the entries ...
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(f'"hash":"{source[1].hash}"', '"hash":"not a hash"')
    path.write_text("".join(lines), encoding="utf-8")  # ... and one cannot be read
    with open_store(f"jsonl:///{path}") as log:
        log.append(source[3])  # the line is written first: the append must not fail after it
        assert len(log) == 4
    assert not Path(f"{path}.tree").exists()


# --- what is put where the nodes are kept ----------------------------------------------


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_link_where_the_node_file_goes_is_neither_followed_nor_written(
    tmp_path: Path, link: str
) -> None:
    path = tmp_path / "log.jsonl"
    hashes = played(f"jsonl:///{path}", 12)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    Path(f"{path}.tree").unlink()
    if link == "symbolic":
        Path(f"{path}.tree").symlink_to(victim)
    else:  # another name of the victim's own file
        Path(f"{path}.tree").hardlink_to(victim)
    with open_store(f"jsonl:///{path}") as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()
    hashes = played(f"jsonl:///{path}")  # appends too leave it alone
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert main(["verify", f"jsonl:///{path}"]) == 0


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_a_log_where_the_node_file_goes_is_neither_read_nor_written(
    tmp_path: Path, kind: str
) -> None:
    # A log kept (before this release let none be made there) under the name of another
    # log's node file: appending to the other log overwrote it with nodes.
    path = tmp_path / "log.jsonl"
    played(f"jsonl:///{path}", 12)
    Path(f"{path}.tree").unlink()
    other = tmp_path / f"other.{kind}"
    played(f"{kind}:///{other}", 3)
    shutil.copyfile(other, f"{path}.tree")  # for a SQLite log, once its WAL is in the file
    kept = Path(f"{path}.tree").read_bytes()
    hashes = played(f"jsonl:///{path}")  # appends past it
    assert Path(f"{path}.tree").read_bytes() == kept
    with open_store(f"jsonl:///{path}") as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()  # made in memory, not read
    assert main(["verify", f"jsonl:///{path}"]) == 0


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("log.jsonl.tree", "a JSON Lines log's Merkle node file"),
        ("log.db-wal", "SQLite's write-ahead file"),
        ("log.db-shm", "SQLite's shared-memory file"),
        ("log.db-journal", "SQLite's rollback journal"),
    ],
)
@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_no_log_is_made_or_opened_under_the_name_of_a_file_kept_beside_another(
    tmp_path: Path, name: str, kept: str, kind: str
) -> None:
    # A log at t.jsonl.tree was overwritten by t.jsonl's nodes; one at t.db-wal deleted
    # by SQLite once t.db was written and closed. None is made so named now.
    with pytest.raises(InvalidRecord) as refused:
        open_store(f"{kind}:///{tmp_path / name}", LIFECYCLE.fingerprint)
    owner = name.rsplit(".tree", 1)[0] if name.endswith(".tree") else name.rsplit("-", 1)[0]
    assert f"{kept} beside {owner!r} has that name" in str(refused.value)
    assert not (tmp_path / name).exists()
    # A log made so named before is still read (nothing is written by reading it).
    made = tmp_path / f"made.{kind}"
    played(f"{kind}:///{made}", 3)
    made.rename(tmp_path / name)
    with open_store(f"{kind}:///{tmp_path / name}", read_only=True) as log:
        assert len(log) == 3


@pytest.mark.parametrize("thing", ["fifo", "directory"])
def test_a_pipe_or_a_directory_where_the_node_file_goes_hangs_nothing(
    tmp_path: Path, thing: str
) -> None:
    path = tmp_path / "log.jsonl"
    played(f"jsonl:///{path}", 12)
    tree_path = Path(f"{path}.tree")
    tree_path.unlink()
    if thing == "fifo":
        os.mkfifo(tree_path)
    else:
        tree_path.mkdir()
    # In a child process, with a time limit: a blocking open would hang it.
    script = (
        "import sys\n"
        "from govflow.cli import main\n"
        "from tests.test_kept_tree import played\n"
        f"played({f'jsonl:///{path}'!r})\n"
        f"sys.exit(main(['verify', {f'jsonl:///{path}'!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("intact: 26 entries")
    assert stat.S_ISFIFO(tree_path.lstat().st_mode) if thing == "fifo" else tree_path.is_dir()


def _sql(store: Handle, *statements: str) -> None:
    """Run ``statements`` on a SQLite or PostgreSQL store's database, in one transaction."""
    if store.kind == "sqlite":
        with closing(sqlite3.connect(store.url.removeprefix("sqlite:///"))) as db, db:
            for statement in statements:
                db.execute(statement)
        return
    import psycopg  # noqa: PLC0415
    from psycopg import sql  # noqa: PLC0415

    assert POSTGRES_URL is not None
    schema = store.url.rsplit("govflow_schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL) as db:
        db.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        for statement in statements:
            db.execute(statement.encode())


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Handle]:
    yield from handle("sqlite", tmp_path)


@pytest.fixture(params=["sqlite", "postgres"])
def database_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    yield from handle(request.param, tmp_path)


#: 32 zero bytes, in each database's SQL.
ZEROS = {"sqlite": "zeroblob(32)", "postgres": "decode(repeat('00', 32), 'hex')"}


def test_a_row_left_past_the_log_stops_no_append_and_stays_until_rebuilt(
    database_store: Handle,
) -> None:
    played(database_store.url, 9)
    past = node_count(9) + 1  # one past the first free position: the append writes there
    _sql(database_store, f"INSERT INTO govflow_tree VALUES ({past}, {ZEROS[database_store.kind]})")  # noqa: S608
    assert main(["verify", database_store.url]) == 1  # nodes past the log's 9 entries
    hashes = played(database_store.url)
    assert len(hashes) == 26
    assert main(["verify", database_store.url]) == 1  # the row stays: not the log's
    assert main(["tree", database_store.url, "--rebuild"]) == 0
    assert main(["verify", database_store.url]) == 0
    with open_store(database_store.url, read_only=True) as log:
        assert isinstance(log, Store)
        assert list(log.kept_nodes()) == [Tree.of(hashes)[at] for at in range(node_count(26))]


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM govflow_tree WHERE pos = 7",
        "UPDATE govflow_tree SET hash = substr(hash, 1, 31) WHERE pos = 7",
        "UPDATE govflow_tree SET hash = 'text' WHERE pos = 7",
    ],
)
def test_a_node_missing_or_malformed_is_named_and_stops_no_append(
    database_store: Handle, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    played(database_store.url, 9)
    _sql(database_store, damage)
    capsys.readouterr()
    assert main(["verify", database_store.url]) == 1
    assert capsys.readouterr().out.startswith(f"entry {made_by(7)}: tree: ")
    hashes = played(database_store.url)  # every append goes through
    assert len(hashes) == 26
    with open_store(database_store.url) as log:
        assert isinstance(log, Store)
        assert log.tree(rebuild=True).root() == Tree.of(hashes).root()
    assert main(["verify", database_store.url]) == 0


def test_an_append_makes_no_node_from_a_malformed_sibling(database_store: Handle) -> None:
    """A sibling the new leaf completes, cut to 31 bytes, reads as missing, not as a node."""
    played(database_store.url, 3)
    sibling = closed(3)[-1]  # the subtree of leaves 0 and 1, which leaf 3 completes with 2
    cut = f"UPDATE govflow_tree SET hash = substr(hash, 1, 31) WHERE pos = {sibling}"  # noqa: S608 - a number
    _sql(database_store, cut)
    hashes = played(database_store.url, 4)
    memory = Tree.of(hashes)
    with open_store(database_store.url) as log:
        assert isinstance(log, Store)
        kept = list(log.kept_nodes())
        made = [at for at, node in enumerate(kept) if node and at != sibling]
        assert all(kept[at] == memory[at] for at in made)  # none made from the cut one
        assert log.tree(rebuild=True).root() == memory.root()


def test_a_database_append_that_cannot_make_the_nodes_keeps_its_entry_alone(
    database_store: Handle,
) -> None:
    """With no node kept and an entry's hash column unreadable, the entry goes in alone."""
    source = AuditLog(LIFECYCLE.fingerprint)
    registry = Registry(LIFECYCLE, log=source)
    for decision in spb.decisions()[:4]:
        registry.apply(decision)
    with open_store(database_store.url, LIFECYCLE.fingerprint) as log:
        for entry in list(source)[:3]:
            log.append(entry)
    forget_nodes(database_store)  # the nodes are to be made from the entries ...
    _sql(database_store, "UPDATE govflow_entries SET hash = 'not a hash' WHERE seq = 1")
    with open_store(database_store.url) as log:
        log.append(source[3])  # ... and one cannot be read: the entry is appended all the same
        assert len(log) == 4
        assert log[3] == source[3]
    assert kept_count(database_store.url) == 0  # and no node was kept for it


def test_bundle_refuses_an_entry_the_altered_index_points_to(
    sqlite_store: Handle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    played(sqlite_store.url)
    _sql(
        sqlite_store,
        "UPDATE govflow_entries SET decision_id = 'swap' WHERE decision_id = 'spb-2'",
        "UPDATE govflow_entries SET decision_id = 'spb-2' WHERE decision_id = 'spb-3'",
        "UPDATE govflow_entries SET decision_id = 'spb-3' WHERE decision_id = 'swap'",
    )
    with open_store(sqlite_store.url, read_only=True) as log:
        note = _checkpoint([entry.hash for entry in log])
    (tmp_path / "cp.note").write_text(str(note), encoding="utf-8")
    capsys.readouterr()
    assert (
        main(
            [
                "bundle",
                sqlite_store.url,
                "--decision",
                "spb-2",
                "--checkpoint",
                str(tmp_path / "cp.note"),
            ]
        )
        == 2
    )
    captured = capsys.readouterr()
    assert "gives entry" in captured.err
    assert "that entry records 'spb-3'" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (lambda: closed(-1), "size must be a whole number from 0; got -1"),
        (lambda: position(-1, 0), "height must be a whole number from 0; got -1"),
        (lambda: position(0, "1"), "index must be a whole number from 0; got '1'"),
        (lambda: size_of(-5), "nodes must be a whole number from 0; got -5"),
        (lambda: node_count(True), "size must be a whole number from 0; got True"),  # noqa: FBT003
        (lambda: Tree.over(Tree(), -1), "size must be a whole number from 0; got -1"),
        (lambda: Tree.over(Tree(), 5).root(), "holds no node"),
        (lambda: Tree(leaves(3))[-1], "the tree of 3 leaves holds no node -1"),
    ],
)
def test_the_node_arithmetic_refuses_what_is_no_count(call: object, said: str) -> None:
    with pytest.raises(ProofError, match=re.escape(said)):
        call()  # type: ignore[operator]


def test_a_store_appending_while_it_makes_its_nodes_keeps_its_count(tmp_path: Path) -> None:
    # A store whose nodes are behind makes them inside its append; another writer then
    # appends a line exactly as long: the first store must still know both are there.
    source = AuditLog(LIFECYCLE.fingerprint)
    registry = Registry(LIFECYCLE, log=source)
    decisions = spb.decisions()
    for decision in decisions[:8]:
        registry.apply(decision)
    length = len(entry_text(source[7]))
    pad = 0
    while True:  # a ninth entry whose line is as long as the eighth's
        reasons = (decisions[8].reasons[0] + "x" * pad,)
        other = AuditLog(LIFECYCLE.fingerprint, list(source))
        ninth = Registry(LIFECYCLE, log=other).apply(attrs.evolve(decisions[8], reasons=reasons))
        if len(entry_text(ninth)) >= length:
            break
        pad += 1
    assert len(entry_text(ninth)) == length
    path = tmp_path / "log.jsonl"
    with open_store(f"jsonl:///{path}", LIFECYCLE.fingerprint) as first:
        for entry in list(source)[:7]:
            first.append(entry)
        os.truncate(f"{path}.tree", 32 * node_count(5))  # the nodes behind
        first.append(source[7])
        with open_store(f"jsonl:///{path}") as second:
            second.append(ninth)
        assert len(first) == 9
        assert first.head == ninth.hash
    assert main(["verify", f"jsonl:///{path}"]) == 0


@pytest.mark.parametrize("block", [1, 97, 1024, 1 << 20])
def test_a_json_lines_store_finds_an_entry_across_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    path = tmp_path / "log.jsonl"
    played(f"jsonl:///{path}")
    monkeypatch.setattr(_lines, "BLOCK", block)
    with open_store(f"jsonl:///{path}", read_only=True) as log:
        assert isinstance(log, Store)
        entries = list(log)
        assert [log[seq] for seq in reversed(range(len(entries)))] == entries[::-1]


@given(
    lines=st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"") + b"\n")),
    header=st.binary(max_size=8).map(lambda b: b.replace(b"\n", b"")),
    block=st.integers(1, 40),
    back=st.integers(-1, 33),
)
def test_a_line_found_reading_back_starts_where_counting_forward_says(
    lines: list[bytes], header: bytes, block: int, back: int
) -> None:
    """JSON Lines finds a tree's last leaves, a few lines from the end, reading back."""
    import io  # noqa: PLC0415

    data = header + b"".join(lines)
    starts = [len(header) + sum(map(len, lines[:i])) for i in range(len(lines))]
    expected = len(data) if back <= 0 else starts[-back] if back <= len(lines) else len(header)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_lines, "BLOCK", block)  # lines across blocks of every size
        assert _lines.back(io.BytesIO(data), len(header), len(data), back) == expected


def test_an_append_whose_nodes_cannot_be_written_keeps_its_entry(database_store: Handle) -> None:
    """The database refuses every new node: each append still commits its entry."""
    played(database_store.url, 3)
    if database_store.kind == "sqlite":
        refuse = (
            "CREATE TRIGGER no_nodes BEFORE INSERT ON govflow_tree "
            "BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    else:
        refuse = "ALTER TABLE govflow_tree ADD CONSTRAINT no_nodes CHECK (pos < 0) NOT VALID"
    _sql(database_store, refuse)
    hashes = played(database_store.url)  # each ends a batch of one leaf: its nodes refused
    assert len(hashes) == 26
    assert kept_count(database_store.url) == node_count(3)  # those kept before, alone
    assert main(["verify", database_store.url]) == 0
    with open_store(database_store.url, read_only=True) as log:
        assert isinstance(log, Store)
        assert log.tree().root() == Tree.of(hashes).root()


def test_nodes_of_a_batch_follow_only_nodes_kept_for_this_log() -> None:
    """``following`` makes a batch's nodes over those kept, or says they are not in step."""
    from govflow.stores._tree import following, peaks  # noqa: PLC0415

    digests = [sha256(bytes([i])).hexdigest() for i in range(12)]
    memory = Tree.of(digests)
    first = 8
    found = {at: memory[at] for at in [position(0, first - 1), *peaks(first)]}
    made = following(first, found, digests[first - 1 :])
    assert made == [memory[at] for at in range(node_count(first), node_count(12))]
    assert following(0, {}, digests) == [memory[at] for at in range(node_count(12))]
    other = {**found, position(0, first - 1): b"\x00" * 32}  # another log's last leaf
    assert following(first, other, digests[first - 1 :]) is None
    missing = {at: node for at, node in found.items() if at != peaks(first)[0]}
    assert following(first, missing, digests[first - 1 :]) is None
    assert following(first, found, []) is None  # no entry read


# --- govflow tree: the nodes a log lacks, kept from the command line -----------------


def _without_nodes(store: Handle) -> None:
    """Take away every node the store keeps, as a log written before they were kept."""
    if store.kind == "jsonl":
        Path(store.url.removeprefix("jsonl:///") + ".tree").unlink()
    else:
        with closing(sqlite3.connect(store.url.removeprefix("sqlite:///"))) as db, db:
            db.execute("DELETE FROM govflow_tree")


@pytest.mark.usefixtures("batched")
@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_the_tree_command_keeps_the_nodes_a_read_only_proof_only_makes(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (store,) = handle(kind, tmp_path)
    played(store.url)
    hashes = noted(store.url, BATCH + 10 - 26)  # one whole batch and 10 leaves past it
    assert len(hashes) == BATCH + 10
    _without_nodes(store)
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        assert len(log.tree().made) == node_count(BATCH + 10)  # every node made, none kept
    assert kept_count(store.url) == 0
    capsys.readouterr()
    assert main(["tree", store.url]) == 0
    root = Tree.of(hashes).root().hex()
    assert capsys.readouterr().out == (
        f"the store keeps the Merkle nodes of {BATCH} of the log's {BATCH + 10} entries "
        "(those of the last 10 are made when read)\n"
    )
    memory = Tree.of(hashes)
    assert list(kept_nodes(store.url)) == [memory[at] for at in range(node_count(BATCH))]
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        tree = log.tree()
        assert len(tree.made) == node_count(BATCH + 10) - node_count(BATCH)  # only the last
        assert tree.root().hex() == root


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_altered_nodes_are_told_with_the_command_that_makes_them_again(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (store,) = handle(kind, tmp_path)
    played(store.url)
    _flip(store, 5)
    capsys.readouterr()
    assert main(["verify", store.url]) == 1
    said = capsys.readouterr().out
    assert f"run `govflow tree {store.url} --rebuild` to have them made again" in said
    assert main(["tree", store.url]) == 0  # what is kept is not looked through: kept as is
    assert "verify" not in capsys.readouterr().out  # and no root is said of it
    assert main(["verify", store.url]) == 1
    assert main(["tree", store.url, "--rebuild"]) == 0
    capsys.readouterr()
    assert main(["verify", store.url]) == 0


@pytest.mark.usefixtures("batched")
@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_the_tree_command_says_so_when_the_store_could_not_keep_its_nodes(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that cannot be written (or a writer appending meanwhile): the store gives up
    # keeping them, and the command said it had kept them.
    (store,) = handle(kind, tmp_path)
    played(store.url)
    noted(store.url, BATCH + 10 - 26)
    _without_nodes(store)
    with open_store(store.url, read_only=True) as opened:
        cls = type(opened)
    monkeypatch.setattr(cls, "_keep", lambda *args: False)
    capsys.readouterr()
    assert main(["tree", store.url]) == 2
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err.startswith(
        f"govflow tree: the Merkle nodes of {store.url} could not all be kept"
    )
    assert kept_count(store.url) == 0


def test_the_remedy_hides_a_password_and_quotes_a_path_for_the_shell() -> None:
    from govflow.cli._roots import remedy_of  # noqa: PLC0415

    assert remedy_of("postgresql://alice:s3cret@db/gov") == (
        "run `govflow tree 'postgresql://alice:***@db/gov' --rebuild`"
    )
    assert remedy_of("jsonl:///my logs/a.jsonl") == (
        "run `govflow tree 'jsonl:///my logs/a.jsonl' --rebuild`"
    )


def test_the_tree_command_on_no_log_says_so_and_makes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tree", f"jsonl:///{tmp_path / 'none.jsonl'}"]) == 2
    said = capsys.readouterr().err
    assert "none.jsonl is not a govflow log: there is no such file" in said
    assert "fingerprint" not in said  # no advice to create one
    assert list(tmp_path.iterdir()) == []


def kept_nodes(url: str) -> list[bytes]:
    with open_store(url, read_only=True) as log:
        assert isinstance(log, Store)
        return list(log.kept_nodes())


def test_seq_of_finds_ids_the_canonical_form_escapes_and_no_id_it_only_begins(
    store: Handle,
) -> None:
    ids = ['say "yes"', "back\\slash", "café", "tab\there", "d1", "d10"]
    with open_store(store.url, LIFECYCLE.fingerprint) as log:
        registry = Registry(LIFECYCLE, log=log)
        for decision in spb.decisions():
            registry.apply(decision)
        first = len(log)
        day, source = When.on(dt.date(2013, 3, 1)), Source("notes")
        for n in ids:
            registry.apply(Decision(id=n, body="spb", kind=Kind.NOTE, actor="LGA", decided=day,
                                    source=source, reasons=("noted",)))  # fmt: skip
    with open_store(store.url, read_only=True) as log:
        assert isinstance(log, Store)
        assert [log.seq_of(n) for n in ids] == list(range(first, first + len(ids)))
        assert log.seq_of("d") is None
        assert log.seq_of("say") is None


def test_a_kept_node_missing_is_said_as_nodes_altered_by_bundle_and_witness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """They said the store was no govflow log, and gave a Python call as the remedy."""
    (store,) = handle("sqlite", tmp_path)
    played(store.url)
    assert main(["key", "spb.example/log", str(tmp_path / "log")]) == 0
    assert main(["key", "partner.example/w", str(tmp_path / "w")]) == 0
    capsys.readouterr()
    assert main(["checkpoint", store.url, "--sign", str(tmp_path / "log.key")]) == 0
    (tmp_path / "cp.note").write_text(capsys.readouterr().out, encoding="utf-8")
    peak = _tree.peaks(26)[0]  # read by every root and proof of the 26 entries
    _sql(store, f"DELETE FROM govflow_tree WHERE pos = {peak}")  # noqa: S608 - a number
    remedy = f"run `govflow tree {store.url} --rebuild` to have them made again"
    checkpoint = ["--checkpoint", str(tmp_path / "cp.note")]
    assert main(["bundle", store.url, "--decision", "spb-5", *checkpoint]) == 2
    said = capsys.readouterr().err
    assert "are not its entries' (altered at rest?)" in said, said
    assert remedy in said
    witness = ["--log-key", str(tmp_path / "log.pub"), "--key", str(tmp_path / "w.key"),
               "--state", str(tmp_path / "w.state"), "--first"]  # fmt: skip
    assert main(["witness", store.url, *checkpoint, *witness]) == 2
    said = capsys.readouterr().err
    assert "are not its entries' (altered at rest?)" in said, said
    assert remedy in said
    assert main(["tree", store.url, "--rebuild"]) == 0
    assert main(["bundle", store.url, "--decision", "spb-5", *checkpoint]) == 0


def test_an_append_to_a_database_beside_nodes_not_the_logs_reads_no_entry_to_keep_none(
    database_store: Handle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL made the tree from every entry at each batch's end, to keep none of it."""
    played(database_store.url, 9)
    last_leaf = position(0, 8)
    zeros = ZEROS[database_store.kind]
    _sql(database_store, f"UPDATE govflow_tree SET hash = {zeros} WHERE pos = {last_leaf}")  # noqa: S608
    with open_store(database_store.url, read_only=True) as opened:
        cls = type(opened)
    read = _hashes_read(monkeypatch, cls)
    played(database_store.url, 12)  # three entries more, each ending a batch (of one leaf)
    assert len(read) <= 3, len(read)  # at most each append's last kept leaf's entry
    assert main(["verify", database_store.url]) == 1  # the node stays, evidence


def test_a_new_log_made_where_an_earlier_ones_node_file_was_left_empties_it(
    tmp_path: Path,
) -> None:
    """The earlier log's nodes, kept as evidence, flagged the new log as tampered for good."""
    path = tmp_path / "log.jsonl"
    other = partnership_lifecycle()  # without the seeds' authorities: another log
    with open_store(f"jsonl:///{path}", other.fingerprint) as log:
        registry = Registry(other, log=log)
        for decision in spb.decisions()[:20]:
            registry.apply(decision)
    assert Path(f"{path}.tree").stat().st_size > 0
    path.unlink()  # the log, not its node file
    hashes = played(f"jsonl:///{path}", 26)
    assert Path(f"{path}.tree").read_bytes() == b"".join(
        Tree.of(hashes)[at] for at in range(node_count(len(hashes)))
    )
    assert main(["verify", f"jsonl:///{path}"]) == 0


@pytest.mark.usefixtures("batched")
@pytest.mark.parametrize("other", ["folder", "link"])
def test_the_tree_command_names_a_node_file_that_is_not_a_file_of_its_own(
    other: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said to run the command again (another writer?), which never helped."""
    (store,) = handle("jsonl", tmp_path)
    played(store.url)
    noted(store.url, BATCH + 10 - 26)
    nodes = Path(store.url.removeprefix("jsonl:///") + ".tree")
    nodes.unlink()
    if other == "folder":
        nodes.mkdir()
    else:
        (tmp_path / "elsewhere").write_bytes(b"")
        nodes.symlink_to(tmp_path / "elsewhere")
    capsys.readouterr()
    assert main(["tree", store.url, "--rebuild"]) == 2
    said = capsys.readouterr().err
    assert f"cannot be kept: {nodes} is not a file of its own" in said
    assert "move it away, then run the command again" in said


def test_a_rebuild_whose_nodes_cannot_be_written_says_so_not_that_the_log_grew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file or database was said to have grown under another writer."""
    path = tmp_path / "log.jsonl"
    log = JsonlStore(path, LIFECYCLE.fingerprint)
    registry = Registry(LIFECYCLE, log=log)
    for decision in spb.decisions()[:3]:
        registry.apply(decision)
    monkeypatch.setattr(JsonlStore, "_keep", lambda *_: False)  # as a file it may not write
    with pytest.raises(StoreFailed, match="its Merkle nodes could not be kept") as caught:
        log.tree(rebuild=True)
    assert "try again when writers pause, or give this process write access" in str(caught.value)
