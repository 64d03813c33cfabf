"""A body's history as a timeline picture: state bands over time, decisions by actor.

Drawn with matplotlib (the ``plot`` extra: ``pip install 'govflow[plot]'``) into SVG
that holds its text as text and loads nothing, for notebooks and for reports. What it
shows:

* one row for each state the body was in: a band from the decision that moved it
  there to the one that moved it on, solid where certain and pale where the record
  dates the move only to a span (a decision known to "July 2012 to February 2013"
  could have moved it on any day of it);
* one row for each actor: a decision dated to a day is a dot, one dated only to a
  month, a year or a span is a bar over that span, never a point; colours are kinds;
* each hoped-for date (a ``target`` decision) as an open diamond, or an open bar for a
  month or a span, on the row of the state hoped for.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from collections.abc import Iterable, Sequence
from math import nan
from typing import Any

import attrs

from govflow.display.diagram import one_line
from govflow.errors import InvalidRecord, MissingExtra, NoSuchBody
from govflow.log.entry import Entry
from govflow.model.decision import Target
from govflow.model.kind import Kind
from govflow.model.terms import MAX_TEXT

#: Colours for kinds: matplotlib's "tab10" without its grey, which notes take, and with
#: its blue, close to the states' bands, last;
_PALETTE = (
    "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf",
    "#1f77b4",
    # then "tab20"'s lighter ones: eighteen kinds before a colour is used again
    "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
    "#aec7e8",
)  # fmt: skip
_GREY = "#9ca3af"


@attrs.frozen(repr=False)
class Drawing:
    """A picture as SVG text: shows itself in a notebook, and ``str()`` gives the SVG.

    Attributes:
        svg: The SVG document.
        title: What it shows.
    """

    svg: str
    title: str

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Drawing {self.title!r}: {len(self.svg)} characters of SVG>"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return {"image/svg+xml": self.svg, "text/plain": repr(self)}


@attrs.frozen
class _Band:
    state: str
    entered: tuple[dt.date, dt.date]  # the span of the decision that moved it there
    left: tuple[dt.date, dt.date] | None  # that of the one that moved it on, if any


def _bands(entries: Sequence[Entry]) -> list[_Band]:
    moves = [e for e in entries if e.before is None or e.before != e.after]
    return [
        _Band(
            e.after,
            (e.decision.decided.earliest, e.decision.decided.latest),
            None
            if n + 1 == len(moves)
            else (moves[n + 1].decision.decided.earliest, moves[n + 1].decision.decided.latest),
        )
        for n, e in enumerate(moves)
    ]


def _text(text: str, most: int | None = None) -> str:
    """``text`` as matplotlib draws it literally: one line, XML-safe, no ``$`` math.

    With ``most``, cut to that many characters (an axis label longer than the picture
    is wide leaves no room to draw in).
    """
    line = one_line(text)
    if most is not None and len(line) > most:
        line = line[: most - 1].rstrip() + "\u2026"
    return line.replace("$", "\\$")


#: The last day a timeline draws: matplotlib's calendar ends with year 9999, and a
#: picture needs room after its last day.
LAST_DAY = dt.date(9990, 12, 31)


def _lanes(entries: Sequence[Entry]) -> dict[int, int]:
    """A lane for each decision within its actor's row, so that no two marks overlap."""
    lane: dict[int, int] = {}
    ends: dict[str, list[dt.date]] = {}  # each actor's lanes: where each is taken until
    for e in sorted(entries, key=lambda e: (e.decision.decided.earliest, e.seq)):
        taken = ends.setdefault(e.decision.actor, [])
        d = e.decision.decided
        free = next((n for n, until in enumerate(taken) if until < d.earliest), len(taken))
        if free == len(taken):
            taken.append(d.latest)
        taken[free] = d.latest + dt.timedelta(days=6)  # room for a dot's width
        lane[e.seq] = free
    return lane


def _pyplot_free() -> Any:  # noqa: ANN401 - matplotlib's modules, an optional extra
    try:
        figure = importlib.import_module("matplotlib.figure")
        dates = importlib.import_module("matplotlib.dates")
    except ImportError:
        raise MissingExtra("timeline()", "matplotlib", "plot") from None
    return figure, dates


def _options(until: object, title: object, *, notes: object) -> None:
    """Check :func:`timeline`'s options.

    Raises:
        InvalidRecord: The first that is not what it should be.
    """
    if until is not None and type(until) is not dt.date:
        raise InvalidRecord("timeline", "until", "None or a datetime.date", until)
    if type(title) is not str or len(title) > MAX_TEXT:  # a record's longest text
        raise InvalidRecord(
            "timeline", "title", f"a text of at most {MAX_TEXT:,} characters", title
        )
    if type(notes) is not bool:
        raise InvalidRecord("timeline", "notes", "True or False", notes)


