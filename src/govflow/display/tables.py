"""Tables as HTML and as Markdown, every cell escaped."""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable, Sequence

#: Text reads from the left (notebooks align table cells right, as for numbers).
_LEFT = "text-align:left;vertical-align:top"
_HEAD = f"{_LEFT};border-bottom:1px solid #9ca3af"

#: Scrolls sideways inside its container rather than overflowing it.
_WRAP = '<div class="govflow" style="max-width:100%;overflow-x:auto">'


def cell(value: object) -> str:
    """A value as one line of text: ``None`` is empty, line breaks become spaces."""
    return "" if value is None else " ".join(str(value).split())


def html_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str = "",
    nowrap: Collection[str] = (),
) -> str:
    """An HTML table of ``rows`` under ``columns``, with a caption line above it.

    The cells of the columns named in ``nowrap`` (dates, say) are kept on one line.
    """
    styles = [
        f'style="{_LEFT};white-space:nowrap"' if c in nowrap else f'style="{_LEFT}"'
        for c in columns
    ]
    head = "".join(f'<th style="{_HEAD}">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td {style}>{html.escape(cell(v))}</td>"
            for style, v in zip(styles, row, strict=False)
        )
        + "</tr>"
        for row in rows
    )
    title = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    return f"{_WRAP}{title}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def markdown_table(
    columns: Sequence[str], rows: Iterable[Sequence[object]], *, caption: str = ""
) -> str:
    """A Markdown (GitHub) table of ``rows`` under ``columns``, with a caption line.

    Cells are escaped for Markdown (``|``, a backslash) and for the HTML it passes through.
    """

    def md(value: object) -> str:  # Markdown passes HTML through: escape it too
        text = html.escape(cell(value), quote=False)
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = [f"**{md(caption)}**", ""] if caption else []
    lines.append("| " + " | ".join(md(c) for c in columns) + " |")
    lines.append("|" + "---|" * len(columns))
    lines += ["| " + " | ".join(md(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
