"""``govflow run``: replay a scenario file's decisions on a definition file's model."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from govflow.cli._open import open_log
from govflow.definitions.lines import Positions
from govflow.definitions.problems import read_text
from govflow.definitions.reading import load
from govflow.definitions.scenario import read_decisions
from govflow.errors import DecisionRefused, unsecret
from govflow.events import EventLogger
from govflow.log.as_of import body_possibly, last_day
from govflow.log.memory import AuditLog
from govflow.model.kind import Kind
from govflow.registry import Registry
from govflow.render import story, words
from govflow.render.text import explanation_lines, text_lines, timeline_lines


def run(
    definition: Path,
    scenario: Path,
    out: TextIO,
    logger: EventLogger,
    *,
    as_of: dt.date | None = None,
    technical: bool = False,
    store: str | None = None,
    allow_imports: bool = False,
) -> int:
    """Replay ``scenario`` on ``definition``'s model and print each body's story.

    Returns:
        0 when every decision was accepted and the log verifies; 1 when a decision is
        refused (the decisions before it stay applied, in the store too; the refusal
        names it, in the story and on standard error) or the log does not verify.

    Raises:
        DefinitionError: Either file is not what it should be.
        Unreadable: The store cannot be opened.
    """
    model = load(definition, allow_imports=allow_imports)
    lifecycle = model.lifecycle
    text, form, source = read_text(scenario, what="scenario")
    # All read before any is applied.
    decisions = read_decisions(text, form=form, source=source, kinds=lifecycle.kinds)
    log = (
        AuditLog(lifecycle.fingerprint) if store is None else open_log(store, lifecycle.fingerprint)
    )
    with log:
        registry = Registry(lifecycle, log=log, logger=logger)
        refused = None
        for number, decision in enumerate(decisions):
            try:
                registry.apply(decision)
            except DecisionRefused as refusal:
                said = f"({decision.id}, on body {decision.body!r}) was refused: {refusal.said}"
                line = Positions(text, form).line(("decisions", number))
                refused = f"{source}:{line}: decisions[{number}] {said}"  # where check puts it
                break
            if decision.kind == Kind.PROPOSE:  # the file's delegations, in force on the body
                try:
                    for standing in model.delegation_decisions(decision):
                        registry.apply(standing)
                except DecisionRefused as refusal:
                    refused = f"the model's delegations on {decision.body} were refused: {refusal}"
                    break
        entries = list(registry.entries())
        lines = [f"govflow run: {scenario.name} on {definition.name} ({lifecycle.name})", ""]
        if technical:
            lines += ["Timeline", *timeline_lines(entries)]
        else:
            lines += text_lines(
                [
                    story.Section(
                        f"The record ({words.entry_count(len(entries))})", story.timeline(entries)
                    )
                ]
            )
        for body in registry.bodies:
            mine = [e for e in entries if e.body == body]
            day = as_of or last_day(mine)
            if technical:
                lines += ["", *explanation_lines(registry.explain(body, day))]
            else:
                known = body_possibly(lifecycle, mine, body, day)
                lines += [
                    "",
                    f"Body {body}",
                    *text_lines(story.standing(lifecycle, mine, known)),
                ]
        verification = registry.verify(registry.checkpoint())
        intact = "verified intact" if verification.ok else "NOT intact"
        lines.append(
            f"\nAudit log: {words.entry_count(verification.count)}, {intact}, "
            f"head {verification.head[:16]}"
        )
        if refused is not None:
            lines.append(f"Stopped: {' '.join(refused.split())}")
            # On standard error too, as every command says why it exits 1 or 2: a script
            # that keeps the story finds the refusal there; the decisions before it stay.
            count = words.entry_count(len(entries))
            said = " ".join(refused.split())
            if store:  # one sentence: "...: 'agree', 'dissolve'; the store keeps the 4 ..."
                said = f"{said.rstrip('.')}; {unsecret(store)} keeps the {count} before it"
            sys.stderr.write(f"govflow run: stopped: {said}\n")
        out.write("\n".join(lines) + "\n")
        return 0 if verification.ok and refused is None else 1
