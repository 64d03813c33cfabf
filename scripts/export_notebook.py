"""Run a notebook and write it as one HTML page that reads offline, diagrams drawn.

    python scripts/export_notebook.py docs/tutorial.ipynb out/

writes ``out/tutorial.html`` and, beside it, ``mermaid.min.js`` (the documentation
site's pinned copy, fetched by ``scripts/fetch_mermaid.py``). nbconvert's own page
loads require.js, MathJax and mermaid from CDNs and shows mermaid diagrams as images;
this page loads nothing from elsewhere and draws each mermaid output as inline SVG.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fetch_mermaid  # noqa: E402 - the script beside this one

#: nbconvert's lab page, without the scripts it would fetch, and with mermaid's own
#: script (beside the page) drawing every mermaid output in place.
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}
<script src="{{ resources.govflow_mermaid }}"></script>
<script>
document.addEventListener("DOMContentLoaded", () => {
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  mermaid.run({ querySelector: ".jp-Mermaid > pre.mermaid" });
});
</script>
{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
{%- if resources.govflow_back %}
<p style="padding:0 1em;font-family:sans-serif">
  <a href="{{ resources.govflow_back }}">&larr; govflow documentation</a>
</p>
{%- endif %}
{%- endblock body_header -%}
"""


def executed(path: Path, *, timeout: int = 300) -> Any:  # noqa: ANN401 - a notebook node
    """The notebook at ``path``, run top to bottom in a fresh ``python3`` kernel."""
    import nbclient  # noqa: PLC0415 - the notebook tools, loaded when used
    import nbformat  # noqa: PLC0415

    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3").execute()
    return notebook


def page(notebook: Any, *, mermaid: str = "mermaid.min.js", back: str = "") -> str:  # noqa: ANN401
    """``notebook`` (already run) as one HTML page loading mermaid's script from ``mermaid``.

    ``back``, when given, is the address of a page the notebook's page links back to.
    """
    from nbconvert import HTMLExporter  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "offline.html.j2"
        template.write_text(TEMPLATE, encoding="utf-8")
        exporter = HTMLExporter(template_file=str(template))
        resources = {"govflow_mermaid": mermaid, "govflow_back": back}
        body, _ = exporter.from_notebook_node(notebook, resources)
    return str(body)


def export(notebook: Any, folder: Path, name: str) -> Path:  # noqa: ANN401
    """Write ``notebook`` (already run) as ``folder/name.html``, with mermaid beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    fetch_mermaid.fetch()
    shutil.copyfile(fetch_mermaid.TARGET, folder / "mermaid.min.js")
    written = folder / f"{name}.html"
    written.write_text(page(notebook), encoding="utf-8")
    return written


def main(arguments: list[str]) -> int:
    """Run and export the notebook named by the first argument into the folder named second."""
    if len(arguments) != 2:  # noqa: PLR2004 - the notebook and the folder
        print(__doc__, file=sys.stderr)
        return 2
    source, folder = Path(arguments[0]), Path(arguments[1])
    print(export(executed(source), folder, source.stem))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
