"""Argument parsing and the ``demo`` command."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from collections.abc import Sequence
from typing import TextIO

import structlog

from govflow._decide import explain
from govflow._partnership import partnership_lifecycle
from govflow._registry import EventLogger, Registry
from govflow._when import When
from govflow.render.text import WIDTH, explanation_lines, timeline_lines
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


def demo(as_of: dt.date, out: TextIO, logger: EventLogger) -> int:
    """Replay the seeds' decisions and print the timeline, the state and the blockers."""
    registry = Registry(partnership_lifecycle(), logger=logger)
    for decision in spb.decisions():
        registry.apply(decision)
    body = registry.as_of(spb.BODY, as_of)
    lines = [
        "govflow demo: the joint Strategic Partnership Board of the LGA and the APCC",
        "Decisions recorded by two LGA board reports, dated only as precisely as they allow:",
        "a span A/B means some day from A to B. States are recomputed, never copied.",
        "",
        "Timeline",
        *timeline_lines(registry.log),
        "",
    ]
    if body is None:
        lines.append(f"As of {as_of.isoformat()} no body had been proposed.")
    else:
        explanation = explain(registry.lifecycle, body, When.on(as_of))
        notes = {
            (n.trigger, n.about): f"{n.text} ({n.source})"
            for n in spb.notes()
            if n.trigger is not None
        }
        label = f"The {body.terms.title} ({body.id})"
        lines.append(f"State and blockers as of {as_of.isoformat()}")
        lines.extend(explanation_lines(explanation, label=label, notes=notes))
        lines.append("")
        lines.append("What else the reports say")
        for note in spb.notes():
            if note.trigger is None:
                lines.extend(
                    textwrap.wrap(
                        f"- {note.text} ({note.source})",
                        width=WIDTH,
                        initial_indent="  ",
                        subsequent_indent="    ",
                    )
                )
    verification = registry.verify(registry.checkpoint())
    lines.append("")
    lines.append(
        f"Audit log: {verification.count} entries, "
        f"{'verified intact' if verification.ok else 'NOT intact'}, "
        f"head {verification.head[:16]}"
    )
    out.write("\n".join(lines) + "\n")
    return 0 if verification.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "demo":  # pragma: no branch - the only command so far
        return demo(args.as_of, sys.stdout, _event_logger(args.events))
    return 2  # pragma: no cover
