"""Rendering logs and explanations as text for people. Depends on the core, never the reverse."""

from govflow.render.text import explanation_lines, timeline_lines

__all__ = ["explanation_lines", "timeline_lines"]
