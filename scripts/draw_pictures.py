"""Draw the pictures ``docs/notebooks.md`` shows, from the reference case.

    python scripts/draw_pictures.py

writes ``docs/pictures/partnership.svg`` (the lifecycle, endorsed highlighted, as
``Lifecycle.svg`` draws it) and ``docs/pictures/timeline.svg`` (the Board's timeline, as
``govflow.render.timeline`` draws it; needs the ``plot`` extra). They are kept in the
repository so that the page shows them wherever it is read; ``tests/test_docs.py``
checks that they are what this release draws.
"""

from __future__ import annotations

import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "pictures"


def pictures() -> dict[str, str]:
    """The reference case's lifecycle (endorsed highlighted) and timeline, as SVG, by file name."""
    from govflow import Registry  # noqa: PLC0415 - when drawing, not when imported
    from govflow.render import timeline  # noqa: PLC0415
    from govflow.scenarios import partnership_lifecycle, spb  # noqa: PLC0415

    registry = Registry(partnership_lifecycle(authorities=spb.authorities()))
    for decision in (*spb.decisions(), *spb.played_forward()):
        registry.apply(decision)
    return {
        "partnership.svg": registry.lifecycle.svg(current="endorsed"),
        "timeline.svg": timeline(registry.log, "spb").svg,
    }


if __name__ == "__main__":
    FOLDER.mkdir(exist_ok=True)
    for name, picture in pictures().items():
        (FOLDER / name).write_text(picture, encoding="utf-8")
        print(f"wrote {FOLDER / name}")
    sys.exit(0)
