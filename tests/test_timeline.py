"""The timeline picture: state bands, decisions by actor, hoped-for dates, spans as spans."""

from __future__ import annotations

import datetime as dt
import enum
import re
import sys
import warnings
import xml.etree.ElementTree as ET

import pytest

from govflow import Kind, Registry, Target, When
from govflow.errors import InvalidRecord, MissingExtra, NoSuchBody
from govflow.render.picture import Drawing, _bands, _lanes, timeline
from govflow.scenarios import partnership_lifecycle, spb

from .helpers import make

pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def reports() -> Registry:
    registry = Registry(partnership_lifecycle(authorities=spb.authorities()))
    for decision in (*spb.decisions(), *spb.played_forward()):
        registry.apply(decision)
    return registry


def labels(picture: str) -> list[str]:
    root = ET.fromstring(picture)  # noqa: S314 - our own output
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def test_the_reports_show_every_state_actor_and_kind(reports: Registry) -> None:
    drawing = timeline(reports.log, "spb")
    shown = labels(drawing.svg)
    for state in ("proposed", "endorsed", "reconsidered", "shadow", "established"):
        assert f"state: {state}" in shown  # shadow and established: only hoped for
    for actor in ("LGA officers", "APCC", "LGA Executive", "LGA"):
        assert actor in shown
    assert {"propose", "endorse", "target", "request_reconsideration", "amend"} <= set(shown)
    assert "hoped for by" in shown
    assert "spb: its decisions over time" in shown
    # The axis runs from just before the proposal (July 2012) over 2013: a year at its
    # turn, months between, and room before the first mark (it sat on the axis's edge).
    ticks = [label for label in shown if label in {"2013", "2014", "Oct", "Apr", "Jul"}]
    assert ticks == ["Jul", "Oct", "2013", "Apr", "Jul", "Oct", "2014"]


def test_the_picture_is_the_same_on_every_run(reports: Registry) -> None:
    assert timeline(reports.log, "spb").svg == timeline(reports.log, "spb").svg


def test_a_drawing_shows_as_svg_and_prints_as_svg(reports: Registry) -> None:
    drawing = timeline(reports.log, "spb", title="The Board")
    assert isinstance(drawing, Drawing)
    assert drawing._repr_mimebundle_() == {
        "image/svg+xml": drawing.svg,
        "text/plain": repr(drawing),
    }
    assert str(drawing) == drawing.svg
    assert re.fullmatch(r"<Drawing 'The Board': \d+ characters of SVG>", repr(drawing))
    assert "The Board" in labels(drawing.svg)


def test_a_decision_dated_to_a_month_is_a_bar_and_one_to_a_day_a_dot() -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0, decided=When.month(2013, 1)))
    registry.apply(make("n", Kind.NOTE, "APCC", 40, reasons=("said",)))
    root = ET.fromstring(timeline(registry.log, "b").svg)  # noqa: S314
    lines = {
        g.get("id"): g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("line2d")
    }
    spans = []
    for group in lines.values():
        for path in group.iter(f"{SVG}path"):
            xs = {float(x) for x in re.findall(r"[ML] ?(-?[\d.]+) ", path.get("d") or "")}
            if len(xs) == 2 and (path.get("style") or "").find("stroke-width: 4") >= 0:
                spans.append(sorted(xs))
    assert len(spans) == 1  # the month; the day is a dot
    assert spans[0][1] - spans[0][0] > 10


@pytest.mark.parametrize("days", [366, 913, 1278, 1643, 2009, 3104])  # 1 to 8.5 years
def test_a_record_of_any_span_is_drawn_with_no_warning(days: int) -> None:
    # Three to five years (more than 42 months) found no monthly step that fitted, and
    # matplotlib warned 16 times: a red box in a notebook, an error under -W error.
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("n", Kind.NOTE, "APCC", days, reasons=("said",)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawn = timeline(registry.log, "b").svg
    assert [str(w.message) for w in caught] == []
    years = {int(y) for y in re.findall(r">(20\d\d)<", drawn)}  # the year labels
    assert years, drawn
    assert min(years) >= 2013
    assert max(years) <= 2013 + days // 365 + 1


def test_bands_are_certain_only_between_the_spans_of_the_moves() -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0, decided=When.month(2013, 1)))
    (band,) = _bands(list(registry.log))
    assert band.state == "proposed"
    assert band.entered == (dt.date(2013, 1, 1), dt.date(2013, 1, 31))
    assert band.left is None


def test_overlapping_decisions_of_one_actor_take_lanes() -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0, decided=When.year(2013)))
    registry.apply(make("n1", Kind.NOTE, "LGA", 0, decided=When.year(2013), reasons=("a",)))
    registry.apply(make("n2", Kind.NOTE, "APCC", 0, decided=When.year(2013), reasons=("b",)))
    assert _lanes(list(registry.log)) == {0: 0, 1: 1, 2: 0}


