"""A body's case file as one document, in Markdown or in self-contained HTML.

:func:`case_file` writes it, as ``govflow report`` does. The document is the plain story
of :mod:`govflow.render.story`: the body's terms,
where it stands (with its certainty), what is awaited and from whom, the dates, the
whole record with its sources, and the verification of the log. Both formats are
written from the same sections, so they say the same thing; the HTML loads nothing
from elsewhere.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from govflow.display.plain import shown
from govflow.errors import (
    ARGUMENT,
    InvalidRecord,
    LifecycleMismatch,
    NoSuchBody,
    TamperedLog,
    TornLog,
    require,
    unsecret,
)
from govflow.log.checkpoint import Checkpoint, TreeHead
from govflow.log.entry import SCHEMA_VERSION, Entry
from govflow.log.problem import Verification
from govflow.log.verify import verify
from govflow.model.arguments import iterated
from govflow.render import story
from govflow.render.words import day, entry_count
from govflow.rules.lifecycle import Lifecycle

if TYPE_CHECKING:
    from govflow.log.as_of import AsOf

FORMATS = ("markdown", "html")
Kept = Checkpoint | TreeHead  # one checkpoint kept elsewhere

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45;color:#1b1b1b}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;"
    "border-bottom:1px solid #ccc}ul{padding-left:1.2rem}li{margin:.35rem 0}"
    ".details{color:#444;font-size:.95em}.depth2{margin-left:1.2rem;list-style:circle}"
)


def sections(
    lifecycle: Lifecycle,
    entries: Sequence[Entry],
    known: AsOf,
    verification: Verification,
    held: Sequence[Checkpoint | TreeHead] = (),
) -> tuple[story.Section, ...]:
    """The case file's sections for a body: terms, standing, the record, the verification.

    ``known`` is what is certain and possible about the body on the day the file is
    as of (:func:`govflow.log.body_possibly`).
    """
    mine = [e for e in entries if e.body == known.body]
    terms = mine[0].decision.terms if mine else None
    # The terms in force on the day (an amendment's, once certainly taken), not the first.
    standing = known.certain.terms if known.certain is not None else terms
    parts = [story.terms_section(standing)] if standing is not None else []
    parts += story.standing(lifecycle, entries, known)
    # The decisions certainly taken after the day stand apart: the file is as of it.
    later = [e for e in mine if e.decision.decided.earliest > known.day]
    until = [e for e in mine if e.decision.decided.earliest <= known.day]
    parts.append(
        story.Section(
            f"The record ({entry_count(len(until))}, in the order recorded)",
            story.timeline(until, terms),
        )
    )
    if later:
        after = day(known.day)
        parts.append(
            story.Section(
                f"Recorded since, taken after {after} ({entry_count(len(later))})",
                story.timeline(later, terms),
            )
        )
    intact = "intact" if verification.ok else "NOT intact"
    were = "was" if verification.count == 1 else "were"
    checked = [
        f"The log's {entry_count(verification.count)} {were} checked: {intact}.",
        f"Head hash: {verification.head}",
    ]
    if verification.problem is not None:
        checked.append(f"First problem: {verification.problem.message}")
    for kept in held if verification.ok else ():  # what the log was held to, and it held
        said = entry_count(kept.count) if isinstance(kept, Checkpoint) else entry_count(kept.size)
        if isinstance(kept, TreeHead):
            said += f", signed by {kept.origin} (its Merkle root checked)"
        checked.append(f"Held to a checkpoint of {said}: head {kept.head[:16]}…")
    parts.append(
        story.Section("Verification of the log", (story.Item(checked[0], tuple(checked[1:])),))
    )
    return tuple(parts)


def markdown(title: str, preamble: str, parts: Sequence[story.Section]) -> str:
    """The sections as a Markdown document."""
    lines = [f"# {escaped(title)}", "", escaped(preamble)]
    for section in parts:
        lines += ["", f"## {escaped(section.title)}", ""]
        for item in section.items:
            lines.append(f"- {escaped(item.text)}")
            lines.extend(
                f"{'  ' * _depth(detail)}- {escaped(detail.strip().removeprefix('- '))}"
                for detail in item.details
            )
    return "\n".join(lines) + "\n"


def _depth(detail: str) -> int:
    """A detail's list depth: 1, or 2 for one indented under the detail before it."""
    return 2 if detail.startswith("  ") else 1


def escaped(text: str) -> str:
    """``text`` with the characters Markdown would read as markup escaped."""
    # A line break would start a new block; a bidirectional control reorder the line.
    one_line = " ".join(shown(text).split())
    inline = re.sub(r"([\\`*_~\[\]<>|&])", r"\\\1", one_line)
    # What would open a block at the start of a line: a heading, a list, a quote, a rule.
    inline = re.sub(r"^(\d+)([.)])", r"\1\\\2", inline)
    # What would close a heading: a run of '#' at the end ("spb-1 #"), each escaped.
    inline = re.sub(r"#(?=#*$)", r"\\#", inline)
    return re.sub(r"^([-+#=~!])", r"\\\1", inline)


