"""The command line's arguments: every command, its options and their help."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govflow.cli._open import LOCK_TIMEOUT, LOG_URL, day, seconds
from govflow.scenarios import spb


def _file(text: str) -> Path:
    """A file's path given on the command line: an empty one is not taken as ".", a folder."""
    if not text:
        raise argparse.ArgumentTypeError("expected a file's path, not an empty text")
    return Path(text)


#: What --allow-imports says, for every command that reads a definition file.
IMPORTS = "import the functions a definition file's custom guards name (off by default)"


class _Once(argparse._StoreAction):
    """An option of one value, refused when given twice (argparse keeps the last one).

    ``verify --checkpoint A --checkpoint B`` held the log to B alone, and passed a log
    cut short that A would have caught.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        given: set[str] = namespace.__dict__.setdefault("given_once", set())
        if self.dest in given:
            parser.error(f"{'/'.join(self.option_strings)} is given twice: give it once")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


class _Parser(argparse.ArgumentParser):
    """A parser whose options of one value are each given once (its commands' too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - as argparse takes them
        super().__init__(*args, **kwargs)
        self.register("action", None, _Once)
        self.register("action", "store", _Once)


def arguments(version: str) -> argparse.ArgumentParser:
    """The parser of every command's arguments (each error said with its command's usage)."""
    parser = _Parser(
        prog="govflow", description="Lifecycles of governance bodies, with a verifiable log."
    )
    parser.add_argument("--version", action="version", version=f"govflow {version}")
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
            type=seconds,
            default=LOCK_TIMEOUT,
            metavar="SECONDS",
            help=(
                "how long to wait for another writer's lock on an SQLite or JSON Lines store "
                "(default 60)"
            ),
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
    _checkpoint_flags(verify)
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
    log.add_argument(
        "--body", metavar="ID", help="print only this body's entries (every entry is checked)"
    )
    status = commands.add_parser("status", help="print each body's state and blockers")
    status.add_argument("url", metavar="URL", help=LOG_URL)
    status.add_argument(
        "--as-of",
        type=day,
        metavar="YYYY-MM-DD",
        help="the day to show each body as of (default: the day by which its every decision "
        "was certainly taken and note written)",
    )
    _story_flags(status)
    status.add_argument(
        "--lifecycle",
        metavar="FILE|MODULE:NAME",
        help="the lifecycle the log was written under: a definition file (.toml, .json) or "
        "module:name (default: the partnership lifecycle with the reference case's "
        "authorities)",
    )
    status.add_argument("--allow-imports", action="store_true", help=IMPORTS)
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
    _checkpoint_flags(report)
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
    report.add_argument("--output", "-o", metavar="FILE", help="default (or -): stdout")
    report.add_argument(
        "--lifecycle",
        metavar="FILE|MODULE:NAME",
        help="the lifecycle the log was written under: a definition file (.toml, .json) or "
        "module:name (default: the reference case's)",
    )
    report.add_argument("--allow-imports", action="store_true", help=IMPORTS)
    check_files = commands.add_parser(
        "check",
        help="validate definition files (TOML or JSON): exit 0 clean, 1 with every problem "
        "listed (a syntax error too, at its line), 2 when a file cannot be read at all "
        "(missing, a folder, not UTF-8)",
    )
    check_files.add_argument("files", nargs="+", type=_file, metavar="FILE")
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
    running.add_argument("definition", type=_file, metavar="DEFINITION")
    running.add_argument("scenario", type=_file, metavar="SCENARIO")
    running.add_argument("--as-of", type=day, metavar="YYYY-MM-DD", help="a day to stand at")
    running.add_argument(
        "--technical", action="store_true", help="name triggers and states as the lifecycle does"
    )
    running.add_argument("--store", metavar="URL", help="also write the decisions to this log")
    running.add_argument("--allow-imports", action="store_true", help=IMPORTS)
    drawing = commands.add_parser("diagram", help="draw a definition file's lifecycle")
    drawing.add_argument("file", type=_file, metavar="FILE")
    drawing.add_argument(
        "--format",
        choices=("mermaid", "svg", "graphviz"),
        default="mermaid",
        help="mermaid (default) or svg, drawn by govflow (both need nothing), or SVG drawn "
        "by Graphviz (graphviz: needs its dot)",
    )
    drawing.add_argument("--state", metavar="NAME", help="a state to highlight")
    drawing.add_argument("--allow-imports", action="store_true", help=IMPORTS)
    repair = commands.add_parser("repair", help="cut a JSON Lines log's torn last line")
    repair.add_argument("url", metavar="URL", help=LOG_URL)
    keeping = commands.add_parser(
        "tree",
        help="make and keep the Merkle nodes a stored log lacks, so that proofs read few",
        description="Make and keep the Merkle nodes a stored log lacks (one written before "
        "its store kept them, or whose node file was lost), so that a proof (bundle, "
        "witness) reads O(log n) of them instead of making the tree from every entry.",
    )
    keeping.add_argument("url", metavar="URL", help=LOG_URL)
    keeping.add_argument(
        "--rebuild",
        action="store_true",
        help="make every node again from the entries, in place of those kept (when govflow "
        "verify finds them altered)",
    )
    return [
        verify,
        checkpoint,
        *_partner_commands(commands, verify, checkpoint),
        log,
        status,
        report,
        check_files,
        running,
        drawing,
        repair,
        keeping,
    ]


def _checkpoint_flags(command: argparse.ArgumentParser) -> None:
    """``--checkpoint FILE``, ``--key PUB`` and the witness flags: a log held to a checkpoint."""
    command.add_argument(
        "--checkpoint",
        type=_file,
        metavar="FILE",
        help="a checkpoint kept elsewhere: JSON lines, or a signed tree head",
    )
    command.add_argument(
        "--key",
        type=_file,
        action="append",
        default=[],
        metavar="PUB",
        help="a verifier key file that may have signed the checkpoint (repeat for several)",
    )
    _witness_flags(command)


def _witness_flags(command: argparse.ArgumentParser) -> None:
    """``--witness PUB`` (repeatable) and ``--quorum K``: the co-signatures required."""
    command.add_argument(
        "--witness",
        type=_file,
        action="append",
        default=[],
        metavar="PUB",
        help="a witness's verifier key file whose co-signature the checkpoint must bear",
    )
    command.add_argument(
        "--quorum",
        type=int,
        metavar="K",
        help="how many of the --witness keys must have co-signed (default: all)",
    )


def _partner_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    verify: argparse.ArgumentParser,
    checkpoint: argparse.ArgumentParser,
) -> list[argparse.ArgumentParser]:
    """The flags of signed checkpoints, and the commands partners check a log with.

    ``checkpoint --sign --date``; ``key``,
    ``witness``, ``bundle``, ``verify-bundle``, and ``prov`` and ``notice`` (the record
    in forms others read).
    """
    checkpoint.add_argument(
        "--sign",
        type=_file,
        metavar="KEY",
        help="print the tree head (origin, size, Merkle root, head, date) as a note signed "
        "with this signer key file",
    )
    checkpoint.add_argument(
        "--date", type=day, metavar="YYYY-MM-DD", help="the day to record (default: today)"
    )
    keygen = commands.add_parser(
        "key", help="make an Ed25519 key pair for signing checkpoints: PREFIX.key, PREFIX.pub"
    )
    keygen.add_argument("name", metavar="NAME", help="the key's name, e.g. spb.example/log")
    keygen.add_argument("prefix", metavar="PREFIX", help="where to write the files")
    witnessing = commands.add_parser(
        "witness",
        help="co-sign a signed checkpoint if it extends the last one this witness signed",
    )
    witnessing.add_argument("url", metavar="URL", help="the log, for the consistency proof")
    witnessing.add_argument(
        "--checkpoint", type=_file, required=True, metavar="NOTE", help="the signed checkpoint"
    )
    witnessing.add_argument(
        "--log-key", type=_file, required=True, metavar="PUB", help="the log's verifier key"
    )
    witnessing.add_argument(
        "--key", type=_file, required=True, metavar="KEY", help="this witness's signer key"
    )
    witnessing.add_argument(
        "--state",
        type=_file,
        required=True,
        metavar="FILE",
        help="this witness's state: the last checkpoint it signed of each log",
    )
    witnessing.add_argument(
        "--first",
        action="store_true",
        help="the first checkpoint this witness signs of the log: add the log to its state",
    )
    bundling = commands.add_parser(
        "bundle", help="print one decision's offline proof bundle: entry, proof, checkpoint"
    )
    bundling.add_argument("url", metavar="URL", help=LOG_URL)
    bundling.add_argument("--decision", required=True, metavar="ID", help="the decision's id")
    bundling.add_argument(
        "--checkpoint", type=_file, required=True, metavar="NOTE", help="a signed checkpoint"
    )
    checking = commands.add_parser(
        "verify-bundle",
        help="check a bundle with no access to the log; exit 0 if it holds, 1 if not",
    )
    checking.add_argument("file", type=_file, metavar="FILE")
    checking.add_argument(
        "--key", type=_file, required=True, metavar="PUB", help="the log's verifier key file"
    )
    _witness_flags(checking)
    provenance = commands.add_parser("prov", help="print a body's record as W3C PROV-JSON")
    provenance.add_argument("url", metavar="URL", help=LOG_URL)
    provenance.add_argument("--body", required=True, metavar="ID", help="the body's id")
    noticing = commands.add_parser(
        "notice", help="print a decision notice in Markdown (reasons, alternatives, source...)"
    )
    noticing.add_argument("url", metavar="URL", help=LOG_URL)
    noticing.add_argument("--decision", required=True, metavar="ID", help="the decision's id")
    for exporting in (provenance, noticing):  # exported only from a log that holds to it
        _checkpoint_flags(exporting)
    return [keygen, witnessing, bundling, checking, provenance, noticing]
