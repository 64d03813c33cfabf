"""``govflow report``: a body's whole record as one document to attach to a committee paper."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from govflow.cli._open import (
    intact_entries,
    names_no_file,
    open_log,
    replace_whole,
    written_under,
)
from govflow.errors import NoSuchBody, Unreadable
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.entry import Entry
from govflow.log.problem import problem_line
from govflow.render import document, records
from govflow.rules.lifecycle import Lifecycle
from govflow.stores import Store
from govflow.stores._paths import kept_beside


def report(
    url: str,
    lifecycle: Lifecycle,
    out: TextIO,
    *,
    body: str | None = None,
    as_of: dt.date | None = None,
    form: str = "markdown",
    output: str | None = None,
    named: str | None = None,
    kept: Sequence[Checkpoint | TreeHead] = (),
) -> int:
    """Write ``body``'s case file from the log at ``url``; 0 when written, 1 when the log is bad.

    The log is verified first (held to ``kept``, checkpoints kept elsewhere): a log that
    does not verify gets no case file, only the first problem (exit 1).

    Raises:
        Unreadable: The store cannot be read, holds no such body, or ``output`` cannot
            be written.
    """
    if output == "-":  # standard output, as tools take "-"
        output = None
    if output is not None and names_no_file(output):
        raise Unreadable(f"{output!r} names no file; give one such as report.md")
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        written_under(store, lifecycle, named, url)  # ``named``: as --lifecycle named it
        own = getattr(store, "path", None)
        if output is not None and own is not None:
            _not_the_log(Path(output), own)
        # As `govflow verify` checks it: the stored text and the columns beside it; the
        # entries are those it checked, not read again.
        checked, entries = store.read_verified(list(kept))
        problem = checked.problem
        told = None if problem is None else str(problem)
        torn = getattr(store, "torn", None)
        if told is None and torn is not None:
            told = problem_line(checked.count, "torn", torn)
        if told is not None:
            sys.stderr.write(f"govflow report: no report: the log does not verify: {told}\n")
            return 1
    bodies = list(dict.fromkeys(e.body for e in entries))
    if body is None and len(bodies) != 1:
        listed = ", ".join(bodies) if bodies else "none"
        raise Unreadable(f"name the body to report on with --body (the log holds: {listed})")
    if body is not None and body not in bodies:
        raise Unreadable(str(NoSuchBody(body, bodies)))  # each id quoted, ten at most
    # The entries `read_verified` gave, verified again as they are (no second read).
    text = document.case_file(
        lifecycle, entries, body, as_of=as_of, form=form, where=url, checkpoint=list(kept)
    )
    if output is None:
        out.write(text)
        return 0
    written = Path(output)
    # Written beside its place and moved there whole: a failed write leaves what was there.
    # Through a link, to the file it names; a device or a pipe, or a name of the system's
    # for an open file (``/dev/stdout``, which a shell may have opened to append), is
    # written through the name given, appending: it is not replaced, nor cut short.
    try:
        if str(written).startswith(("/dev/", "/proc/")) or (
            written.exists() and not written.is_file()
        ):
            with written.open("a", encoding="utf-8") as stream:
                stream.write(text)
            return 0
        replace_whole(_target(written), text)
    except OSError as error:
        raise Unreadable(f"cannot write the report to {output}: {error.strerror}") from None
    return 0


def _target(output: Path) -> Path:
    """The file ``output`` names: through a link, the file it names."""
    try:
        target = output.resolve() if output.is_symlink() else output
    except (RuntimeError, OSError):  # a loop of links, before Python 3.13
        target = output
    if target.is_symlink():  # still a link: one of a loop (Python 3.13 resolves to it)
        raise Unreadable(f"{output} is a link in a loop of links: name a file")
    return target


def _not_the_log(output: Path, log: Path) -> None:
    """Refuse an ``output`` that names the log's own file or one its store keeps beside it.

    Raises:
        Unreadable: It does; the message names the file.
    """
    if _same(output, log):
        raise Unreadable(f"the report would overwrite the log itself ({log}): name another file")
    for kept in (*kept_beside(log), *kept_beside(_target(log))):  # a store opened by a link
        if _same(output, kept):
            raise Unreadable(
                f"the report would overwrite {output}, a file the log's store keeps beside it: "
                "name another file"
            )


def _same(output: Path, file: Path) -> bool:
    """Whether ``output`` names ``file`` (there or not)."""
    try:
        return output.resolve() == file.resolve() or (output.exists() and output.samefile(file))
    except (RuntimeError, OSError):  # a loop of links names no file
        return False


def _verified_entries(
    store: Store, url: str, kept: Sequence[Checkpoint | TreeHead] = ()
) -> list[Entry]:
    return intact_entries(store, url, "nothing is exported", kept)[1]


def prov(url: str, body: str, out: TextIO, *, kept: Sequence[Checkpoint | TreeHead] = ()) -> int:
    """Print ``body``'s record as a W3C PROV-JSON document, from a log held to ``kept``."""
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        entries = _verified_entries(store, url, kept)
    if not any(e.body == body for e in entries):
        raise Unreadable(f"{url} holds no body {body!r}")
    out.write(json.dumps(records.prov_json(entries, body), indent=2, ensure_ascii=False) + "\n")
    return 0


def notice(
    url: str, decision_id: str, out: TextIO, *, kept: Sequence[Checkpoint | TreeHead] = ()
) -> int:
    """Print the decision notice, in Markdown, of ``decision_id``, from a log held to ``kept``."""
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        entries = _verified_entries(store, url, kept)
    if not any(e.decision.id == decision_id for e in entries):
        raise Unreadable(f"no entry of {url} records a decision {decision_id!r}")
    out.write(records.decision_notice(entries, decision_id))
    return 0
