"""``govflow demo``: the joint Strategic Partnership Board, replayed from its two reports."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import TextIO

from govflow.cli._open import open_log
from govflow.events import EventLogger
from govflow.log.memory import AuditLog
from govflow.log.replay import body_possibly
from govflow.model.body import Body
from govflow.model.when import When
from govflow.registry import Registry
from govflow.render.text import WIDTH, explanation_lines, timeline_lines
from govflow.rules.decide import explain
from govflow.rules.lifecycle import Lifecycle
from govflow.scenarios import spb
from govflow.scenarios.partnership import partnership_lifecycle

HEADER = [
    "govflow demo: the joint Strategic Partnership Board of the LGA and the APCC",
    "Decisions recorded by two LGA board reports, dated only as precisely as they allow:",
    "a span A/B means some day from A to B. States are recomputed, never copied.",
]


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent="  ", subsequent_indent="    ")


def _state_lines(
    lifecycle: Lifecycle, body: Body, as_of: dt.date, certainty: list[str] | None = None
) -> list[str]:
    notes = {
        (n.trigger, n.about): f"{n.text} ({n.source})" for n in spb.notes() if n.trigger is not None
    }
    label = f"The {body.terms.title} ({body.id})"
    lines = [f"State and blockers as of {as_of.isoformat()}"]
    lines.extend(
        explanation_lines(explain(lifecycle, body, When.on(as_of)), label=label, notes=notes)
    )
    lines += certainty or []
    lines += ["", "Hoped-for dates (they can slip, and block nothing)"]
    for state, target in body.targets.items():
        if state in body.history:
            status = "reached"
        elif target.by.latest < as_of:
            status = "passed; the record does not say whether it happened"
        else:
            status = "not yet passed"
        lines.append(f"  {state} by {target.by.iso}: {status}")
    return lines


def _played_forward(registry: Registry, logger: EventLogger) -> list[str]:
    """The reports' open question played forward, on a copy of the log."""
    lifecycle = registry.lifecycle
    what_if = Registry(lifecycle, log=AuditLog(lifecycle.fingerprint, registry.log), logger=logger)
    start = len(what_if.log)
    for decision in spb.played_forward():
        what_if.apply(decision)
    body = what_if.body(spb.BODY)
    last = spb.played_forward()[-1].decided
    lines = [
        "Played forward, not in the reports: the PCCs ask for the Political Group Offices",
        "(hypothetical decisions, dated only as some day after the report, in 2013)",
        *timeline_lines(list(what_if.log)[start:]),
        f"  Terms version {body.terms.version}: "
        + "; ".join(c for c in body.terms.conditions if c not in spb.TERMS.conditions),
    ]
    explanation = explain(lifecycle, body, When.on(last.latest))
    lines.extend(explanation_lines(explanation, label=f"The {body.terms.title} ({body.id})"))
    return lines


def demo(as_of: dt.date, out: TextIO, logger: EventLogger, *, store: str | None = None) -> int:
    """Replay the seeds' decisions and print the timeline, the state and the blockers.

    Args:
        as_of: The day to show the state and blockers at.
        out: Where to print.
        logger: Where the registry's events go.
        store: A store URL to write the reports' decisions to (again: decisions
            already there are recorded once).

    Returns:
        0 when the log verifies, 1 when it does not.

    Raises:
        Unreadable: The store cannot be opened.
    """
    lifecycle = partnership_lifecycle(authorities=spb.authorities())
    log = (
        AuditLog(lifecycle.fingerprint) if store is None else open_log(store, lifecycle.fingerprint)
    )
    with log:
        return _demo(lifecycle, Registry(lifecycle, log=log, logger=logger), as_of, out, logger)


def _demo(
    lifecycle: Lifecycle, registry: Registry, as_of: dt.date, out: TextIO, logger: EventLogger
) -> int:
    """The demo on ``registry``, whose log the caller closes."""
    for decision in spb.decisions():
        registry.apply(decision)
    lines = [*HEADER, "", "Timeline", *timeline_lines(registry.log), ""]
    known = body_possibly(lifecycle, list(registry.log), spb.BODY, as_of)
    # A day inside a decision's span: say what is certain and what only possible.
    certainty = _wrapped(f"Certainty {known}") if len(known.possible) > 1 else []
    if known.certain is None:
        lines.append(f"As of {as_of.isoformat()} no body had certainly been proposed.")
        lines.extend(certainty)
    else:
        lines.extend(_state_lines(registry.lifecycle, known.certain, as_of, certainty))
    lines += ["", "What else the reports say"]
    for note in spb.notes():
        if note.trigger is None:
            lines.extend(_wrapped(f"- {note.text} ({note.source})"))
    lines += ["", *_played_forward(registry, logger), ""]
    verification = registry.verify(registry.checkpoint())
    intact = "verified intact" if verification.ok else "NOT intact"
    lines.append(
        f"Audit log of the reports' decisions: {verification.count} entries, {intact}, "
        f"head {verification.head[:16]}"
    )
    out.write("\n".join(lines) + "\n")
    return 0 if verification.ok else 1