def timeline(
    entries: Iterable[Entry],
    body: str,
    *,
    until: dt.date | None = None,
    title: str = "",
    notes: bool = False,
) -> Drawing:
    """Draw ``body``'s history from a log's ``entries`` as an SVG timeline.

    Args:
        entries: A log's entries (an ``AuditLog``, a store, ``registry.log``).
        body: The body's id.
        until: Where the last state's band ends; by default the last day any of the
            body's decisions may have been taken on.
        title: A title over the picture; by default ``"<body>: its decisions over time"``.
        notes: Whether to draw notes (what the sources say, recorded beside the
            decisions) as marks too; they are left out by default.

    Raises:
        InvalidRecord: An argument is not of its kind (``until`` not a date).
        NoSuchBody: No entry is about ``body``.
        MissingExtra: matplotlib is not installed (``pip install 'govflow[plot]'``).
    """
    _options(until, title, notes=notes)
    found = list(entries) if isinstance(entries, Iterable) else None
    if found is None or not all(type(e) is Entry for e in found):
        raise InvalidRecord("timeline", "entries", "a log's entries (Entry records)", entries)
    everything = [e for e in found if e.body == body]
    if type(body) is not str:  # a str subclass too (an enum's member): an id is a text
        raise InvalidRecord("timeline", "body", "a body id (a text)", body)
    if not everything:  # as prov_json and Registry.body say it
        raise NoSuchBody(body, list(dict.fromkeys(e.body for e in found)))
    latest = max([until or dt.date.min, *(e.decision.decided.latest for e in everything)])
    if latest > LAST_DAY:  # the drawing needs room after it, which the calendar ends before
        wanted = f"dates up to {LAST_DAY} (a picture needs room after the last)"
        raise InvalidRecord("timeline", "until" if until == latest else "entries", wanted, latest)
    bands = _bands(everything)
    mine = [e for e in everything if notes or e.decision.kind is not Kind.NOTE]
    if until is not None and until < bands[-1].entered[0]:
        wanted = f"a day on or after {bands[-1].entered[0]}, when {body} may have entered its state"
        raise InvalidRecord("timeline", "until", wanted, until)
    figure_module, dates = _pyplot_free()
    end = until or max(e.decision.decided.latest for e in everything)
    states = list(dict.fromkeys(b.state for b in bands))
    targets = [e.decision.target for e in mine if e.decision.target is not None]
    states += [t.state for t in targets if t.state not in states]
    actors = list(dict.fromkeys(e.decision.actor for e in mine))
    kinds = list(dict.fromkeys(e.decision.kind for e in mine))
    lane = _lanes(mine)
    heights = {f"state: {s}": 1.0 for s in states}
    heights |= {a: max(1.0, 0.3 * (1 + max(lane[e.seq] for e in mine if e.decision.actor == a)))
                for a in actors}  # fmt: skip
    y, top = {}, sum(heights.values())
    for name, height in heights.items():  # from the top down
        y[name], top = top - height / 2, top - height
    figure = figure_module.Figure(figsize=(11, 0.45 * sum(heights.values()) + 1.6))
    figure.set_layout_engine("constrained")
    axes = figure.subplots()
    _states(_Axes(axes, dates), bands, targets, y, end)
    colour = {
        k: _GREY if k is Kind.NOTE else _PALETTE[n % len(_PALETTE)] for n, k in enumerate(kinds)
    }
    _marks(_Axes(axes, dates), mine, y, heights, colour)
    axes.axhline(sum(heights[a] for a in actors), color="#6b7280", lw=0.8)  # states | actors
    _legend(axes, kinds, colour, superseded=any(e.decision.supersedes for e in mine))
    axes.set_yticks(list(y.values()), [_text(name, 48) for name in y])  # 48: a third of it
    _date_axis(axes, dates)
    axes.use_sticky_edges = False  # bars start and end at their days: leave room beside them
    axes.margins(x=0.03)
    axes.grid(axis="x", color="#e5e7eb")
    axes.set_axisbelow(True)
    axes.set_title(_text(title or f"{body}: its decisions over time"), loc="left")
    out = io.StringIO()
    # Text kept as text (small, searchable), and ids that are the same on every run.
    with importlib.import_module("matplotlib").rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "govflow"}
    ):
        figure.savefig(out, format="svg", metadata={"Date": None})
    return Drawing(out.getvalue(), title or f"timeline of {body}")


