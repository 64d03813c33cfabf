"""The ``govflow`` command line. Depends on the core, never the reverse."""

from govflow.cli._main import main

__all__ = ["main"]
