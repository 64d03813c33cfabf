"""The tutorial notebook runs from top to bottom and shows what it says it shows.

It is executed in a Jupyter kernel (nbclient) as a reader would run it; each code cell
carries a tag, and the checks read its outputs by MIME type: tables are counted row by
row, diagrams read for their states.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook tools (dev extra) are missing")
nbclient = pytest.importorskip("nbclient", reason="the notebook tools (dev extra) are missing")
pytest.importorskip("ipykernel", reason="the notebook tools (dev extra) are missing")

pytestmark = pytest.mark.site

NOTEBOOK = Path(__file__).parent.parent / "docs" / "tutorial.ipynb"
SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
STATES = ["proposed", "endorsed", "shadow", "established", "reconsidered", "ended"]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    saved = os.environ.get("TMPDIR")
    # The kernel's tempfile.mkdtemp() folders in pytest's own, removed as it removes those.
    os.environ["TMPDIR"] = str(tmp_path_factory.mktemp("tutorial"))
    try:
        nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    finally:
        if saved is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = saved
    return notebook


@pytest.fixture(scope="module")
def outputs(executed: Any) -> dict[str, list[Any]]:
    """Each tagged cell's outputs, by its tag."""
    return {
        cell.metadata["tags"][0]: cell.outputs
        for cell in executed.cells
        if cell.cell_type == "code"
    }


def result(outputs: dict[str, list[Any]], tag: str) -> dict[str, str]:
    (shown,) = [o for o in outputs[tag] if o.output_type == "execute_result"]
    return dict(shown.data)


def printed(outputs: dict[str, list[Any]], tag: str) -> list[str]:
    return "".join(o.text for o in outputs[tag] if o.output_type == "stream").splitlines()


def rows(html: str) -> list[list[str]]:
    root = ET.fromstring(f"<div>{html}</div>")  # noqa: S314 - govflow's own output
    return [["".join(td.itertext()) for td in tr] for tr in root.findall(".//tbody/tr")]


def test_every_code_cell_is_tagged_and_none_fails(executed: Any) -> None:
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert len(code) == 12
    tags = [c.metadata["tags"][0] for c in code]
    assert len(set(tags)) == len(tags)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    # The notebook is kept without outputs: what a reader sees is what the tests run.
    assert not [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.get("outputs")]


def test_the_lifecycle_shows_as_svg_and_mermaid(outputs: dict[str, list[Any]]) -> None:
    data = result(outputs, "lifecycle")
    assert set(data) == {
        "text/html",
        "image/svg+xml",
        "text/vnd.mermaid",
        "text/markdown",
        "text/plain",
    }
    drawn = [
        "".join(t.itertext())
        for t in ET.fromstring(data["image/svg+xml"]).iter(f"{SVG}text")  # noqa: S314
    ]
    assert [t for t in drawn if t in STATES] == STATES
    lines = [line.strip() for line in data["text/vnd.mermaid"].splitlines()]
    assert "[*] --> proposed" in lines
    assert "ended --> [*]" in lines


def test_the_registry_and_log_show_as_tables(outputs: dict[str, list[Any]]) -> None:
    registry = result(outputs, "registry")
    assert rows(registry["text/html"]) == [
        ["spb", "endorsed", "v1", "26", "12", "2012-07-04/2013-02-13"]
    ]
    log = result(outputs, "log")
    table = rows(log["text/html"])
    assert [int(r[0]) for r in table] == list(range(6, 26))  # the last 20 of 26
    assert "26 entries" in log["text/html"]


def test_the_explanation_lists_each_way_out(outputs: dict[str, list[Any]]) -> None:
    table = rows(result(outputs, "explain")["text/html"])
    assert [(r[0], r[1], r[2]) for r in table] == [
        ("convene_shadow", "shadow", "blocked"),
        ("reconsider", "reconsidered", "blocked"),
        ("end", "ended", "blocked"),
    ]
    assert len(printed(outputs, "blocked")) == 2  # two reasons block the shadow meeting