def test_hoped_for_dates_are_drawn_on_their_state(reports: Registry) -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    target = Target("established", When.on(dt.date(2013, 6, 1)))
    registry.apply(make("t", Kind.TARGET, "LGA", 1, target=target))
    assert "state: established" in labels(timeline(registry.log, "b").svg)


def test_bad_arguments_are_refused(reports: Registry) -> None:
    # A body the log does not hold is NoSuchBody, as Registry.body and prov_json say it.
    with pytest.raises(NoSuchBody, match="No body 'no such body' is in the log; it holds 'spb'"):
        timeline(reports.log, "no such body")
    for body in (3, enum.StrEnum("Bodies", {"SPB": "spb"}).SPB):  # it said "not held"
        with pytest.raises(InvalidRecord, match=r"timeline\.body must be a body id \(a text\)"):
            timeline(reports.log, body)  # type: ignore[arg-type]
    with pytest.raises(InvalidRecord, match="until"):
        timeline(reports.log, "spb", until="2013-01-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidRecord, match=r"timeline.notes must be True or False, but 'no'"):
        timeline(reports.log, "spb", notes="no")  # type: ignore[arg-type]


def test_without_matplotlib_the_error_names_the_extra(
    reports: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingExtra, match=r"pip install 'govflow\[plot\]'"):
        timeline(reports.log, "spb")


def test_until_before_the_last_move_is_refused(reports: Registry) -> None:
    with pytest.raises(InvalidRecord, match="until"):
        timeline(reports.log, "spb", until=dt.date(2013, 1, 1))  # reconsidered after Feb 2013


def test_names_are_drawn_as_written(reports: Registry) -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("n", Kind.NOTE, "$x$ \x1b clerk", 1, reasons=("said",)))
    shown = labels(timeline(registry.log, "b", title="cost: $5 and $6", notes=True).svg)
    assert "$x$ \ufffd clerk" in shown  # no math, and nothing XML cannot hold
    assert "cost: $5 and $6" in shown


def test_notes_are_drawn_only_when_asked() -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("n", Kind.NOTE, "Clerk", 1, reasons=("said",)))
    assert "Clerk" not in labels(timeline(registry.log, "b").svg)
    assert "Clerk" in labels(timeline(registry.log, "b", notes=True).svg)


def test_arguments_it_cannot_draw_are_refused_typed() -> None:
    """Each raised OverflowError, ValueError, TypeError or AttributeError from the drawing."""
    import attrs  # noqa: PLC0415

    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    registry = Registry(lifecycle)
    for decision in spb.decisions():
        registry.apply(decision)
    first = spb.decisions()[0]
    late = Registry(lifecycle)
    late.apply(attrs.evolve(first, decided=When.on(dt.date(9999, 12, 31))))
    cases = [
        (lambda: timeline(late.log, first.body), "entries must be dates up to 9990-12-31"),
        (
            lambda: timeline(registry.log, spb.BODY, until=dt.date(9999, 12, 31)),
            "until must be dates up to 9990-12-31",
        ),
        (lambda: timeline(registry.log, spb.BODY, title=5), "title must be a text"),  # type: ignore[arg-type]
        (
            lambda: timeline(registry.log, spb.BODY, title="x" * 10_001),
            "title must be a text of at most 10,000 characters",
        ),
        (lambda: timeline([None], spb.BODY), "entries must be a log's entries"),  # type: ignore[list-item]
        (lambda: timeline(None, spb.BODY), "entries must be a log's entries"),  # type: ignore[arg-type]
    ]
    for call, said in cases:
        with pytest.raises(InvalidRecord, match=said):
            call()


def test_a_long_actor_name_is_cut_so_that_the_picture_has_room() -> None:
    """A 140-character name made the layout give up and cut the picture at both sides."""
    registry = Registry(partnership_lifecycle())
    long_name = "The " + "Very " * 27 + "Long Committee"
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("n", Kind.NOTE, long_name, 10, reasons=("said",)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns when it cannot lay the figure out
        shown = labels(timeline(registry.log, "b", notes=True).svg)
    cut = [label for label in shown if label.startswith("The Very")]
    assert cut == [long_name[:47].rstrip() + "\u2026"]


def test_eighteen_kinds_take_eighteen_colours_and_a_rescinded_decision_is_marked() -> None:
    from govflow.render.picture import _PALETTE  # noqa: PLC0415

    assert len(set(_PALETTE)) == len(_PALETTE) == 18
    assert "#9ca3af" not in _PALETTE  # the notes' grey
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("a", Kind.AGREE, "LGA", 1))
    assert "rescinded or corrected later" not in labels(timeline(registry.log, "b").svg)
    registry.apply(make("r", Kind.RESCIND, "LGA", 2, supersedes="a"))
    assert "rescinded or corrected later" in labels(timeline(registry.log, "b").svg)
