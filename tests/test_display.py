"""What a notebook shows for each object, and the rows and frames they export.

The bundles are read back as a notebook would read them: SVG and HTML parsed as XML,
tables counted row by row, mermaid read line by line.
"""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govflow import (
    Explanation,
    Kind,
    Lifecycle,
    Option,
    Reason,
    Registry,
    Transition,
    Verdict,
    When,
)
from govflow.display.diagram import CURRENT, mermaid, svg
from govflow.display.layout import BOX_H, levels, ranks
from govflow.display.records import BODY_KEYS, ENTRY_KEYS
from govflow.display.tables import html_table, markdown_table
from govflow.display.views import FACTS, FIRST, LAST, BodyView
from govflow.errors import InvalidRecord, MissingExtra
from govflow.scenarios import partnership_lifecycle, spb
from govflow.stores import JsonlStore, SqliteStore

from .helpers import make

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def reports() -> Registry:
    """The reference case: the two reports' record, as the demo replays it."""
    registry = Registry(partnership_lifecycle(authorities=spb.authorities()))
    for decision in spb.decisions():
        registry.apply(decision)
    return registry


def rows(html: str) -> list[list[str]]:
    """The text of each body row's cells in an HTML table."""
    table = ET.fromstring(html).find(".//tbody")  # noqa: S314 - our own output
    assert table is not None
    return [["".join(td.itertext()) for td in tr] for tr in table]


def texts(picture: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(picture).iter(f"{SVG}text")]  # noqa: S314


