"""MkDocs hook: the tutorial notebook, run at build time, and the pictures the docs show.

``docs/tutorial.ipynb`` is kept without outputs. Before each build this hook runs it in
a fresh kernel and adds the result to the site as ``tutorial/notebook.html``, one page
that draws its diagrams with the site's own copy of mermaid and loads nothing from
elsewhere (see ``scripts/export_notebook.py``). ``docs/tutorial.md`` links to it and
to the notebook itself. (The pictures ``docs/notebooks.md`` shows are files of the
docs, drawn by ``scripts/draw_pictures.py``.)
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
    return files
