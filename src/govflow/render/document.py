"""A body's case file as one document, in Markdown or in self-contained HTML.

The document is the plain story of :mod:`govflow.render.story`: the body's terms,
where it stands (with its certainty), what is awaited and from whom, the dates, the
whole record with its sources, and the verification of the log. Both formats are
written from the same sections, so they say the same thing; the HTML loads nothing
from elsewhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from govflow.log.entry import Entry
from govflow.log.verify import Verification
from govflow.render import story
from govflow.rules.lifecycle import Lifecycle

if TYPE_CHECKING:
    from govflow.log.replay import AsOf

FORMATS = ("markdown", "html")

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
    parts.append(
        story.Section(
            f"The record ({len(mine)} entries, in the order recorded)",
            story.timeline(mine, terms),
        )
    )
    intact = "intact" if verification.ok else "NOT intact"
    checked = [
        f"The log's {verification.count} entries were checked: {intact}.",
        f"Head hash: {verification.head}",
    ]
    if verification.problem is not None:
        checked.append(f"First problem: {verification.problem.message}")
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
    one_line = " ".join(text.split())  # a line break in a text would start a new block
    inline = re.sub(r"([\\`*_~\[\]<>|&])", r"\\\1", one_line)
    # What would open a block at the start of a line: a heading, a list, a quote, a rule.
    inline = re.sub(r"^(\d+)([.)])", r"\1\\\2", inline)
    return re.sub(r"^([-+#=~!])", r"\\\1", inline)


def html_document(title: str, preamble: str, parts: Sequence[story.Section]) -> str:
    """The sections as one self-contained HTML page."""
    e = html.escape
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