class TestLifecycle:
    def test_a_notebook_gets_svg_mermaid_a_fenced_block_and_the_short_repr(self) -> None:
        lifecycle = partnership_lifecycle()
        bundle = lifecycle._repr_mimebundle_()
        assert set(bundle) == {
            "text/html",
            "image/svg+xml",
            "text/vnd.mermaid",
            "text/markdown",
            "text/plain",
        }
        assert bundle["text/html"] == f"<div>{bundle['image/svg+xml']}</div>"  # offline, exported
        assert bundle["text/plain"] == repr(lifecycle)
        assert "\n" not in bundle["text/plain"]
        assert bundle["text/markdown"] == f"```mermaid\n{bundle['text/vnd.mermaid']}```\n"

    def test_mermaid_marks_the_initial_state_ends_finals_and_labels_guards(self) -> None:
        text = partnership_lifecycle().mermaid()
        lines = [line.strip().replace("<br/>", " ") for line in text.splitlines()]
        assert lines[:4] == ["---", 'title: "partnership"', "---", "stateDiagram-v2"]
        # Long labels break between words, never inside one.
        assert "endorse [agreed by<br/>every partner]" in text
        assert "[*] --> proposed" in lines
        assert "ended --> [*]" in lines  # the one final state
        assert sum(line.endswith("--> [*]") for line in lines) == 1
        assert "proposed --> endorsed: endorse [agreed by every partner]" in lines
        # Nothing is highlighted unless asked: the initial state is not drawn as active.
        assert not [line for line in lines if line.startswith(("classDef", "class "))]

    def test_the_current_state_is_highlighted(self) -> None:
        text = partnership_lifecycle().mermaid(current="shadow")
        assert f"classDef current fill:{CURRENT[0]},stroke:{CURRENT[1]}" in text
        assert text.rstrip().endswith("class shadow current")

    def test_names_mermaid_cannot_take_are_drawn_by_alias(self) -> None:
        lifecycle = Lifecycle(
            states=["under review", "end", "state_1", 'said "no"'],
            initial="under review",
            transitions=[
                Transition("close", "under review", "end"),
                Transition("x", "under review", "state_1"),
                Transition("y", "state_1", 'said "no"'),
            ],
            final=["end"],
            name='a "quoted": name',
        )
        lines = [line.strip() for line in lifecycle.mermaid().splitlines()]
        assert lines[1] == 'title: "a \\"quoted\\": name"'
        odd = Lifecycle(
            states=["a"], initial="a", transitions=[], name="<img src=x onerror=alert(1)>"
        )
        assert odd.mermaid().splitlines()[1] == 'title: "\\u2039img src=x onerror=alert(1)\\u203a"'
        assert 'state "under review" as state_0' in lines
        assert 'state "end" as state_1_' in lines  # state_1 is a state's own name
        assert 'state "state_1" as state_1' in lines
        assert "state \"said 'no'\" as state_3" in lines
        assert "state_0 --> state_1_: close" in lines
        assert "state_1_ --> [*]" in lines

    @pytest.mark.parametrize(
        "word",
        ["default", "href", "accTitle", "accDescr", "stateDiagram", "scale", "root_start",
         "root_end"],
    )  # fmt: skip
    def test_words_mermaid_reads_as_its_own_are_drawn_by_alias(self, word: str) -> None:
        """Mermaid 11 refused ``a --> default: go``; root_start is its own start mark."""
        lifecycle = Lifecycle(
            states=["a", word], initial="a", transitions=[Transition("go", "a", word)]
        )
        lines = [line.strip() for line in lifecycle.mermaid().splitlines()]
        assert f'state "{word}" as state_1' in lines
        assert "a --> state_1: go" in lines

    def test_direction_in_a_label_is_not_read_as_a_statement(self) -> None:
        """``a --> b: direction LR``: mermaid 11 read a direction and dropped the arrow."""
        lifecycle = Lifecycle(
            states=["a", "Direction TB"], initial="a",
            transitions=[Transition("direction LR", "a", "Direction TB")],
        )  # fmt: skip
        text = lifecycle.mermaid()
        assert "direction" not in text.lower()
        assert "a --> state_1: dir\u200bection LR" in text.splitlines()[-1]
        assert 'state "Dir\u200bection TB" as state_1' in text

    def test_the_svg_draws_every_state_a_start_and_an_end_mark(self) -> None:
        lifecycle = partnership_lifecycle()
        picture = lifecycle.svg()
        root = ET.fromstring(picture)  # noqa: S314
        states = [s.name for s in lifecycle.states]
        labels = texts(picture)
        assert [t for t in labels if t in states] == states
        # Each trigger labels its arrows; its guards are listed under the drawing.
        assert {"endorse", "convene_shadow", "establish", "reconsider", "end"} <= set(labels)
        assert "endorse: agreed by every partner" in labels
        circles = list(root.iter(f"{SVG}circle"))
        assert len(circles) == 1 + 2 * len(lifecycle.final)  # start; ring and dot per final
        arrows = [p for p in root.iter(f"{SVG}path") if p.get("marker-end")]
        assert len(arrows) == len(lifecycle.drawn()) + 1 + len(lifecycle.final)

    def test_the_svg_highlights_only_the_current_state(self) -> None:
        root = ET.fromstring(partnership_lifecycle().svg(current="shadow"))  # noqa: S314
        filled = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == CURRENT[0]]
        assert len(filled) == 1
        plain = ET.fromstring(partnership_lifecycle().svg())  # noqa: S314
        assert not [r for r in plain.iter(f"{SVG}rect") if r.get("fill") == CURRENT[0]]

    def test_ranks_run_forward_from_the_initial_state(self) -> None:
        edges = [("a", "b"), ("b", "c"), ("c", "a"), ("a", "c"), ("b", "b")]
        assert ranks(["a", "b", "c"], "a", edges) == {"a": 0, "b": 1, "c": 2}
        # A state nothing leads to is drawn in the first rank.
        assert ranks(["a", "z"], "a", []) == {"a": 0, "z": 0}
        # Edges listed against the path still give each state its longest path.
        chain = [("d", "e"), ("c", "d"), ("b", "c"), ("a", "b"), ("a", "e")]
        assert ranks(list("abcde"), "a", chain) == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}

    def test_a_transition_from_a_state_to_itself_is_a_loop_under_its_box(self) -> None:
        lifecycle = Lifecycle(
            states=["a", "b"],
            initial="a",
            transitions=[Transition("go", "a", "b"), Transition("again", "a", "a")],
        )
        picture = svg(lifecycle)
        assert texts(picture)[-2:] == ["go", "again"]
        root = ET.fromstring(picture)  # noqa: S314 - our own output
        box = next(r for r in root.iter(f"{SVG}rect") if r.get("x") == "40.0")  # state a's
        bottom = float(box.get("y", "0")) + float(box.get("height", "0"))
        right = float(box.get("x", "0")) + float(box.get("width", "0"))
        paths = [p.get("d", "") for p in root.iter(f"{SVG}path")]
        (loop,) = [d for d in paths if d.endswith(" c 0,18 -20,18 -20,0")]
        assert loop.startswith(f"M{right - 10:.1f},{bottom:.1f} ")  # from the box's bottom edge

    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def test_no_arrow_runs_through_a_box(self, data: st.DataObject) -> None:
        size = data.draw(st.integers(2, 7), label="states")
        names = [f"s{n}" for n in range(size)]
        pairs = st.tuples(st.sampled_from(names), st.sampled_from(names))
        # A tree from the initial state (each state is reached, columns hold several), and
        # arrows of every sort beside it.
        tree = [(f"s{data.draw(st.integers(0, n - 1))}", f"s{n}") for n in range(1, size)]
        shuffled = data.draw(st.permutations(tree), label="tree order")
        edges = data.draw(st.lists(pairs, max_size=10, unique=True), label="edges")
        lifecycle = Lifecycle(
            states=names,
            initial="s0",
            transitions=[Transition(f"t{n}", s, d) for n, (s, d) in enumerate([*shuffled, *edges])],
        )
        root = ET.fromstring(svg(lifecycle))  # noqa: S314 - our own output
        boxes = [
            tuple(float(r.get(k, "0")) for k in ("x", "y", "width", "height"))
            for r in root.iter(f"{SVG}rect")
            if r.get("height") == str(BOX_H)  # a state's box, not the background
        ]
        drawn = [p.get("d", "") for p in root.iter(f"{SVG}path") if p.get("marker-end")]
        assert len(set(drawn)) == len(drawn), "two arrows drawn on one line"
        for path in root.iter(f"{SVG}path"):
            d = path.get("d", "")
            if not d.startswith("M") or " c " in d or path.get("marker-end") is None:
                continue  # the arrowhead's shape, or a loop under its own box
            corners = [tuple(map(float, p.split(","))) for p in d[1:].split(" L")]
            for (x1, y1), (x2, y2) in itertools.pairwise(corners):
                for box in boxes:
                    assert not _crosses((x1, y1, x2, y2), box), (d, box)

    def test_arrows_between_the_same_two_states_run_apart_with_their_labels(self) -> None:
        triggers = ["adopt", "adopt_urgently", "adopt_by_default", "adopt_again"]
        lifecycle = Lifecycle(
            states=["draft", "adopted", "gone"],
            initial="draft",
            transitions=[
                *(Transition(t, "draft", "adopted") for t in triggers),
                Transition("stay", "draft", "draft"),
                Transition("again", "draft", "draft"),
                Transition("drop", "adopted", "gone"),
            ],
        )
        root = ET.fromstring(svg(lifecycle))  # noqa: S314 - our own output
        box = next(r for r in root.iter(f"{SVG}rect") if r.get("x") == "40.0")  # draft's
        right = float(box.get("x", "0")) + float(box.get("width", "0"))
        starts = [
            p.get("d", "")
            for p in root.iter(f"{SVG}path")
            if p.get("d", "").startswith(f"M{right}")
        ]
        heights = {d.split(",")[1].split(" ")[0] for d in starts}
        assert len(starts) == len(heights) == 4, starts
        placed = {
            t.text: (float(t.get("x", "0")), float(t.get("y", "0")))
            for t in root.iter(f"{SVG}text")
        }
        rows = sorted(placed[t][1] for t in triggers)
        assert all(b - a >= 14 for a, b in itertools.pairwise(rows)), rows  # a line apart
        assert "stay, again" in placed  # the loops on one state: one loop naming both

    def test_arcs_over_ranks_apart_share_a_height_and_arcs_that_overlap_do_not(self) -> None:
        rank = {"a": 0, "b": 1, "c": 2, "d": 3}
        back = [("x", "b", "a"), ("y", "d", "c"), ("z", "d", "a")]
        assert levels(back, rank) == {back[0]: 0, back[1]: 0, back[2]: 1}
        # Arcs that meet at one rank overlap there.
        meeting = [("x", "b", "a"), ("y", "c", "b")]
        assert levels(meeting, rank) == {meeting[0]: 0, meeting[1]: 1}


