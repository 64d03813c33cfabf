"""Logs of every entry schema read, verify and replay with the same hashes.

The files in ``tests/fixtures/schema1`` were written once by ``make.py`` beside them, by
release 0.1.0 before the redesign; those in ``schema2`` and ``schema3`` once by
``tests/fixtures/later.py``. None is ever rewritten: each store kind (JSON Lines,
SQLite, a PostgreSQL dump) must give back every entry with the hash ``hashes.txt``
lists, under the lifecycle fingerprint it lists, and writing the entries again must give
the same bytes. A field added to a schema already written (not under a new schema)
fails here: that schema's logs no longer read.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from govflow import replay
from govflow.log import SCHEMA_VERSION
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, SqliteStore, copy_log, open_store

from .stores import NO_SERVER, POSTGRES_URL

ROOT = Path(__file__).parent / "fixtures"
#: Each log: its schema's folder, and its name.
NAMES = [(f"schema{schema}", name) for schema in (1, 2, 3, 4) for name in ("spb", "kinds")]


def listed(folder: str, name: str) -> tuple[str, list[str]]:
    """The fingerprint and the entries' hashes ``hashes.txt`` lists for log ``name``."""
    fingerprint, hashes = "", []
    for line in (ROOT / folder / "hashes.txt").read_text(encoding="utf-8").splitlines():
        log, what, value = line.split(" ")
        if log != name:
            continue
        if what == "lifecycle":
            fingerprint = value
        else:
            assert int(what) == len(hashes)
            hashes.append(value)
    return fingerprint, hashes


def test_the_reference_lifecycle_keeps_its_fingerprint() -> None:
    for folder, name in NAMES:
        fingerprint, _ = listed(folder, name)
        assert partnership_lifecycle(authorities=spb.authorities()).fingerprint == fingerprint


def check(log: object, folder: str, name: str) -> None:
    """The log verifies and replays, with the listed fingerprint, schema and hashes."""
    fingerprint, hashes = listed(folder, name)
    assert log.fingerprint == fingerprint  # type: ignore[attr-defined]
    assert f"schema{log.schema}" == folder  # type: ignore[attr-defined]
    entries = list(log)  # type: ignore[call-overload]
    assert [e.hash for e in entries] == hashes
    assert [e.seq for e in entries] == list(range(len(hashes)))
    verification = log.verify()  # type: ignore[attr-defined]
    assert verification.ok, str(verification)
    assert verification.count == len(hashes)
    assert verification.head == hashes[-1]
    bodies = replay(partnership_lifecycle(authorities=spb.authorities()), entries)
    assert set(bodies) == {"spb"}


@pytest.mark.parametrize(("folder", "name"), NAMES)
def test_a_json_lines_log_reads_verifies_and_writes_back_byte_for_byte(
    folder: str, name: str, tmp_path: Path
) -> None:
    kept = ROOT / folder / f"{name}.jsonl"
    source = tmp_path / "source.jsonl"
    shutil.copy(kept, source)
    with JsonlStore(source) as log:
        check(log, folder, name)
        with JsonlStore(tmp_path / "again.jsonl", log.fingerprint, schema=log.schema) as again:
            assert copy_log(log, again) == len(listed(folder, name)[1])
    assert (tmp_path / "again.jsonl").read_bytes() == kept.read_bytes()
    assert source.read_bytes() == kept.read_bytes()  # nothing changed


@pytest.mark.parametrize(("folder", "name"), NAMES)
def test_a_sqlite_log_reads_verifies_and_keeps_the_same_text(
    folder: str, name: str, tmp_path: Path
) -> None:
    source = tmp_path / "source.db"
    shutil.copy(ROOT / folder / f"{name}.db", source)
    with SqliteStore(source) as log:
        check(log, folder, name)
        with SqliteStore(tmp_path / "again.db", log.fingerprint, schema=log.schema) as again:
            copy_log(log, again)
    lines = (ROOT / folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    for db in (source, tmp_path / "again.db"):
        connection = sqlite3.connect(db)
        try:
            rows = connection.execute(
                "SELECT seq, hash, content FROM govflow_entries ORDER BY seq"
            ).fetchall()
        finally:
            connection.close()
        assert [r[2] for r in rows] == lines
        assert [r[1] for r in rows] == listed(folder, name)[1]


@pytest.mark.postgres
@pytest.mark.skipif(POSTGRES_URL is None, reason=NO_SERVER)
@pytest.mark.parametrize(("folder", "name"), NAMES)
def test_a_postgres_dump_restores_reads_and_verifies(folder: str, name: str) -> None:
    import psycopg  # noqa: PLC0415 - only with a server

    assert POSTGRES_URL is not None
    schema = f"fixture_{uuid.uuid4().hex[:12]}"
    text = (ROOT / folder / f"{name}-postgres.sql").read_text(encoding="utf-8")
    # pg_dump's psql meta-commands (\\restrict) are for psql; the server takes the rest.
    dump = "\n".join(line for line in text.splitlines() if not line.startswith("\\"))
    with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
        db.execute(dump.replace(f"fixture_{name}", schema).encode())  # type: ignore[call-overload]
    try:
        with open_store(f"{POSTGRES_URL}?govflow_schema={schema}") as log:  # type: ignore[attr-defined]
            check(log, folder, name)
            lines = (ROOT / folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[1:]
            assert [str(r) for r in log._rows()] == lines
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
            db.execute(f"DROP SCHEMA {schema} CASCADE".encode())  # type: ignore[call-overload]


def test_the_newest_schema_s_reference_log_is_the_one_the_demo_records() -> None:
    # Two sources for one hash: the fixture written by tests/fixtures/later.py, and the
    # head the golden demo output prints after the reports' 26 entries.
    golden = (Path(__file__).parent / "golden" / "demo.txt").read_text(encoding="utf-8")
    head = golden.split("verified intact, head ")[-1].split()[0]
    _, hashes = listed(f"schema{SCHEMA_VERSION}", "spb")
    assert hashes[25].startswith(head)


def test_every_schema_this_release_reads_has_its_fixture_logs() -> None:
    # A schema added without its logs written (tests/fixtures/later.py) is not pinned.
    from govflow.log.codec import SCHEMAS  # noqa: PLC0415

    folders = sorted(p.name for p in ROOT.iterdir() if p.is_dir())
    assert folders == [f"schema{schema}" for schema in SCHEMAS]
    assert sorted({folder for folder, _ in NAMES}) == folders
