"""The Merkle log's costs: appending with the tree, proofs, and signed checkpoints.

    python benchmarks/merkle.py [--quick] [--json] [--sizes 1000,10000,100000,1000000]

For each log size n (10^3 to 10^6 by default), each figure is a median over runs
(five, or one with ``--quick``) and is reported beside its baseline: the raw SHA-256
cost of the same bytes (every leaf and node string the operation hashes), hashed one
by one with ``hashlib.sha256`` in the same run. The ratio is the figure over that
baseline: 1.0 would be hashing and nothing else.

- append_us: one leaf appended to a ``Tree`` of n leaves (its leaf hash and the node
  hashes of the subtrees it completes; amortised, about one node an append), over
  the n appends from 0 to n;
- inclusion_us, inclusion_verify_us: an inclusion proof made for a random leaf of the
  tree of n, and checked; consistency_us, consistency_verify_us: a consistency proof
  from a random earlier size to n, made and checked (each the mean over 1,000);
- sign_us, verify_note_us: a checkpoint of the tree of n (its tree head text) signed
  with Ed25519 as a note, and the signature checked. Their baseline is SHA-256 of the
  note's text: Ed25519 costs far more than hashing, whatever the size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from hashlib import sha256
from typing import Any

from govflow.log.checkpoint import TreeHead
from govflow.log.merkle import Tree, leaf_hash, node_count, verify_consistency, verify_inclusion
from govflow.log.note import Note, SignerKey

PROOFS = 1_000


def _raw(strings: list[bytes]) -> float:
    """Seconds to SHA-256 each of ``strings``, one by one."""
    start = time.perf_counter()
    for s in strings:
        sha256(s).digest()
    return time.perf_counter() - start


def _leaves(n: int) -> list[bytes]:
    return [sha256(i.to_bytes(8, "big")).digest() for i in range(n)]


def append(n: int) -> tuple[float, float]:
    """Microseconds per append to a tree growing to ``n``, and the raw hashing baseline."""
    leaves = _leaves(n)
    tree = Tree()
    start = time.perf_counter()
    for leaf in leaves:
        tree.append(leaf)
    spent = time.perf_counter() - start
    # The same bytes: each leaf's 0x00 string, and a 0x01 string of two hashes for each
    # node above the leaves (hashing costs the same for any bytes of one length).
    hashed = [b"\x00" + leaf for leaf in leaves]
    hashed += [b"\x01" + leaf + leaf for leaf in leaves[: node_count(n) - n]]
    return spent / n * 1e6, _raw(hashed) / n * 1e6


def proofs(n: int, rng: random.Random) -> dict[str, float]:
    """Inclusion and consistency proofs in a tree of ``n``: made, checked, and the baseline."""
    leaves = _leaves(n)
    tree, root = Tree(leaves), None
    root = tree.root()
    figures: dict[str, float] = {}
    indexes = [rng.randrange(n) for _ in range(PROOFS)]
    start = time.perf_counter()
    made = [tree.inclusion_proof(i) for i in indexes]
    figures["inclusion_us"] = (time.perf_counter() - start) / PROOFS * 1e6
    start = time.perf_counter()
    for i, proof in zip(indexes, made, strict=True):
        verify_inclusion(i, n, leaf_hash(leaves[i]), proof, root)
    figures["inclusion_verify_us"] = (time.perf_counter() - start) / PROOFS * 1e6
    # Checking a proof hashes one node string per proof hash: its baseline.
    strings = [b"\x01" + node + node for proof in made for node in proof]
    figures["inclusion_raw_us"] = _raw(strings) / PROOFS * 1e6
    firsts = [rng.randrange(1, n + 1) for _ in range(PROOFS)]
    start = time.perf_counter()
    made = [tree.consistency_proof(m) for m in firsts]
    figures["consistency_us"] = (time.perf_counter() - start) / PROOFS * 1e6
    old = {m: tree.root(m) for m in set(firsts)}
    start = time.perf_counter()
    for m, proof in zip(firsts, made, strict=True):
        verify_consistency(m, n, old[m], root, proof)
    figures["consistency_verify_us"] = (time.perf_counter() - start) / PROOFS * 1e6
    # Checking one walks both roots: up to two node hashes per proof hash.
    strings = [b"\x01" + node + node for proof in made for node in proof for _ in (0, 1)]
    figures["consistency_raw_us"] = _raw(strings) / PROOFS * 1e6
    return figures


def signing(n: int, key: SignerKey) -> dict[str, float]:
    """A checkpoint of ``n`` entries signed, and its signature checked."""
    hashes = [h.hex() for h in _leaves(n)]
    head = TreeHead.of(hashes, hashes[-1], key.name, dt.date(2013, 3, 1))
    text = head.text()
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        note = Note(text).signed(key)
    sign_us = (time.perf_counter() - start) / rounds * 1e6
    verifier = key.verifier
    start = time.perf_counter()
    for _ in range(rounds):
        note.verified_by([verifier])
    verify_us = (time.perf_counter() - start) / rounds * 1e6
    raw_us = _raw([text.encode()] * rounds) / rounds * 1e6
    return {"sign_us": sign_us, "verify_note_us": verify_us, "note_raw_us": raw_us}


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure(n: int, runs: int, key: SignerKey) -> dict[str, float]:
    """Every figure at size ``n``: medians over ``runs``, with each ratio to its baseline."""
    rng = random.Random(n)
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        append_us, append_raw_us = append(n)
        samples.append(
            {"append_us": append_us, "append_raw_us": append_raw_us}
            | proofs(n, rng)
            | signing(n, key)
        )
    figures = _median(samples)
    pairs: dict[str, str] = {
        "append_us": "append_raw_us",
        "inclusion_verify_us": "inclusion_raw_us",
        "consistency_verify_us": "consistency_raw_us",
        "inclusion_us": "inclusion_raw_us",
        "consistency_us": "consistency_raw_us",
        "sign_us": "note_raw_us",
        "verify_note_us": "note_raw_us",
    }
    ratio: Callable[[str, str], float] = lambda a, b: figures[a] / figures[b]  # noqa: E731
    for figure, baseline in pairs.items():
        figures[figure.replace("_us", "_ratio_sha256")] = ratio(figure, baseline)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run instead of five")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--sizes", default="1000,10000,100000,1000000", help="log sizes, comma-separated"
    )
    args = parser.parse_args()
    key = SignerKey.generate("bench.example/log")
    started = time.perf_counter()
    result: dict[str, Any] = {
        size: measure(int(size), 1 if args.quick else 5, key) for size in args.sizes.split(",")
    }
    result["seconds"] = time.perf_counter() - started
    if args.json:
        print(json.dumps(result, sort_keys=True))
        return 0
    for size, figures in result.items():
        if size == "seconds":
            continue
        print(f"n = {int(size):,}")
        for name in sorted(figures):
            print(f"  {name:28} {figures[name]:.3f}")
    print(f"seconds {result['seconds']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
