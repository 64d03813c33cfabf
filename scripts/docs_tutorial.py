"""MkDocs hook: the tutorial notebook, run at build time, and the pictures the docs show.

``docs/tutorial.ipynb`` is kept without outputs. Before each build this hook runs it in
a fresh kernel and adds the result to the site as ``tutorial/notebook.html``, one page
that draws its diagrams with the site's own copy of mermaid and loads nothing from
elsewhere (see ``scripts/export_notebook.py``). ``docs/tutorial.md`` links to it and
to the notebook itself. It also draws the pictures ``docs/notebooks.md`` shows, from
the reference case, so that they are always what this release draws.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_notebook

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "tutorial.ipynb"
PAGE = "tutorial/notebook.html"


def on_files(files: Any, config: Any, **_: Any) -> Any:  # noqa: ANN401 (MkDocs' own objects)
    """MkDocs hook: add the run notebook to the site's files."""
    from mkdocs.structure.files import File  # noqa: PLC0415 - only when MkDocs runs this

    html = export_notebook.page(
        export_notebook.executed(NOTEBOOK),
        mermaid="../assets/javascripts/mermaid.min.js",
        back="../tutorial.html",
    )
    files.append(File.generated(config, PAGE, content=html))
    for name, picture in pictures().items():
        files.append(File.generated(config, f"pictures/{name}", content=picture))
    return files


def pictures() -> dict[str, str]:
    """The reference case's lifecycle (endorsed highlighted) and timeline, as SVG."""
    from govflow import Registry  # noqa: PLC0415 - only when MkDocs runs this
    from govflow.render import timeline  # noqa: PLC0415
    from govflow.scenarios import partnership_lifecycle, spb  # noqa: PLC0415

    registry = Registry(partnership_lifecycle(authorities=spb.authorities()))
    for decision in (*spb.decisions(), *spb.played_forward()):
        registry.apply(decision)
    return {
        "partnership.svg": registry.lifecycle.svg(current="endorsed"),
        "timeline.svg": timeline(registry.log, "spb").svg,
    }
