"""``govflow report``: a body's whole record as one document to attach to a committee paper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

from govflow.cli._open import Unreadable, open_log
from govflow.log.replay import body_possibly
from govflow.log.verify import verify as verify_records
from govflow.render import document
from govflow.render.story import day
from govflow.rules.lifecycle import Lifecycle
from govflow.stores import Store


def report(
    url: str,
    lifecycle: Lifecycle,
    out: TextIO,
    *,
    body: str | None = None,
    as_of: dt.date | None = None,
    form: str = "markdown",
    output: Path | None = None,
) -> int:
    """Write ``body``'s case file from the log at ``url``; 0 when written, 1 when the log is bad.

    The log is verified first: a log that does not verify gets no case file, only
    the first problem (exit 1).

    Raises:
        Unreadable: The store cannot be read, holds no such body, or ``output`` cannot
            be written.
    """
    with open_log(url, read_only=True) as store:
        if not isinstance(store, Store):  # pragma: no cover - the command line opens stores
            raise Unreadable(f"{url} is not a stored log")
        entries = list(store)
        checked = verify_records(entries, store.fingerprint, schema=store.schema)
    if checked.problem is not None:
        out.write(f"no report: the log does not verify: entry {checked.problem.seq}: ")
        out.write(f"{checked.problem.kind}: {checked.problem.message}\n")
        return 1
    bodies = list(dict.fromkeys(e.body for e in entries))
    if body is None:
        if len(bodies) != 1:
            listed = ", ".join(bodies) if bodies else "none"
            raise Unreadable(f"name the body to report on with --body (the log holds: {listed})")
        body = bodies[0]
    if body not in bodies:
        raise Unreadable(f"the log holds no body {body!r} (it holds: {', '.join(bodies)})")
    mine = [e for e in entries if e.body == body]
    when = as_of or max(e.decision.decided.latest for e in mine)
    terms = mine[0].decision.terms
    name = terms.title if terms else body
    title = f"{name[:1].upper()}{name[1:]}: case file"
    preamble = (
        f"The record of {body!r} as the audit log at {url} holds it, as of {day(when)}. "
        "Dates are as precise as the sources allow; a span means some day within it."
    )
    known = body_possibly(lifecycle, entries, body, when)
    parts = document.sections(lifecycle, entries, known, checked)
    text = (
        document.markdown(title, preamble, parts)
        if form == "markdown"
        else document.html_document(title, preamble, parts)
    )
    if output is None:
        out.write(text)
        return 0
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise Unreadable(f"cannot write the report to {output}: {error.strerror}") from None
    return 0
