"""Argument parsing and the ``demo`` command."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, cast

import structlog

from govflow import __version__
from govflow.cli import _commands as commands
from govflow.cli import _signing as signing
from govflow.cli import _witness as partners
from govflow.cli._check import check
from govflow.cli._demo import Asked, demo
from govflow.cli._diagram import diagram
from govflow.cli._open import (
    DATA,
    LOG_URL,
    Options,
    Shown,
    Unreadable,
    day,
    file_to_write,
    load_lifecycle,
)
from govflow.cli._report import notice, prov, report
from govflow.cli._run import run as run_scenario
from govflow.display.plain import shown
from govflow.errors import GovflowError, ReplayMismatch, TamperedLog
from govflow.events import EventLogger
from govflow.scenarios import spb


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govflow", description="Lifecycles of governance bodies, with a verifiable log."
    )
    parser.add_argument("--version", action="version", version=f"govflow {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="replay the joint Strategic Partnership Board's decisions from the two reports",
        description="Replay the decisions the two LGA board reports record on the joint "
        "Strategic Partnership Board, then show its state and blockers.",
    )
    demo.add_argument(
        "--as-of",
        type=day,
        default=spb.REPORT_DAY,
        metavar="YYYY-MM-DD",
        help="the day to show the state and blockers at (default: 2013-02-13, the report)",
    )
    _story_flags(demo)
    demo.add_argument(
        "--store",
        metavar="URL",
        help="also write the reports' decisions to this log (jsonl:, sqlite: or postgresql:)",
    )
    for command in (demo, *_store_commands(commands)):
        name = command.prog.rpartition(" ")[2]
        if name in {"demo", "run"}:  # those that apply decisions
            command.add_argument(
                "--events",
                action="store_true",
                help="also print govflow's structured events, one per decision, to standard error",
            )
        if name in {"key", "check", "diagram", "verify-bundle"}:  # those that open no store
            continue
        command.add_argument(
            "--lock-timeout",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="how long to wait for another writer's lock on an SQLite store (default 60)",
        )
    for command in commands.choices.values():  # so that an error is said with its own usage
        command.set_defaults(usage_of=command)
    return parser


def _story_flags(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--technical",
        action="store_true",
        help="name triggers, states and entries as the lifecycle does, instead of plain words",
    )
    command.add_argument("--terms", action="store_true", help="also show the body's terms")
    command.add_argument(
        "--all-steps",
        action="store_true",
        help="also show the steps the record is not about (such as ending the body)",
    )


def _store_commands(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:  # type: ignore[type-arg]
    verify = commands.add_parser(
        "verify",
        help="check a stored log's hashes and links; exit 0 if intact, 1 if not, 2 if unreadable",
    )
    verify.add_argument("url", metavar="URL", help=LOG_URL)
    verify.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE",
        help="a checkpoint kept elsewhere: JSON lines, or a signed tree head",
    )
    checkpoint = commands.add_parser(
        "checkpoint", help="print a stored log's count and head, or its signed tree head"
    )
    checkpoint.add_argument("url", metavar="URL", help=LOG_URL)
    log = commands.add_parser(
        "log",
        help="print a stored log's timeline as it is read, checking each entry; exit 1 at "
        "the first bad one",
    )
    log.add_argument("url", metavar="URL", help=LOG_URL)
    log.add_argument(
        "--no-check",
        action="store_true",
        help="print without checking each entry's hash and link (faster; verify separately)",
    )
    status = commands.add_parser("status", help="print each body's state and blockers")
    status.add_argument("url", metavar="URL", help=LOG_URL)
    status.add_argument(
        "--as-of",
        type=day,
        metavar="YYYY-MM-DD",
        help="the day to show each body as of (default: as its latest decision left it)",
    )
    _story_flags(status)
    status.add_argument(
        "--lifecycle",
        metavar="FILE|MODULE:NAME",
        help="the lifecycle the log was written under: a definition file (.toml, .json) or "
        "module:name (default: the partnership lifecycle with the reference case's "
        "authorities)",
    )
    for command, shape in (
        (verify, "one JSON object: ok, count, head, problem"),
        (checkpoint, "one JSON object: count, head"),
        (log, "each entry's canonical JSON, one per line"),
        (status, "one JSON object: as_of, and each body's state, possible and blocked"),
    ):
        command.add_argument("--json", action="store_true", help=f"print {shape}")
    report = commands.add_parser(
        "report",
        help="write a body's case file (terms, state, what is awaited, the record, verification)",
    )
    report.add_argument("url", metavar="URL", help=LOG_URL)
    report.add_argument("--body", metavar="ID", help="the body (needed when the log holds several)")
    report.add_argument(
        "--as-of",
        type=day,
        metavar="YYYY-MM-DD",
        help="the day to show the body as of (default: its last decision's day)",
    )
    report.add_argument(
        "--format", choices=("markdown", "html"), default="markdown", help="default: markdown"
    )
    report.add_argument(
        "--output", "-o", type=file_to_write, metavar="FILE", help="default: stdout"
    )
    report.add_argument(
        "--lifecycle",
        metavar="FILE|MODULE:NAME",
        help="the lifecycle the log was written under: a definition file (.toml, .json) or "
        "module:name (default: the reference case's)",
    )
    check_files = commands.add_parser(
        "check",
        help="validate definition files (TOML or JSON): exit 0 clean, 1 with every problem "
        "listed, 2 unreadable",
    )
    check_files.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check_files.add_argument(
        "--allow-imports",
        action="store_true",
        help="import the functions custom guards name (off by default)",
    )
    check_files.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: each file's problems and warnings",
    )
    check_files.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings too (the static checks')"
    )
    running = commands.add_parser(
        "run", help="replay a scenario file's decisions on a definition file's model"
    )
    running.add_argument("definition", type=Path, metavar="DEFINITION")
    running.add_argument("scenario", type=Path, metavar="SCENARIO")
    running.add_argument("--as-of", type=day, metavar="YYYY-MM-DD", help="a day to stand at")
    running.add_argument(
        "--technical", action="store_true", help="name triggers and states as the lifecycle does"
    )
    running.add_argument("--store", metavar="URL", help="also write the decisions to this log")
    running.add_argument(
        "--allow-imports", action="store_true", help="import the functions custom guards name"
    )
    drawing = commands.add_parser("diagram", help="draw a definition file's lifecycle")
    drawing.add_argument("file", type=Path, metavar="FILE")
    drawing.add_argument(
        "--format",
        choices=("mermaid", "svg", "graphviz"),
        default="mermaid",
        help="mermaid (default) or svg, drawn by govflow (both need nothing), or SVG drawn "
        "by Graphviz (graphviz: needs its dot)",
    )
    drawing.add_argument("--state", metavar="NAME", help="a state to highlight")
    drawing.add_argument(
        "--allow-imports", action="store_true", help="import the functions custom guards name"
    )
    repair = commands.add_parser("repair", help="cut a JSON Lines log's torn last line")
    repair.add_argument("url", metavar="URL", help=LOG_URL)
    return [
        verify,
        checkpoint,
        *signing.add_commands(commands, verify, checkpoint),
        log,
        status,
        report,
        check_files,
        running,
        drawing,
        repair,
    ]


def _event_logger(enabled: bool) -> EventLogger:  # noqa: FBT001 - a flag from the parser
    """Events go to standard error when asked for, and nowhere otherwise."""
    if enabled:
        return structlog.wrap_logger(  # type: ignore[no-any-return]
            structlog.PrintLogger(sys.stderr),
            processors=[structlog.processors.KeyValueRenderer(key_order=["event"])],
        )
    return structlog.wrap_logger(structlog.ReturnLogger())  # type: ignore[no-any-return]


def _checkpoint(args: argparse.Namespace, out: TextIO) -> int:
    """``checkpoint``: the count and head, or with ``--sign`` the signed tree head."""
    if args.sign is None:
        if args.date is not None:
            raise Unreadable("--date is the day a signed checkpoint records: give --sign KEY")
        return commands.checkpoint(args.url, out)
    today = dt.date.today()
    if args.date is not None and args.date > today + dt.timedelta(days=1):
        raise Unreadable(
            f"--date {args.date.isoformat()} is after tomorrow: a checkpoint records a day that "
            "has come (a witness refuses one dated after its next day)"
        )
    return signing.signed_checkpoint(args.url, args.sign, out, date=args.date or today)


def _unsayable(args: argparse.Namespace) -> str | None:
    """What is wrong with an argument no command line could give (main called in-process)."""
    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, (str, Path)):
                try:
                    if "\x00" not in str(text):
                        os.fsencode(text)
                        continue
                except UnicodeEncodeError:
                    pass
                return f"the argument {name} holds a NUL or a lone surrogate: no file name can"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Exit status: 0 on success (an intact log, for ``verify``); 1 when a log is not
    intact or an entry cannot be read; 2 when the input cannot be read at all or the
    arguments are wrong; 141 when the reader of its output stopped reading (``| head``),
    as a shell reports a command ended by SIGPIPE. Errors are one line on standard
    error, never a traceback.
    """
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said with the command's own usage, not the top level's
        chosen: argparse.ArgumentParser = args.usage_of
        chosen.error(f"unrecognized arguments: {' '.join(unknown)}")
    unsayable = _unsayable(args)
    if unsayable is not None:
        sys.stderr.write(f"govflow {args.command}: {unsayable}\n")
        return 2
    logger = _event_logger(getattr(args, "events", False))
    Options.lock_timeout = getattr(args, "lock_timeout", Options.lock_timeout)
    for stream in (sys.stdout, sys.stderr):  # a text a terminal cannot show is escaped
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    plain_only = getattr(args, "terms", False) or getattr(args, "all_steps", False)
    if getattr(args, "technical", False) and plain_only:  # run has --technical alone
        sys.stderr.write(
            f"govflow {args.command}: --terms and --all-steps belong to the plain rendering; "
            "leave out --technical\n"
        )
        return 2
    data = args.command in DATA or getattr(args, "json", False)
    data |= getattr(args, "format", None) == "svg"  # an SVG diagram: XML, its text escaped
    out = sys.stdout if data else cast("TextIO", Shown(sys.stdout))
    run: dict[str, Callable[[], int]] = {
        "demo": lambda: demo(
            Asked(args.as_of, args.technical, args.terms, args.all_steps),
            out,
            logger,
            store=args.store,
        ),
        "verify": lambda: commands.verify(
            args.url,
            *signing.checkpoints(args.checkpoint, args.key, args.witness, args.quorum),
            out,
            as_json=args.json,
        ),
        "status": lambda: commands.status(
            args.url,
            load_lifecycle(args.lifecycle),
            args.as_of,
            out,
            logger,
            as_json=args.json,
            technical=args.technical,
            terms=args.terms,
            all_steps=args.all_steps,
            named=args.lifecycle,
        ),
        "log": lambda: commands.log(args.url, out, as_json=args.json, check=not args.no_check),
        "checkpoint": lambda: _checkpoint(args, out),
        "key": lambda: signing.key(args.name, args.prefix, out),
        "bundle": lambda: partners.bundle(args.url, args.decision, args.checkpoint, out),
        "verify-bundle": lambda: partners.verify_bundle(
            args.file, args.key, args.witness, args.quorum, out
        ),
        "witness": lambda: partners.witness(
            args.url,
            args.checkpoint,
            out,
            log_key_file=args.log_key,
            key_file=args.key,
            state_file=args.state,
            first=args.first,
            today=dt.date.today(),
        ),
        "repair": lambda: commands.repair(args.url, out),
        "run": lambda: run_scenario(
            args.definition,
            args.scenario,
            out,
            logger,
            as_of=args.as_of,
            technical=args.technical,
            store=args.store,
            allow_imports=args.allow_imports,
        ),
        "diagram": lambda: diagram(
            args.file,
            out,
            form=args.format,
            state=args.state,
            allow_imports=args.allow_imports,
        ),
        "check": lambda: check(
            args.files,
            out,
            as_json=args.json,
            allow_imports=args.allow_imports,
            strict=args.strict,
        ),
        "prov": lambda: prov(args.url, args.body, out),
        "notice": lambda: notice(args.url, args.decision, out),
        "report": lambda: report(
            args.url,
            load_lifecycle(args.lifecycle),
            out,
            body=args.body,
            as_of=args.as_of,
            form=args.format,
            output=args.output,
            named=args.lifecycle,
        ),
    }
    try:
        return run[args.command]()
    except (Unreadable, GovflowError) as error:
        # A store that fails part-way (a table dropped, a page corrupt) is unreadable too.
        # One line, and no record's text drives the terminal; a file's problems, when
        # there are several, a line each.
        lines = [" ".join(shown(line).split()) for line in str(error).split("\n")]
        lines = [line for line in lines if line]
        several = len(lines) > 2  # noqa: PLR2004 - a heading and more than one problem
        message = "\n  ".join(lines) if several else " ".join(lines)
        sys.stderr.write(f"govflow {args.command}: {message}\n")
        return 1 if isinstance(error, TamperedLog | ReplayMismatch) else 2  # the log is wrong
    except BrokenPipeError:  # the reader stopped reading: nothing more is wanted
        with contextlib.suppress(OSError, ValueError):  # no later flush may fail again
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, sys.stdout.fileno())
            os.close(nowhere)
        return 141
    except OSError as error:  # a file given cannot be read, or the output written
        sys.stderr.write(f"govflow {args.command}: cannot read or write a file: {error}\n")
        return 2