class TestTables:
    def test_cells_are_escaped_and_kept_on_one_line(self) -> None:
        html = html_table(["a<b"], [["<script>x</script>\nnext"], [None]], caption="c & d")
        assert "<script>" not in html
        assert rows(html) == [["<script>x</script> next"], [""]]
        assert "c &amp; d" in html
        assert "overflow-x:auto" in html  # wide tables scroll inside their container

    def test_controls_that_reorder_or_drive_a_display_are_shown_as_question_marks(self) -> None:
        """A right-to-left override turned "gpj.exe" round in a cell; an escape drove colour."""
        spoof = "invoice\u202egpj.exe \x1b[31mred"
        html = html_table(["a"], [[spoof]])
        assert rows(html) == [["invoice?gpj.exe ?[31mred"]]
        text = markdown_table(["a"], [[spoof]])
        assert text.splitlines()[-1] == "| invoice?gpj.exe ?\\[31mred |"  # the [ escaped

    def test_markdown_escapes_pipes(self) -> None:
        text = markdown_table(["a", "b"], [["x|y", None]], caption="t")
        assert text.splitlines() == ["**t**", "", "| a | b |", "|---|---|", "| x\\|y |  |"]


class TestBodiesAndExplanations:
    def test_a_body_shows_its_diagram_what_blocks_it_and_its_facts(self, reports: Registry) -> None:
        body = reports.body("spb")
        assert body.lifecycle is reports.lifecycle
        bundle = body._repr_mimebundle_()
        assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
        assert bundle["text/plain"] == repr(body)
        root = ET.fromstring(f"<div>{bundle['text/html']}</div>")  # noqa: S314
        (picture,) = root.iter(f"{SVG}svg")
        (lit,) = [r for r in picture.iter(f"{SVG}rect") if r.get("fill") == CURRENT[0]]
        assert float(lit.get("x") or 0) > 0
        explained, facts = root.findall(".//tbody")
        options = reports.explain("spb").options
        assert ["".join(tr[0].itertext()) for tr in explained] == [o.trigger for o in options]
        assert [int("".join(tr[0].itertext())) for tr in facts] == [f.seq for f in body.facts]
        assert [("".join(tr[5].itertext())) for tr in facts] == [f.decision.id for f in body.facts]
        assert "path proposed → endorsed" in bundle["text/html"]
        assert "class endorsed current" in bundle["text/markdown"]
        (summary,) = [s for s in root.iter("summary") if "decision" in "".join(s.itertext())]
        said = f"The {len(body.facts)} decisions in effect (neither rescinded nor superseded)"
        assert "".join(summary.itertext()) == said  # notes too: not "that count" to a guard

    def test_a_body_built_by_hand_shows_its_path_and_facts(self, reports: Registry) -> None:
        body = attrs.evolve(reports.body("spb"), lifecycle=None)
        assert body == reports.body("spb")  # the lifecycle is not part of the value
        html = body._repr_mimebundle_()["text/html"]
        assert "<svg" not in html
        assert [int(r[0]) for r in rows(html)] == [f.seq for f in body.facts]

    def test_one_fact_is_one_decision_in_effect(self, reports: Registry) -> None:
        body = reports.body("spb")
        one = attrs.evolve(body, facts=body.facts[:1])
        html = one._repr_mimebundle_()["text/html"]
        assert "The 1 decision in effect (neither" in html
        assert "The 1 decisions" not in html

    def test_an_explanation_shows_a_row_per_way_out(self, reports: Registry) -> None:
        explanation = reports.explain("spb")
        table = rows(explanation._repr_mimebundle_()["text/html"])
        assert [r[0] for r in table] == [o.trigger for o in explanation.options]
        assert [r[1] for r in table] == [o.dest for o in explanation.options]
        assert [r[2] for r in table] == [
            "possible" if o.possible else "blocked" for o in explanation.options
        ]
        (shadow,) = [r for r in table if r[0] == "convene_shadow"]
        assert "awaiting nominations from: APCC" in shadow[3]

    def test_a_view_draws_the_lifecycle_with_the_state_and_the_explanation(
        self, reports: Registry
    ) -> None:
        view = reports.view("spb", dt.date(2013, 2, 13))
        assert isinstance(view, BodyView)
        assert repr(view) == "<BodyView 'spb' endorsed on 2013-02-13>"
        html = view._repr_mimebundle_()["text/html"]
        root = ET.fromstring(f"<div>{html}</div>")  # noqa: S314
        (picture,) = root.iter(f"{SVG}svg")
        highlighted = [r for r in picture.iter(f"{SVG}rect") if r.get("fill") == CURRENT[0]]
        assert len(highlighted) == 1
        assert len(root.findall(".//tbody/tr")) == len(view.explanation.options)
        assert "class endorsed current" in view._repr_mimebundle_()["text/markdown"]

    def test_an_explanation_table_shows_what_guards_used_and_what_awaits_ratification(
        self,
    ) -> None:
        blocked = Option("open", "review", (Verdict.fail("g", Reason("x", {}, "first")),))
        free = Option("close", "closed", (Verdict.ok("h"),))
        used = (("open", "vote_end", "2013-04-30"), ("close", "quorum", "3"))
        on = When.on(dt.date(2013, 1, 1))
        explanation = Explanation("b", "draft", on, (blocked, free), ("r1", "r2"), used=used)
        html = explanation._repr_mimebundle_()["text/html"]
        assert rows(html) == [
            ["open", "review", "blocked", "first (using vote_end = 2013-04-30)"],
            ["close", "closed", "possible", "using quorum = 3"],
        ]
        caption = ET.fromstring(html).find("./p/strong")  # noqa: S314 - our own output
        assert caption is not None
        assert caption.text == "b is draft (as of 2013-01-01); awaiting ratification: r1, r2"

    def test_before_its_proposal_an_explanation_table_says_the_body_did_not_exist(self) -> None:
        registry = Registry(partnership_lifecycle())
        registry.apply(make("p", Kind.PROPOSE, "LGA", 1))
        html = registry.explain("b", When.year(2012))._repr_mimebundle_()["text/html"]
        caption = ET.fromstring(html).find("./p/strong")  # noqa: S314 - our own output
        assert caption is not None
        assert caption.text == "b did not exist yet on 2012: it was proposed 2013-01-02"
        assert rows(html) == []

    def test_a_final_state_says_nothing_can_happen_next(self) -> None:
        registry = Registry(partnership_lifecycle())
        registry.apply(make("p", Kind.PROPOSE, "LGA", 1))
        registry.apply(make("e", Kind.END, "LGA", 2, trigger="end"))
        html = registry.explain("b")._repr_mimebundle_()["text/html"]
        assert "nothing can happen next" in html
        assert rows(html) == []


