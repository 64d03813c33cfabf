"""Tables as HTML and as Markdown, every cell escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Sequence

from govflow.display.plain import shown

#: Text reads from the left (notebooks align table cells right, as for numbers).
_LEFT = "text-align:left;vertical-align:top"
_HEAD = f"{_LEFT};border-bottom:1px solid #9ca3af"

#: Scrolls sideways inside its container rather than overflowing it.
_WRAP = '<div class="govflow" style="max-width:100%;overflow-x:auto">'


def cell(value: object) -> str:
    """A value as one line of text: ``None`` is empty, line breaks become spaces.

    Control characters and bidirectional controls (which reorder what follows them) are
    shown as ``?``, as in a terminal.
    """
    return "" if value is None else " ".join(shown(str(value)).split())


def html_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str = "",
    dates: Collection[str] = (),
) -> str:
    """An HTML table of ``rows`` under ``columns``, with a caption line above it.

    In the columns named in ``dates``, a date never breaks across lines (at its
    hyphens); a span of two dates, ``2012-07-04/2013-02-13``, may break after the slash.
    """
    head = "".join(f'<th style="{_HEAD}">{html.escape(c)}</th>' for c in columns)
    kept = [c in dates for c in columns]
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="{_LEFT}">{_dated(cell(v)) if date else html.escape(cell(v))}</td>'
            for date, v in zip(kept, row, strict=False)
        )
        + "</tr>"
        for row in rows
    )
    title = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    return f"{_WRAP}{title}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def _dated(text: str) -> str:
    """Each ``/``-separated part of ``text`` kept whole, a break allowed after each ``/``."""
    parts = [f'<span style="white-space:nowrap">{html.escape(p)}</span>' for p in text.split("/")]
    return "/<wbr/>".join(parts)


def markdown_table(
    columns: Sequence[str], rows: Iterable[Sequence[object]], *, caption: str = ""
) -> str:
    """A Markdown (GitHub) table of ``rows`` under ``columns``, with a caption line.

    Cells are escaped for Markdown (``|``, a backslash, the brackets of a link, and the
    marks of emphasis, code and strike-through, so that a value cannot become one) and
    for the HTML it passes through.
    """

    def md(value: object) -> str:  # Markdown passes HTML through: escape it too
        text = html.escape(cell(value), quote=False)
        return re.sub(r"([\\|\[\]`*_~])", r"\\\1", text)

    lines = [f"**{md(caption)}**", ""] if caption else []
    lines.append("| " + " | ".join(md(c) for c in columns) + " |")
    lines.append("|" + "---|" * len(columns))
    lines += ["| " + " | ".join(md(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