def test_the_view_highlights_the_state_over_the_explanation(
    outputs: dict[str, list[Any]],
) -> None:
    for tag, state, ways_out in (("view", "endorsed", 3), ("what-if-view", "proposed", 2)):
        html = result(outputs, tag)["text/html"]
        root = ET.fromstring(f"<div>{html}</div>")  # noqa: S314
        (picture,) = root.iter(f"{SVG}svg")
        boxes = [r for r in picture.iter(f"{SVG}rect") if r.get("fill") == "#fde68a"]
        assert len(boxes) == 1, tag
        labels = ["".join(t.itertext()) for t in picture.iter(f"{SVG}text")]
        assert state in labels
        assert len(rows(html)) == ways_out, tag


def test_the_reconsideration_and_the_timeline(outputs: dict[str, list[Any]]) -> None:
    assert printed(outputs, "what-if") == [
        "proposed -> endorsed -> reconsidered -> proposed",
        "terms version 2",
    ]
    picture = result(outputs, "timeline")
    assert set(picture) == {"image/svg+xml", "text/plain"}
    labels = [
        "".join(t.itertext()).strip()
        for t in ET.fromstring(picture["image/svg+xml"]).iter(f"{SVG}text")  # noqa: S314
    ]
    assert {"state: proposed", "state: endorsed", "state: reconsidered"} <= set(labels)


def test_verification_and_tampering(outputs: dict[str, list[Any]]) -> None:
    (intact,) = printed(outputs, "verify")
    assert re.fullmatch(r"intact: 26 entries, head [0-9a-f]{64}", intact)
    (caught,) = printed(outputs, "tamper")
    assert caught.startswith("entry 12: altered")


def test_the_dataframe_shows_as_a_table(outputs: dict[str, list[Any]]) -> None:
    html = result(outputs, "records")["text/html"]  # pandas' own HTML, not XML
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.count("<tr>") == 8
    header = html[html.index("<thead>") : html.index("</thead>")]
    assert all(f">{h}<" in header for h in ("seq", "decided", "actor", "kind", "before", "after"))


@pytest.fixture(scope="module")
def exported(executed: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run notebook as one HTML page, as ``scripts/export_notebook.py`` writes it."""
    pytest.importorskip("nbconvert", reason="the notebook tools (dev extra) are missing")
    sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
    try:
        import export_notebook  # noqa: PLC0415 - a script, not a package
    finally:
        sys.path.pop(0)
    return Path(export_notebook.export(executed, tmp_path_factory.mktemp("notebook"), "tutorial"))


def test_the_exported_page_loads_nothing_from_elsewhere(exported: Path) -> None:
    from .test_docs_site import loaded_from_elsewhere  # noqa: PLC0415

    assert loaded_from_elsewhere(exported) == []
    assert (exported.parent / "mermaid.min.js").is_file()


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary to render the page with")
def test_the_exported_page_draws_its_diagrams_and_fits_its_tables(exported: Path) -> None:
    from .test_docs_site import SHOTS, chromium, rendered_findings, served  # noqa: PLC0415

    findings = rendered_findings(exported)
    # The lifecycle's output is its HTML, the SVG inline, as the views' are: a page
    # exported by nbconvert alone shows it offline, with no mermaid left to draw.
    assert findings["expected_diagrams"] == 0, findings
    assert findings["drawn"] == findings["diagrams"] == 0, findings
    assert exported.read_text(encoding="utf-8").count("<svg") >= 3, "lifecycle and two views"
    assert findings["raw"] == findings["broken"] == [], findings
    assert findings["tables"] == 6, findings  # registry, log, explanation, two views, frame
    assert findings["wide_tables"] == [], findings
    assert findings["external"] == findings["errors"] == [], findings
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "tutorial.png"
    shot.unlink(missing_ok=True)
    with served(exported.parent) as base:
        chromium(f"--screenshot={shot}", "--window-size=1280,6000", base + exported.name)
    assert shot.stat().st_size > 10_000