class TestLogs:
    def test_a_log_shows_its_last_rows_its_count_and_head(self, reports: Registry) -> None:
        log = reports.log
        html = log._repr_mimebundle_()["text/html"]  # type: ignore[attr-defined]
        table = rows(html)
        assert len(table) == LAST < len(log)
        assert [int(r[0]) for r in table] == list(range(len(log) - LAST, len(log)))
        assert f"{len(log)} entries (the last {LAST} below), head {log.head[:16]}" in html
        (moved,) = [r for r in table if "→" in r[5]]
        assert moved[5] == "proposed → endorsed"
        assert moved[3] == "endorse"

    def test_a_store_shows_the_same_table(self, reports: Registry, tmp_path: Path) -> None:
        with SqliteStore(tmp_path / "spb.db", reports.lifecycle.fingerprint) as store:
            for entry in reports.log:
                store.append(entry)
            kept = store._repr_mimebundle_()
            assert rows(kept["text/html"]) == rows(reports.log._repr_mimebundle_()["text/html"])  # type: ignore[attr-defined]
            assert store.to_records() == reports.log.to_records()

    def test_a_store_that_cannot_be_read_shows_why(self, tmp_path: Path) -> None:
        registry = Registry(partnership_lifecycle())
        path = tmp_path / "b.db"
        with SqliteStore(path, registry.lifecycle.fingerprint) as store:
            Registry(registry.lifecycle, log=store).apply(make("p", Kind.PROPOSE, "LGA", 1))
        import sqlite3  # noqa: PLC0415

        with sqlite3.connect(path) as db:  # commits; closed below (it does not close)
            db.execute("UPDATE govflow_entries SET content = '{}'")
        db.close()
        with SqliteStore(path, registry.lifecycle.fingerprint) as store:
            bundle = store._repr_mimebundle_()
        assert set(bundle) == {"text/html", "text/plain"}
        assert "cannot be shown" in bundle["text/plain"]

    def test_a_registry_shows_a_row_per_body(self) -> None:
        registry = Registry(partnership_lifecycle())
        for n, body in enumerate(["a", "b<i>"]):
            registry.apply(make(f"p{n}", Kind.PROPOSE, "LGA", 1, body=body))
        table = rows(registry._repr_mimebundle_()["text/html"])
        assert [r[:3] for r in table] == [["a", "proposed", "v1"], ["b<i>", "proposed", "v1"]]


