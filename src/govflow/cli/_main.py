"""Running a command: its arguments parsed, the command called, its errors told in one line."""

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
    LOCK_TIMEOUT,
    Options,
    Shown,
    load_lifecycle,
)
from govflow.cli._parser import arguments
from govflow.cli._report import notice, prov, report
from govflow.cli._run import run as run_scenario
from govflow.display.plain import shown
from govflow.errors import GovflowError, ReplayMismatch, TamperedLog, Unreadable
from govflow.events import EventLogger
from govflow.log.checkpoint import Checkpoint, TreeHead


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
    if args.json:  # a signed note is text of its own form, not JSON
        raise Unreadable("--json prints the count and head: a signed checkpoint (--sign) is a note")
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


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 - each status where known
    """Run the command line; returns the exit status.

    Exit status: 0 on success (an intact log, for ``verify``); 1 when a log is not
    intact or an entry cannot be read; 2 when the input cannot be read at all or the
    arguments are wrong; 141 when the reader of its output stopped reading (``| head``),
    as a shell reports a command ended by SIGPIPE. Errors are one line on standard
    error, never a traceback. With standard output closed (``>&-``) no command can say
    what it found: 2. With standard error closed (``2>&-``), messages go nowhere and the
    exit status is as ever.
    """
    if sys.stderr is None:  # closed: Python gives None, and writing to it would raise
        sys.stderr = io.StringIO()
    if sys.stdout is None:
        sys.stderr.write("govflow: standard output is closed: nothing can be printed\n")
        return 2
    parser = arguments(__version__)
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said with the command's own usage, not the top level's
        chosen: argparse.ArgumentParser = args.usage_of
        chosen.error(f"unrecognized arguments: {' '.join(unknown)}")
    unsayable = _unsayable(args)
    if unsayable is not None:
        sys.stderr.write(f"govflow {args.command}: {unsayable}\n")
        return 2
    logger = _event_logger(getattr(args, "events", False))
    # Each call's own: a command without --lock-timeout does not inherit an earlier call's.
    Options.lock_timeout = getattr(args, "lock_timeout", LOCK_TIMEOUT)
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

    def kept() -> list[Checkpoint | TreeHead]:  # the checkpoints a log is held to
        found = signing.checkpoints(args.checkpoint, args.key, args.witness, args.quorum)
        return [*found[0], *found[1]]

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
            load_lifecycle(args.lifecycle, allow_imports=args.allow_imports),
            args.as_of,
            out,
            logger,
            as_json=args.json,
            technical=args.technical,
            terms=args.terms,
            all_steps=args.all_steps,
            named=args.lifecycle,
        ),
        "log": lambda: commands.log(
            args.url, out, as_json=args.json, check=not args.no_check, body=args.body
        ),
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
        "tree": lambda: commands.tree(args.url, out, rebuild=args.rebuild),
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
        "prov": lambda: prov(args.url, args.body, out, kept=kept()),
        "notice": lambda: notice(args.url, args.decision, out, kept=kept()),
        "report": lambda: report(
            args.url,
            load_lifecycle(args.lifecycle, allow_imports=args.allow_imports),
            out,
            body=args.body,
            as_of=args.as_of,
            form=args.format,
            output=args.output,
            named=args.lifecycle,
            kept=kept(),
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
