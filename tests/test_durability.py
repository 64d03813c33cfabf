"""Crashes and concurrent writers, with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from govflow.stores import JsonlStore

from .helpers import LIFECYCLE
from .stores import Handle, handle

ROOT = Path(__file__).parent.parent
FP = LIFECYCLE.fingerprint


def writer(
    url: str, name: str, count: int, start: Path | None = None, *, reading: bool = False
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "GOVFLOW_START": str(start) if start else "",
        "GOVFLOW_READING": "1" if reading else "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.writer", url, name, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture(params=["jsonl", "sqlite", "postgres"])
def durable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    if request.param == "postgres":
        request.node.add_marker(pytest.mark.postgres)
    yield from handle(request.param, tmp_path)


@pytest.fixture(params=["sqlite", "postgres"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Handle]:
    if request.param == "postgres":
        request.node.add_marker(pytest.mark.postgres)
    yield from handle(request.param, tmp_path)


@pytest.mark.parametrize("reading", [False, True], ids=["appending", "reading-too"])
def test_a_writer_killed_mid_append_leaves_a_verifiable_prefix_with_every_returned_append(
    durable: Handle,
    reading: bool,  # noqa: FBT001 - a pytest parameter
) -> None:
    # Reading too: the writer keeps iterators open on its store, part-read, while it
    # appends; an append that returned must still be committed for every connection.
    process = writer(durable.url, "w", 20_000, reading=reading)
    assert process.stdout is not None
    returned: list[tuple[int, str]] = []
    # Let it append for a while (thousands of decisions on the faster stores; on a slow or
    # loaded machine, until at least 200 returned, for up to a minute), then kill it
    # without warning, in the middle of whatever it is doing.
    start = time.monotonic()
    while len(returned) < 3000:
        elapsed = time.monotonic() - start
        if elapsed > 60.0 or (elapsed > 4.0 and len(returned) >= 200):
            break
        line = process.stdout.readline()
        if not line:
            break
        seq, decision_id = line.split()
        returned.append((int(seq), decision_id))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # The lines printed before the kill; a last one the kill cut short says nothing sure.
    rest = [line.split() for line in process.stdout if line.endswith("\n")]
    returned.extend((int(fields[0]), fields[1]) for fields in rest if len(fields) == 2)
    process.stdout.close()
    assert process.stderr is not None
    process.stderr.close()
    assert len(returned) > 100, "the writer appended too little to test anything"
    log = durable.open()
    if isinstance(log, JsonlStore) and log.torn is not None:
        assert log.torn.offset > 0
        log.repair()
    result = log.verify()
    assert result.ok, str(result)
    stored = {e.seq: e.decision.id for e in log}
    for seq, decision_id in returned:
        assert stored.get(seq) == decision_id, f"append {seq} returned but was lost"
    assert len(stored) >= len(returned)


def test_concurrent_writers_lose_nothing_and_never_reuse_a_sequence_number(
    shared: Handle, tmp_path: Path
) -> None:
    shared.open(FP)  # create the log before the writers race
    start = tmp_path / "start"
    processes = [writer(shared.url, f"w{n}", 40, start) for n in range(3)]
    start.touch()
    accepted: set[str] = set()
    conflicts = 0
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        for line in out.splitlines():
            if line == "conflict":
                conflicts += 1
            else:
                accepted.add(line.split()[1])
    log = shared.open()
    entries = list(log)
    assert [e.seq for e in entries] == list(range(len(entries)))
    assert {e.decision.id for e in entries} == accepted
    assert len(entries) == 1 + 3 * 40
    assert log.verify().ok
    print(f"{conflicts} conflicts retried")
