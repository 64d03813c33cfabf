"""One handle per kind of store, so that one contract suite runs against all of them.

Each handle opens its store by URL, and can reach under the store to change what is
kept at rest — as an intruder with access to the file or the database would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govflow import AuditLog, Decision, Kind, Log, Registry, Source, When
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import open_store

POSTGRES_URL = os.environ.get("GOVFLOW_TEST_POSTGRES_URL")
#: Why a PostgreSQL test is skipped without a server: one reason, said alike everywhere.
NO_SERVER = "no PostgreSQL server configured (set GOVFLOW_TEST_POSTGRES_URL)"
Mutate = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def noted(url: str, count: int) -> list[str]:
    """Note ``count`` things on the reference case's body (the demo's log); the log's hashes."""
    with open_store(url) as log:
        registry = Registry(partnership_lifecycle(authorities=spb.authorities()), log=log)
        day, source = When.on(dt.date(2013, 3, 1)), Source("notes")
        for n in range(len(log), len(log) + count):
            registry.apply(
                Decision(id=f"note{n}", body="spb", kind=Kind.NOTE, actor="LGA",
                         decided=day, source=source, reasons=("noted",))
            )  # fmt: skip
        return [entry.hash for entry in log]


def reference_with_notes(url: str, notes: Iterable[tuple[str, Source, str]]) -> None:
    """Write the reference case's log at ``url``, then a note for each (id, source, reason).

    The notes are dated the day of the case's last decision, by the LGA, on its body.
    """
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    with open_store(url, lifecycle.fingerprint) as log:
        registry = Registry(lifecycle, log=log)
        for decision in spb.decisions():
            registry.apply(decision)
        day = When.on(spb.decisions()[-1].decided.latest)
        for id_, source, reason in notes:
            registry.apply(
                Decision(id=id_, body="spb", kind=Kind.NOTE, actor="LGA", decided=day,
                         source=source, reasons=(reason,))
            )  # fmt: skip


def columns(
    position: int, data: dict[str, Any], text: str, taken: set[object]
) -> tuple[object, ...]:
    """A database row for ``data`` at ``position``, as a careful intruder would write it.

    The columns agree with the content, but for the order (``seq``, the position the
    intruder wants the entry read at) and unique values already taken (a repeated
    entry): those cannot agree, and verify names them.
    """

    def unique(value: str) -> str:
        found = value if value not in taken else f"{value}#{position}"
        taken.add(found)
        return found

    return (
        position,
        data["body"],
        unique(data["decision"]["id"]),
        data["prev"],
        unique(data["hash"]),
        data["schema"],
        text,
    )


class Handle:
    """A store under test: its URL, and a way to rewrite what it keeps."""

    kind: str

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.opened: list[Log] = []

    @property
    def url(self) -> str:
        raise NotImplementedError

    def open(self, fingerprint: str | None = None) -> Log:
        log = open_store(self.url, fingerprint)
        self.opened.append(log)
        return log

    def close(self) -> None:
        for log in self.opened:
            close = getattr(log, "close", None)
            if close is not None:
                close()

    def rewrite(self, mutate: Mutate) -> None:
        """Replace the stored entries' plain data with ``mutate`` of it."""
        raise NotImplementedError

    def cleanup(self) -> None:
        """Drop whatever the store left behind."""


class Memory(Handle):
    kind = "memory"

    def __init__(self, tmp: Path) -> None:
        super().__init__(tmp)
        self.log: AuditLog | None = None

    @property
    def url(self) -> str:
        return "memory:"

    def open(self, fingerprint: str | None = None) -> Log:
        if self.log is None:
            assert fingerprint is not None
            self.log = AuditLog(fingerprint)
        return self.log

    def rewrite(self, mutate: Mutate) -> None:
        from govflow.log import entry_from_dict, entry_to_dict  # noqa: PLC0415

        assert self.log is not None
        data = mutate([entry_to_dict(e) for e in self.log])
        rewritten = AuditLog(self.log.fingerprint, [entry_from_dict(d) for d in data])
        # In place, as a writer with access to the process's memory would.
        self.log._entries[:] = list(rewritten)


class Jsonl(Handle):
    kind = "jsonl"

    @property
    def url(self) -> str:
        return f"jsonl:///{self.tmp / 'log.jsonl'}"

    def rewrite(self, mutate: Mutate) -> None:
        path = self.tmp / "log.jsonl"
        head, *lines = path.read_text(encoding="utf-8").splitlines()
        data = mutate([json.loads(line) for line in lines])
        text = "".join(
            json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
            for d in data
        )
        path.write_text(head + "\n" + text, encoding="utf-8")


class Sqlite(Handle):
    kind = "sqlite"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.tmp / 'log.db'}"

    def rewrite(self, mutate: Mutate) -> None:
        db = sqlite3.connect(self.tmp / "log.db", isolation_level=None)
        rows = [
            json.loads(c) for (c,) in db.execute("SELECT content FROM govflow_entries ORDER BY seq")
        ]
        data = mutate(rows)
        taken: set[object] = set()
        db.execute("BEGIN")
        db.execute("DELETE FROM govflow_entries")
        for position, d in enumerate(data):
            text = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            db.execute(
                "INSERT INTO govflow_entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                columns(position, d, text, taken),
            )
        db.execute("COMMIT")
        db.close()


class Postgres(Handle):
    kind = "postgres"

    def __init__(self, tmp: Path) -> None:
        super().__init__(tmp)
        self.schema = f"t_{uuid.uuid4().hex[:12]}"

    @property
    def url(self) -> str:
        assert POSTGRES_URL is not None
        joiner = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{joiner}govflow_schema={self.schema}"

    def rewrite(self, mutate: Mutate) -> None:
        import psycopg  # noqa: PLC0415
        from psycopg import sql  # noqa: PLC0415

        assert POSTGRES_URL is not None
        table = sql.Identifier(self.schema, "govflow_entries")
        with psycopg.connect(POSTGRES_URL) as db:
            rows = [
                json.loads(c)
                for (c,) in db.execute(sql.SQL("SELECT content FROM {} ORDER BY seq").format(table))
            ]
            data = mutate(rows)
            taken: set[object] = set()
            db.execute(sql.SQL("DELETE FROM {}").format(table))
            for position, d in enumerate(data):
                text = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                db.execute(
                    sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s)").format(table),
                    columns(position, d, text, taken),
                )
            # An intruder who covers their tracks moves the head row to the rows' end
            # (``_sql`` in the tests leaves it behind, to be caught by the head row).
            last = data[-1].get("hash") if data and isinstance(data[-1], dict) else None
            db.execute(
                sql.SQL("UPDATE {} SET count = %s, hash = %s").format(
                    sql.Identifier(self.schema, "govflow_head")
                ),
                (len(data), last if isinstance(last, str) else "0" * 64),
            )

    def cleanup(self) -> None:
        import psycopg  # noqa: PLC0415
        from psycopg import sql  # noqa: PLC0415

        assert POSTGRES_URL is not None
        with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
            db.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema))
            )


KINDS: dict[str, type[Handle]] = {
    "memory": Memory,
    "jsonl": Jsonl,
    "sqlite": Sqlite,
    "postgres": Postgres,
}


def handle(kind: str, tmp: Path) -> Iterator[Handle]:
    if kind == "postgres" and POSTGRES_URL is None:
        pytest.skip(NO_SERVER)
    made = KINDS[kind](tmp)
    try:
        yield made
    finally:
        made.close()
        made.cleanup()
