"""Worked cases: the reference case's lifecycle and its record (``spb``)."""

from govflow.scenarios.partnership import SHADOW_MEETING, partnership_lifecycle

__all__ = ["SHADOW_MEETING", "partnership_lifecycle"]