def _date_axis(axes: Any, dates: Any) -> None:  # noqa: ANN401 - matplotlib's
    """Ticks that fit the span, labelled no more than they need ("Sep", "2013", "15").

    A full date for each tick ran into its neighbours at half-month steps. Steps of a
    year among the monthly ones: a record of three to five years (fewer than five whole
    years, more than 42 months) had no step that fitted, and matplotlib warned.
    """
    axes.xaxis_date()
    locator = dates.AutoDateLocator(maxticks=8)
    locator.intervald[dates.MONTHLY] = [1, 2, 3, 4, 6, 12]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))


@attrs.frozen
class _Axes:
    axes: Any
    dates: Any

    def span(self, a: dt.date, b: dt.date, row: float, **style: object) -> None:
        """A bar over the days ``a`` to ``b``, both included."""
        left = self.dates.date2num(a)
        self.axes.barh(row, (b - a).days + 1, left=left, height=0.5, **style)


def _states(
    at: _Axes, bands: Sequence[_Band], targets: Sequence[Target], y: dict[str, float], end: dt.date
) -> None:
    """The bands of the states the body was in, and the dates hoped for."""
    for band in bands:
        row = y[f"state: {band.state}"]
        start, solid = band.entered
        stop, gone = band.left if band.left is not None else (end, end)
        at.span(start, gone, row, color="#93c5fd", edgecolor="none")  # possibly in it
        if solid <= stop:
            at.span(solid, stop, row, color="#1d4ed8", edgecolor="none")  # certainly in it
    for target in targets:
        row, (a, b) = y[f"state: {target.state}"], (target.by.earliest, target.by.latest)
        if a == b:
            day = at.dates.date2num(a)
            at.axes.plot(day, row, marker="D", mfc="none", mec="#b45309", ms=9)
        else:
            at.span(a, b, row, fill=False, edgecolor="#b45309", linewidth=1.6, hatch="//")


def _marks(
    at: _Axes,
    mine: Sequence[Entry],
    y: dict[str, float],
    heights: dict[str, float],
    colour: dict[Any, str],
) -> None:
    """Each decision on its actor's row: a dot for a day, a bar for a span.

    One line is drawn per colour, each decision a point or a piece of it: 2,000
    decisions draw in under a second, where a line each took ten.
    """
    lane = _lanes(mine)
    actors = {e.decision.actor for e in mine}
    lanes = {a: 1 + max(lane[e.seq] for e in mine if e.decision.actor == a) for a in actors}
    gone = {e.decision.supersedes for e in mine if e.decision.supersedes is not None}
    dots: dict[tuple[str, bool], tuple[list[float], list[float]]] = {}
    bars: dict[tuple[str, bool], tuple[list[float], list[float]]] = {}
    for entry in mine:
        d = entry.decision
        step = min(0.3, 0.8 * heights[d.actor] / lanes[d.actor])
        row = y[d.actor] + (lane[entry.seq] - (lanes[d.actor] - 1) / 2) * step
        a, b = at.dates.date2num(d.decided.earliest), at.dates.date2num(d.decided.latest)
        series = (colour[d.kind], d.id in gone)  # a decision superseded later is hollow
        xs, ys = (dots if a == b else bars).setdefault(series, ([], []))
        xs.extend([a] if a == b else [a, b, nan])
        ys.extend([row] if a == b else [row, row, nan])
    for (c, hollow), (xs, ys) in dots.items():
        at.axes.plot(xs, ys, "o", color=c, ms=6, zorder=3, mfc="white" if hollow else c)
    for (c, hollow), (xs, ys) in bars.items():
        at.axes.plot(xs, ys, "-|", color=c, lw=4, ms=8, alpha=0.25 if hollow else 0.7)


def _legend(axes: Any, kinds: Sequence[Any], colour: dict[Any, str], *, superseded: bool) -> None:  # noqa: ANN401
    lines = importlib.import_module("matplotlib.lines")
    patches = importlib.import_module("matplotlib.patches")
    handles = [
        patches.Patch(color="#1d4ed8", label="certainly in this state"),
        patches.Patch(color="#93c5fd", label="possibly (date known to a span)"),
        patches.Patch(fill=False, edgecolor="#b45309", hatch="//", label="hoped for by"),
    ]
    handles += [lines.Line2D([], [], color=colour[k], lw=4, label=_text(k.value)) for k in kinds]
    if superseded:
        hollow = {"marker": "o", "ls": "none", "mfc": "white", "color": "#374151"}
        handles.append(lines.Line2D([], [], **hollow, label="rescinded or corrected later"))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