class TestRecords:
    def test_a_log_gives_a_dict_per_entry(self, reports: Registry) -> None:
        records = reports.log.to_records()
        assert len(records) == len(reports.log)
        for record, entry in zip(records, reports.log, strict=True):
            assert tuple(record) == ENTRY_KEYS
            assert record["seq"] == entry.seq
            assert record["hash"] == entry.hash
            assert record["kind"] == entry.decision.kind.value
            assert record["earliest"] <= record["latest"]
            assert record["decided"] == entry.decision.decided.iso
            assert record["supersedes"] == entry.decision.supersedes
            assert record["ratifies"] == (", ".join(entry.decision.ratifies) or None)
            assert record["delegated_by"] == entry.mandate.delegated_by
            position = entry.decision.position
            assert record["position"] == (None if position is None else position.value)

    def test_a_registry_gives_a_dict_per_body(self, reports: Registry) -> None:
        (record,) = reports.to_records()
        assert tuple(record) == BODY_KEYS
        assert record["state"] == "endorsed"
        assert record["history"] == ["proposed", "endorsed"]
        assert record["facts"] == len(reports.body("spb").facts)

    def test_dataframes_have_a_row_per_record(self, reports: Registry) -> None:
        pytest.importorskip("pandas", reason="the dataframe extra is not installed")
        frame = reports.log.to_dataframe()
        assert frame.shape == (len(reports.log), len(ENTRY_KEYS))
        assert list(frame["seq"]) == list(range(len(reports.log)))
        assert list(reports.to_dataframe()["state"]) == ["endorsed"]
        empty = Registry(partnership_lifecycle())
        assert list(empty.to_dataframe().columns) == list(BODY_KEYS)

    def test_without_pandas_the_error_names_the_extra(
        self, reports: Registry, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
        with pytest.raises(MissingExtra, match=r"pip install 'govflow\[dataframe\]'") as caught:
            reports.to_dataframe()
        assert (caught.value.package, caught.value.extra) == ("pandas", "dataframe")
        assert isinstance(caught.value, ImportError)


def test_importing_govflow_loads_no_notebook_plotting_or_dataframe_package() -> None:
    code = (
        "import sys, govflow, govflow.display.views, govflow.stores; "
        "print(sorted({'IPython', 'pandas', 'matplotlib', 'nbformat'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def quorum(body: object, on: object) -> bool:
    return True


def test_guards_show_under_their_own_names() -> None:
    lifecycle = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b", guards=[quorum])]
    )
    assert "a --> b: go [quorum]" in mermaid(lifecycle).splitlines()[-1]
    assert "go: quorum" in texts(svg(lifecycle))


class TestHostileNames:
    """Names are data: they never change what the diagram or the table says."""

    @staticmethod
    def lifecycle(state: str, trigger: str = "go", name: str = "t") -> Lifecycle:
        return Lifecycle(
            states=["a", state],
            initial="a",
            transitions=[Transition(trigger, "a", state)],
            final=[state],
            name=name,
        )

    @pytest.mark.parametrize(
        "state",
        [
            "x\n```\n<img src=x onerror=alert(1)>\n```mermaid",
            "evil %%{init: {'theme':'base'}}%% x",
            "x\u2028classDef y fill:#f00\x85class a y",
            'q"uote: semi; colon',
        ],
    )
    def test_mermaid_keeps_each_statement_on_its_line(self, state: str) -> None:
        lifecycle = self.lifecycle(state, trigger=state.replace("\n", " "))
        text = lifecycle.mermaid()
        assert "%%" not in text  # no directive or comment can be spelled
        lines = text.splitlines()
        assert len(lines) == 4 + 2 + 1 + 1 + 1  # header, two states, start, edge, end
        assert [line.split()[0] for line in lines[4:]] == ["state", "state", "[*]", "a", "state_1"]
        fenced = lifecycle._repr_mimebundle_()["text/markdown"].splitlines()
        fences = [n for n, line in enumerate(fenced) if line.startswith("```")]
        assert fences == [0, len(fenced) - 1]  # the block is not closed early

    def test_svg_stays_well_formed_with_characters_xml_cannot_hold(self) -> None:
        lifecycle = self.lifecycle("a\x1bb\x0c", trigger="go\x0b", name="n\ufffe")
        root = ET.fromstring(lifecycle.svg())  # noqa: S314
        assert "a\ufffdb\ufffd" in texts(ET.tostring(root, encoding="unicode"))

    def test_each_lifecycle_has_its_own_arrowhead(self) -> None:
        one, other = self.lifecycle("b"), self.lifecycle("c")
        ids = [ET.fromstring(x.svg()).find(f".//{SVG}marker").get("id") for x in (one, other)]  # type: ignore[union-attr]  # noqa: S314
        assert ids[0] != ids[1]
        assert f"url(#{ids[0]})" in one.svg()

    def test_an_unknown_current_state_is_refused(self) -> None:
        lifecycle = partnership_lifecycle()
        for draw in (lifecycle.mermaid, lifecycle.svg):
            with pytest.raises(InvalidRecord, match="current"):
                draw(current="shadw")

    def test_markdown_cells_escape_html(self) -> None:
        text = markdown_table(["c"], [["<img src=x onerror=alert(1)>"]])
        assert "<img" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text

    def test_markdown_cells_cannot_become_links(self) -> None:
        text = markdown_table(["c"], [["[x](javascript:alert(3))"]])
        assert "| \\[x\\](javascript:alert(3)) |" in text
        assert "[x](" not in text

    def test_markdown_cells_cannot_become_emphasis_code_or_strike_through(self) -> None:
        text = markdown_table(["c"], [["*a* _b_ `c` ~~d~~"]])
        assert "| \\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ |" in text
        from govflow.render.document import escaped  # noqa: PLC0415 - the notice's and report's

        assert escaped("a ~~b~~ *c*") == "a \\~\\~b\\~\\~ \\*c\\*"


def test_a_registry_shows_its_first_bodies_and_says_how_many_there_are() -> None:
    registry = Registry(partnership_lifecycle())
    for n in range(FIRST + 10):
        registry.apply(make(f"p{n}", Kind.PROPOSE, "LGA", 1, body=f"b{n:03}"))
    html = registry._repr_mimebundle_()["text/html"]
    assert len(rows(html)) == FIRST
    assert f"{FIRST + 10} bodies, {FIRST + 10} entries (the first {FIRST} below" in html
    assert len(registry.to_records()) == FIRST + 10


def test_a_body_shows_its_last_facts_and_says_how_many_it_has() -> None:
    """Every fact went into its folded table: 20,000 notes made 7.7 MB of HTML."""
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    for n in range(FACTS + 15):
        registry.apply(make(f"n{n}", Kind.NOTE, "LGA", 1, reasons=("said",)))
    shown = registry.bodies["b"]._repr_mimebundle_()
    count = FACTS + 16
    assert f"The {count} decisions in effect" in shown["text/html"]
    for form in ("text/html", "text/markdown"):
        assert f"(the last {FACTS} of its {count} decisions in effect below)" in shown[form]
    table = shown["text/html"].partition("</summary>")[2].removesuffix("</details>")
    assert [row[-1] for row in rows(table)] == [f"n{n}" for n in range(15, FACTS + 15)]
    assert "| n14 |" not in shown["text/markdown"]
    assert f"| n{FACTS + 14} |" in shown["text/markdown"]


def test_a_store_warns_of_an_entry_that_does_not_match_its_hash(tmp_path: Path) -> None:
    lifecycle = partnership_lifecycle()
    path = tmp_path / "log.jsonl"
    with JsonlStore(path, lifecycle.fingerprint) as store:
        registry = Registry(lifecycle, log=store)
        registry.apply(make("p", Kind.PROPOSE, "LGA", 1))
        registry.apply(make("n", Kind.NOTE, "LGA", 2, reasons=("said",)))
        assert "⚠" not in store._repr_mimebundle_()["text/html"]
    path.write_text(path.read_text().replace('"said"', '"unsaid"'))
    with JsonlStore(path, lifecycle.fingerprint) as store:
        html = store._repr_mimebundle_()["text/html"]
    assert "2 entries (all below)" in html
    assert "⚠ entries [1] do not match their hashes: run verify()" in html


def test_one_entry_is_one_entry() -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 1))
    assert "1 entry (all below)" in registry.log._repr_mimebundle_()["text/html"]  # type: ignore[attr-defined]
    assert "1 body, 1 entry" in registry._repr_mimebundle_()["text/html"]


