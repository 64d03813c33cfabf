"""The commands that read or mend a stored log: verify, checkpoint, log, status, repair, tree."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, TextIO

import attrs

from govflow.cli._open import intact, load_lifecycle, open_log, written_under
from govflow.cli._roots import remedy_of, shown_url
from govflow.errors import (
    InvalidRecord,
    LogError,
    NoSuchBody,
    NotALog,
    ReplayMismatch,
    TamperedLog,
    Unreadable,
)
from govflow.events import EventLogger
from govflow.log.as_of import body_possibly, last_day
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.entry import Entry, Stored, entry_from_dict, genesis
from govflow.log.memory import Log
from govflow.log.merkle import node_count
from govflow.log.problem import problem_line
from govflow.log.verify import verify as verify_records
from govflow.log.where import READING
from govflow.model.when import When
from govflow.registry import Registry
from govflow.render import story
from govflow.render.text import explanation_lines, one_line, text_lines, timeline_lines
from govflow.rules.lifecycle import Lifecycle
from govflow.rules.prospects import explain
from govflow.stores import JsonlStore, Store
from govflow.stores._sidecar import regular
from govflow.stores._tree import batch_of
from govflow.stores._verifying import audited

if TYPE_CHECKING:
    from govflow.log.problem import Problem
    from govflow.model.body import Body
    from govflow.rules.explain import Explanation


def _progress(records: Iterable[Stored], total: int, verb: str) -> Iterator[Stored]:
    """``records``, with a count on standard error every 100,000 when it is a terminal."""
    if total < _PROGRESS_FROM or not sys.stderr.isatty():
        yield from records
        return
    for done, record in enumerate(records, 1):
        if done % _PROGRESS_FROM == 0:
            total = max(total, done)  # another writer appended since the log was counted
            sys.stderr.write(f"\r{verb} {done:,} of {total:,} entries")
            sys.stderr.flush()
        yield record
    sys.stderr.write("\r" + " " * 60 + "\r")


#: Logs shorter than this show no progress.
_PROGRESS_FROM = 100_000


def _problem(problem: Problem | None) -> dict[str, object] | None:
    return (
        None
        if problem is None
        else {"seq": problem.seq, "kind": problem.kind, "message": problem.message}
    )


def verify(
    url: str,
    checkpoints: Sequence[Checkpoint],
    tree_heads: Sequence[TreeHead],
    witnesses: Sequence[str],
    out: TextIO,
    *,
    as_json: bool = False,
) -> int:
    """Print whether the log is intact; 0 when it is, 1 when not.

    ``checkpoints`` were kept elsewhere (a history: verify names a rewrite from the
    last one the log matches); ``tree_heads``, signed ones already checked, must also
    have the Merkle root of the log's entries at their size. Who signed them (their
    log, and ``witnesses``, those whose co-signatures were checked) is said too.
    """
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        try:
            total = len(store)
        except TamperedLog:  # its head row and entries disagree: verify says where
            total = 0
        result = audited(
            store,
            [*checkpoints, *tree_heads],
            remedy=remedy_of(url),
            reading=lambda records: _progress(records, total, "verified"),
        )
        problem = _problem(result.problem)
        signers = {"signed_by": [h.origin for h in tree_heads], "witnessed_by": list(witnesses)}
        if as_json:
            report = {"ok": problem is None, "count": result.count, "head": result.head}
            signed = signers if tree_heads else {}
            out.write(json.dumps({**report, **signed, "problem": problem}, sort_keys=True) + "\n")
        elif problem is not None:
            out.write(problem_line(problem["seq"], problem["kind"], problem["message"]) + "\n")
        else:
            out.write(f"{result}\n")
            for head in tree_heads:
                by = f"; co-signed by {', '.join(witnesses)}" if witnesses else ""
                out.write(f"checkpoint of {head.size} entries signed by {head.origin}{by}\n")
        return 0 if problem is None else 1


def checkpoint(url: str, out: TextIO, *, as_json: bool = False) -> int:
    """Print the log's checkpoint as one line of JSON (the same with ``--json``).

    A checkpoint vouches for every entry before it: a log that does not verify gets none.
    """
    with open_log(url, read_only=True) as store:
        verified = intact(store, url, "no checkpoint is given")  # what it vouches for
        out.write(Checkpoint(verified.count, verified.head).to_json() + "\n")
    return 0


def log(
    url: str, out: TextIO, *, as_json: bool = False, check: bool = True, body: str | None = None
) -> int:
    """Print the timeline entry by entry as it is read; 1 at the first bad entry.

    Each entry is checked as it comes (its hash, its position, its link to the one
    before), unless ``check`` is false; the first that fails stops the timeline
    with exit 1, after every good entry before it was printed. With ``as_json``, each
    entry is printed as its stored canonical JSON, one per line. With ``body``, only
    that body's entries are printed (every entry is still checked); one no entry is
    about is :class:`Unreadable` (exit 2), naming the bodies the log holds.
    """
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        position, head = 0, genesis(store.fingerprint, store.schema)
        held: dict[str, None] = {}  # the bodies read, in order
        for record in _progress(store.stored(), len(store), "read"):
            if check:
                found = verify_records(
                    [record], store.fingerprint, schema=store.schema, after=(position, head)
                ).problem
                if found is not None:  # named as verify names it, seeing the whole log
                    whole = verify_records(store.stored(), store.fingerprint, schema=store.schema)
                    found = whole.problem or found
                    return _stopped(str(found))
            try:
                entry = _entry(record, position)
            except InvalidRecord as error:
                return _stopped(f"reading stopped at entry {position}: {error}")
            held.setdefault(entry.body, None)
            if body in (None, entry.body):
                out.write((record.text if as_json else "\n".join(timeline_lines([entry]))) + "\n")
            position, head = position + 1, entry.hash
        torn = getattr(store, "torn", None)
        if check and torn is not None:
            return _stopped(problem_line(position, "torn", torn))
        if body is not None and body not in held:
            raise Unreadable(str(NoSuchBody(body, list(held))))  # each id quoted, ten at most
        if position == 0 and not as_json:
            out.write("The log is empty.\n")
        return 0


def _entry(record: Stored, position: int) -> Entry:
    if not isinstance(record.data, dict):
        expected = "a JSON object"
        raise InvalidRecord(f"Entry #{position}", "(text)", expected, record.data, READING)
    return entry_from_dict(record.data)


def _stopped(message: str) -> int:
    sys.stderr.write(f"govflow log: {message}\n")
    return 1


def _replayed(lifecycle: Lifecycle, store: Log, logger: EventLogger) -> Registry:
    """A registry of the log at ``store``, replayed: a log that is wrong raises as it is.

    Raises:
        TamperedLog, ReplayMismatch: The log does not verify, or does not follow its
            lifecycle (exit 1).
        Unreadable: It cannot be read otherwise (exit 2).
    """
    try:
        return Registry(lifecycle, log=store, logger=logger)
    except (TamperedLog, ReplayMismatch):
        raise
    except (LogError, InvalidRecord) as error:
        raise Unreadable(str(error)) from None


def status(
    url: str,
    lifecycle: Lifecycle,
    as_of: dt.date | None,
    out: TextIO,
    logger: EventLogger,
    *,
    as_json: bool = False,
    technical: bool = False,
    terms: bool = False,
    all_steps: bool = False,
    named: str | None = None,
) -> int:
    """Print each body's state and blockers, now or as of a day.

    In plain words by default (``govflow.render.story``: certainty, what is awaited
    with the notes the log holds, dates); ``technical`` names triggers and states.
    The store is opened as it is, never created: a missing one cannot be read (2).
    """
    with open_log(url, read_only=True) as store:
        written_under(store, lifecycle, named, url)  # ``named``: as --lifecycle named it
        torn = getattr(store, "torn", None)  # never dropped silently: said, and shown before
        if torn is not None:
            sys.stderr.write(f"govflow status: warning: {torn} The entries before it are shown.\n")
        registry = _replayed(lifecycle, store, logger)
        entries = list(registry.entries())  # read once for every body, not once per body
        if not (as_json or technical):
            out.write("\n".join(_plain(lifecycle, entries, as_of, terms, all_steps)) + "\n")
            return 0
        mine: dict[str, list[Entry]] = {}  # each body's: its "as of" replay and its day
        for entry in entries:
            mine.setdefault(entry.body, []).append(entry)
        lines: list[str] = []
        reports: list[dict[str, object]] = []
        for body_id in registry.bodies:
            known = None if as_of is None else body_possibly(lifecycle, entries, body_id, as_of)
            body = registry.body(body_id) if known is None else known.certain
            uncertain = known is not None and len(known.possible) > 1
            if body is None:
                if uncertain:  # possibly proposed by then: say so
                    assert known is not None  # noqa: S101 - uncertain implies it
                    lines.append(f"{body_id}: {known}")
                    reports.append(
                        {
                            "id": body_id,
                            "state": None,
                            "possible_states": list(known.possible),
                            "deciding": [e.decision.id for e in known.deciding],
                        }
                    )
                continue
            # The plain story's day: by when its decisions were taken and notes written.
            explanation = explain(lifecycle, body, When.on(as_of or last_day(mine[body_id])))
            if as_json:
                report = _report(body, explanation)
                if known is not None:
                    report["possible_states"] = list(known.possible)
                    report["deciding"] = [e.decision.id for e in known.deciding]
                reports.append(report)
            else:
                label = f"The {body.terms.title} ({body.id})"
                lines.extend(explanation_lines(explanation, label=label))
                if uncertain:
                    lines.append(f"  {known}")
        if as_json:
            day = None if as_of is None else as_of.isoformat()
            out.write(json.dumps({"as_of": day, "bodies": reports}, sort_keys=True) + "\n")
        else:
            out.write("\n".join(lines) + "\n" if lines else "No body had been proposed.\n")
        return 0


def _plain(
    lifecycle: Lifecycle,
    entries: list[Entry],
    as_of: dt.date | None,
    terms: bool,  # noqa: FBT001 - flags from the parser
    all_steps: bool,  # noqa: FBT001
) -> list[str]:
    """Each body's standing in plain words, as of ``as_of`` or of its latest entry's date."""
    lines: list[str] = []
    by_body: dict[str, list[Entry]] = {}
    for entry in entries:
        by_body.setdefault(entry.body, []).append(entry)
    for body_id, mine in by_body.items():
        day = as_of or last_day(mine)
        proposal = mine[0].decision.terms
        known = body_possibly(lifecycle, mine, body_id, day)
        # Those in force on the day, not the first: an amendment may have renamed it.
        standing = known.certain.terms if known.certain is not None else proposal
        title = body_id if standing is None else f"The {standing.title} ({body_id})"
        title = one_line(title)  # a heading cannot drive the terminal either
        sections = list(story.standing(lifecycle, mine, known, all_steps=all_steps))
        if as_of is None:  # say which day it is, and how to ask of another
            said = f"{sections[0].title}, by when its decisions were all taken and notes written"
            said += " (--as-of: another day)"
            sections[0] = attrs.evolve(sections[0], title=said)
        if terms and standing is not None:
            sections.append(story.terms_section(standing))
        lines += [*([""] if lines else []), title, "", *text_lines(sections)]
    return lines or ["No body had been proposed."]


def _report(body: Body, explanation: Explanation) -> dict[str, object]:
    """A body's state and what can happen next, as plain data."""
    return {
        "id": body.id,
        "title": body.terms.title,
        "state": body.state,
        "terms_version": body.terms.version,
        "on": explanation.on.iso,
        "possible": list(explanation.possible),
        "blocked": {
            trigger: [
                {"code": r.code, "message": r.message, "params": dict(r.params)} for r in reasons
            ]
            for trigger, reasons in explanation.blocked.items()
        },
        "unratified": list(explanation.unratified),
    }