def html_document(title: str, preamble: str, parts: Sequence[story.Section]) -> str:
    """The sections as one self-contained HTML page."""

    def e(text: str) -> str:  # a bidirectional control would reorder what follows it
        return html.escape(shown(text))

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{e(preamble)}</p>",
    ]
    for section in parts:
        out += [f"<h2>{e(section.title)}</h2>", "<ul>"]
        for item in section.items:
            details = "".join(
                f'<li class="depth{_depth(d)}">{e(d.strip().removeprefix("- "))}</li>'
                for d in item.details
            )
            nested = f'<ul class="details">{details}</ul>' if details else ""
            out.append(f"<li>{e(item.text)}{nested}</li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def case_file(
    lifecycle: Lifecycle,
    entries: Iterable[Entry],
    body: str | None = None,
    *,
    as_of: dt.date | None = None,
    form: str = "markdown",
    where: str | None = None,
    checkpoint: Checkpoint | TreeHead | Sequence[Checkpoint | TreeHead] | None = None,
) -> str:
    """A body's case file, as ``govflow report`` writes it: Markdown, or HTML loading nothing.

    Args:
        lifecycle: The lifecycle the log was written under.
        entries: The log's entries, in order (an ``AuditLog``, a store, or a list).
        body: The body's id; ``None`` when the log holds one body only.
        as_of: The day the file is as of; by default the last day of the body's latest
            decision (notes aside).
        form: ``"markdown"`` or ``"html"``.
        where: Where the log is kept, as the preamble names it (a path or a URL; a
            password in it is shown as ``***``).
        checkpoint: Checkpoints or signed tree heads kept elsewhere, as
            :func:`govflow.log.verify` takes them: the entries must hold to them, and
            the verification section says so.

    Raises:
        InvalidRecord: An argument is not of its kind, or no body is named and the log
            holds more than one.
        NoSuchBody: No entry is about ``body``.
        LifecycleMismatch: ``entries`` is a log or a store written under another lifecycle.
        TamperedLog: The entries do not verify: no case file is made of them.
        TornLog: ``entries`` is a JSON Lines store that ends in a torn line.
    """
    # On first use: at the top, replay would deepen the import graph past its bound.
    from govflow.log.as_of import body_possibly, last_day  # noqa: PLC0415

    fits = isinstance(lifecycle, Lifecycle)
    require(fits, "case_file", "lifecycle", "a Lifecycle", lifecycle)
    require(form in FORMATS, "case_file", "form", "'markdown' or 'html'", form)
    fits = as_of is None or type(as_of) is dt.date
    require(fits, "case_file", "as_of", "None or a datetime.date", as_of)
    require(where is None or type(where) is str, "case_file", "where", "None or a text", where)
    recorded = getattr(entries, "fingerprint", None)  # a log's or a store's header
    if type(recorded) is str and recorded not in lifecycle.fingerprints:
        raise LifecycleMismatch(recorded, lifecycle.fingerprint)
    store, read_verified, checked = entries, getattr(entries, "read_verified", None), None
    if callable(read_verified):  # a store, read as `govflow verify` reads it
        checked, entries = read_verified(checkpoint)
        if isinstance(torn := getattr(store, "torn", None), TornLog):  # read with the entries
            raise torn
    log = list(iterated(entries, "case_file", "entries", "a log's entries"))
    require(all(type(e) is Entry for e in log), "case_file", "entries", "Entry records", entries)
    checked = _verified(lifecycle, log, checkpoint) if checked is None else checked
    if checked.problem is not None:
        problem = checked.problem
        raise TamperedLog(problem.seq, problem.kind, problem.message)
    bodies = list(dict.fromkeys(e.body for e in log))
    require(
        body is None or type(body) is str, "case_file", "body", "None or a body id (a text)", body
    )
    if type(body) is str and body not in bodies:  # as prov_json and Registry.body say it
        raise NoSuchBody(body, bodies)
    if body not in bodies and not (body is None and len(bodies) == 1):
        held = ", ".join(map(repr, bodies)) or "none"
        wanted = f"{'None or ' if len(bodies) == 1 else ''}a body the log holds ({held})"
        raise InvalidRecord("case_file", "body", wanted, body, ARGUMENT)
    named = bodies[0] if body is None else body
    mine = [e for e in log if e.body == named]
    when = as_of or last_day(mine)
    known = body_possibly(lifecycle, mine, named, when)
    # Named by its terms in force on the day (an amendment may have renamed it).
    terms = mine[0].decision.terms if known.certain is None else known.certain.terms
    name = terms.title if terms else named
    title = f"{name[:1].upper()}{name[1:]}: case file"
    kept = "the audit log" if where is None else f"the audit log at {unsecret(where)}"
    preamble = (
        f"The record of {named!r} as {kept} holds it, as of {day(when)}. "
        "Dates are as precise as the sources allow; a span means some day within it."
    )
    given = (
        () if checkpoint is None else (checkpoint,) if isinstance(checkpoint, Kept) else checkpoint
    )
    parts = sections(lifecycle, mine, known, checked, given)
    return (
        markdown(title, preamble, parts)
        if form == "markdown"
        else html_document(title, preamble, parts)
    )


def _verified(lifecycle: Lifecycle, log: Sequence[Entry], checkpoint: object) -> Verification:
    """The entries verified under the first of the lifecycle's fingerprints they verify under."""
    schema = log[0].schema if log else SCHEMA_VERSION
    found = [
        verify(log, fingerprint, checkpoint, schema=schema)  # type: ignore[arg-type]
        for fingerprint in lifecycle.fingerprints
    ]
    return next((v for v in found if v.ok), found[0])