def test_a_date_never_breaks_at_its_hyphens() -> None:
    html = html_table(["date", "note"], [["2012-07-04/2013-02-13", "a-b"]], dates=("date",))
    nowrap = '<span style="white-space:nowrap">'
    assert f"{nowrap}2012-07-04</span>/<wbr/>{nowrap}2013-02-13</span>" in html
    assert rows(html) == [["2012-07-04/2013-02-13", "a-b"]]
    assert f"{nowrap}a-b" not in html  # other columns wrap as text does


class TestRecordsInANotebook:
    def test_an_entry_shows_what_the_log_records_then_its_decision(self, reports: Registry) -> None:
        entry = next(e for e in reports.entries() if e.decision.id == "spb-4")
        bundle = entry._repr_mimebundle_()
        assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
        assert bundle["text/plain"] == repr(entry)
        root = ET.fromstring(bundle["text/html"])  # noqa: S314
        rows = {
            "".join(tr[0].itertext()): "".join(tr[1].itertext())
            for tr in root.iter("tr")
            if len(tr) == 2 and tr[0].tag == "td"
        }
        assert rows["state"] == "proposed → endorsed"
        assert rows["hash"] == entry.hash
        assert rows["verdicts"] == "agreed by every partner: passed"
        assert rows["mandate"] == "Safer and Stronger Communities Board for LGA"
        assert rows["decision.kind"] == "endorse"
        assert rows["decision.decided"] == entry.decision.decided.iso
        assert "decision.supersedes" not in rows  # only the fields it fills in

    def test_a_decision_shows_its_fields_and_escapes_their_text(self) -> None:
        hostile = '<script>alert(1)</script> | "quoted" [link](x)'
        decision = make("n", Kind.NOTE, "LGA", 0, reasons=(hostile,))
        bundle = decision._repr_mimebundle_()
        assert "<script>" not in bundle["text/html"]
        assert "&lt;script&gt;" in bundle["text/html"]
        rows = [line for line in bundle["text/markdown"].splitlines() if line.startswith("| ")]
        assert all(line.count(" | ") == 1 for line in rows[1:])  # two columns, always
        assert any(line.startswith("| reasons |") for line in rows)
        assert "| kind | note |" in rows