def repair(url: str, out: TextIO) -> int:
    """Cut a JSON Lines log's torn last line, saying what was cut."""
    with open_log(url) as store:
        if not isinstance(store, JsonlStore):
            raise Unreadable("only JSON Lines logs can have a torn line to repair")
        cut = store.repair()
        found = audited(store, None, remedy=remedy_of(url)).problem if cut is None else None
        if cut is None and found is not None:  # whole lines, and yet not the log's
            out.write(
                "nothing to repair: the last line is whole (repair mends only a last line a "
                f"crash cut short); the log does not verify: {found}\n"
            )
            return 1
        if cut is None:
            out.write("nothing to repair\n")
        elif cut.whole:
            out.write(f"ended line {cut.line} with its newline: it is entry {cut.line - 2}\n")
        else:
            out.write(f"cut line {cut.line} from byte {cut.offset}\n")
        return 0


def tree(url: str, out: TextIO, *, rebuild: bool) -> int:
    """Make and keep the Merkle nodes the store at ``url`` lacks (with ``rebuild``, all again).

    A log written before its store kept nodes, or whose node file was lost, has its
    tree made from every entry's hash by each proof a read-only command draws
    (``bundle``, ``witness``); once kept, a proof reads O(log n) nodes. What is kept is
    not looked through: ``govflow verify`` checks every node against the entries. Nodes
    kept past the log's end (read through to find them), or that are not its entries'
    (entries were cut from the log and others appended since), are left, and said,
    without ``rebuild``.
    """
    with open_log(url, read_only=True):  # a log there: none is made where there is none
        pass
    with open_log(url) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        count = len(store.tree(rebuild=rebuild))
        whole = batch_of(count)  # the leaves of whole batches: the store keeps theirs
        # Read again: a store that could not write (or a writer that came between) kept
        # none, and this tree makes more than the last batch's nodes from the entries.
        lacking = len(store.tree().made) - (node_count(count) - node_count(whole))
        past = next(islice(store.kept_nodes(), node_count(count), None), None) is not None
        # Nodes past the log's end, or not its entries' (none could be kept over them):
        # left, and said as verify says it.
        check = (past or lacking > 0) and not rebuild
        found = audited(store, None, remedy=remedy_of(url)).problem if check else None
    if found is not None and found.kind == "tree":
        raise Unreadable(
            f"the Merkle nodes kept with the log at {shown_url(url)} are left as they are, "
            f"evidence of what the log was: {found}"
        )
    nodes = store.tree_path if isinstance(store, JsonlStore) else None
    if lacking > 0 and nodes and os.path.lexists(nodes) and not regular(nodes):  # a link ...
        raise Unreadable(
            f"the Merkle nodes of {shown_url(url)} cannot be kept: {nodes} is not "
            "a file of its own (a link, a folder, or a file with another name too), which "
            "govflow leaves alone: move it away, then run the command again"
        )
    if lacking > 0:
        raise Unreadable(
            f"the Merkle nodes of {shown_url(url)} could not all be kept ({lacking} are "
            "still made from the entries on each read): can its files be written, or did "
            "another writer append meanwhile? Run the command again"
        )
    rest = "" if whole == count else f" (those of the last {count - whole} are made when read)"
    out.write(f"the store keeps the Merkle nodes of {whole} of the log's {count} entries{rest}\n")
    return 0


__all__ = ["NotALog", "Unreadable", "load_lifecycle", "open_log"]
