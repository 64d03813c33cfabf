"""Argument parsing and the ``demo`` command."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

import structlog

from govflow._registry import EventLogger
from govflow.cli._demo import demo
from govflow.scenarios import spb


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govflow", description="Lifecycles of governance bodies, with a verifiable log."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="replay the joint Strategic Partnership Board's decisions from the two reports",
        description="Replay the decisions the two LGA board reports record on the joint "
        "Strategic Partnership Board, then show its state and blockers.",
    )
    demo.add_argument(
        "--as-of",
        type=_day,
        default=spb.REPORT_DAY,
        metavar="YYYY-MM-DD",
        help="the day to show the state and blockers at (default: 2013-02-13, the report)",
    )
    demo.add_argument(
        "--events",
        action="store_true",
        help="also print govflow's structured events, one per decision, to standard error",
    )
    return parser


def _event_logger(enabled: bool) -> EventLogger:  # noqa: FBT001 - a flag from the parser
    """Events go to standard error when asked for, and nowhere otherwise."""
    if enabled:
        return structlog.wrap_logger(  # type: ignore[no-any-return]
            structlog.PrintLogger(sys.stderr),
            processors=[structlog.processors.KeyValueRenderer(key_order=["event"])],
        )
    return structlog.wrap_logger(structlog.ReturnLogger())  # type: ignore[no-any-return]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "demo":  # pragma: no branch - the only command so far
        return demo(args.as_of, sys.stdout, _event_logger(args.events))
    return 2  # pragma: no cover