def test_a_chain_of_thousands_of_states_is_drawn_without_recursing() -> None:
    names = [f"s{i}" for i in range(1500)]
    transitions = [Transition(f"t{i}", a, b) for i, (a, b) in enumerate(itertools.pairwise(names))]
    long = Lifecycle(states=names, initial="s0", transitions=transitions, final=[names[-1]])
    assert ranks(names, "s0", [(a, b) for a, b in itertools.pairwise(names)]) == {
        name: i for i, name in enumerate(names)
    }
    root = ET.fromstring(long.svg())  # noqa: S314
    drawn = {t.text for t in root.iter(f"{SVG}text")}
    assert set(names) <= drawn


def _crosses(segment: tuple[float, ...], box: tuple[float, ...]) -> bool:
    """Whether a segment runs through the inside of a box (not along or onto its edge)."""
    x1, y1, x2, y2 = segment
    left, top, width, height = box
    low, high = 0.0, 1.0  # Liang-Barsky: clip the segment to the box shrunk by 0.5
    for p, q in (
        (-(x2 - x1), x1 - (left + 0.5)),
        (x2 - x1, (left + width - 0.5) - x1),
        (-(y2 - y1), y1 - (top + 0.5)),
        (y2 - y1, (top + height - 0.5) - y1),
    ):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low < high


def test_a_rescission_and_a_vote_show_in_their_rows() -> None:
    registry = Registry(partnership_lifecycle())
    registry.apply(make("p", Kind.PROPOSE, "LGA", 0))
    registry.apply(make("a", Kind.AGREE, "LGA", 1))
    registry.apply(make("r", Kind.RESCIND, "LGA", 2, supersedes="a"))
    *_, rescinded = registry.log.to_records()
    assert (rescinded["kind"], rescinded["supersedes"], rescinded["position"]) == (
        "rescind",
        "a",
        None,
    )


def test_a_delegated_decision_and_a_ratification_show_in_their_rows() -> None:
    from govflow import Authority, Delegation  # noqa: PLC0415

    lifecycle = Lifecycle(
        states=["open", "sitting"],
        initial="open",
        provisional=["sitting"],
        transitions=[Transition("sit", "open", "sitting")],
        authorities=[
            Authority(
                "Board", "Council", may=[Kind.PROPOSE, Kind.AGREE, Kind.RESOLVE, Kind.RATIFY]
            ),
            Authority("Officer", "Council", may=[]),
        ],
    )
    registry = Registry(lifecycle)
    registry.apply(make("p", Kind.PROPOSE, "Board", 0))
    delegation = Delegation("Officer", [Kind.AGREE], dt.date(2013, 1, 1))
    registry.apply(make("d", Kind.DELEGATE, "Board", 1, delegation=delegation))
    registry.apply(make("a", Kind.AGREE, "Officer", 2, trigger="sit"))
    registry.apply(make("r1", Kind.RESOLVE, "Board", 3))
    registry.apply(make("r2", Kind.RESOLVE, "Board", 3))
    registry.apply(make("k", Kind.RATIFY, "Board", 4, ratifies=("r1", "r2")))
    rows = {r["decision"]: r for r in registry.log.to_records()}
    assert rows["a"]["delegated_by"] == "Board"
    assert rows["k"]["ratifies"] == "r1, r2"
    assert (rows["p"]["delegated_by"], rows["p"]["ratifies"]) == (None, None)
