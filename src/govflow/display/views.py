"""What a notebook shows for each object: its MIME bundle.

Every function here reads the records it is given and returns strings; the classes'
``_repr_mimebundle_`` methods call them. A bundle maps MIME types to text; each
front-end shows the richest type it can render, in its own order of preference.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

import attrs

from govflow.display.diagram import mermaid, svg
from govflow.display.records import body_record, entry_record
from govflow.display.tables import html_table, markdown_table
from govflow.model.authority import Mandate
from govflow.model.terms import Terms, shown_name
from govflow.model.verdict import Verdict

if TYPE_CHECKING:
    from govflow.log.entry import Entry
    from govflow.model.body import Body
    from govflow.model.decision import Decision
    from govflow.rules.explain import Explanation
    from govflow.rules.lifecycle import Lifecycle

#: A MIME bundle: each MIME type with the object's text in it.
Bundle = dict[str, str]

#: How many of a log's last entries its table shows.
LAST = 20

#: How many of a body's last facts (decisions in effect) its table shows.
FACTS = 50

#: How many of a registry's bodies its table shows.
FIRST = 50

ENTRY_COLUMNS = ("seq", "date", "actor", "kind", "trigger", "state", "source")


def lifecycle_bundle(lifecycle: Lifecycle, plain: str) -> Bundle:
    """A lifecycle as its diagram: SVG (also inside HTML), mermaid, a mermaid block, its repr.

    The HTML holds the SVG itself: a page exported from a notebook shows it offline
    (with markdown first, an export drew the mermaid block, which needs a script).
    """
    text, picture = mermaid(lifecycle), svg(lifecycle)
    return {
        "text/html": f"<div>{picture}</div>",
        "image/svg+xml": picture,
        "text/vnd.mermaid": text,
        "text/markdown": f"```mermaid\n{text}```\n",
        "text/plain": plain,
    }


def explanation_rows(explanation: Explanation) -> list[tuple[str, str, str, str]]:
    """One row for each way out of the state: trigger, destination, verdict, reasons."""
    rows = []
    for option in explanation.options:
        used = "; ".join(
            f"{what} = {value}" for t, what, value in explanation.used if t == option.trigger
        )
        reasons = "; ".join(r.message for r in option.reasons)
        if used:
            reasons = f"{reasons} (using {used})" if reasons else f"using {used}"
        rows.append(
            (
                option.trigger,
                option.dest,
                "possible" if option.possible else "blocked",
                reasons,
            )
        )
    return rows


_EXPLANATION_COLUMNS = ("trigger", "to", "verdict", "what it waits for")


def _explained(explanation: Explanation) -> tuple[str, list[tuple[str, str, str, str]]]:
    if explanation.proposed is not None:
        caption = f"{explanation.body} did not exist yet on {explanation.on}"
        return f"{caption}: it was proposed {explanation.proposed}", []
    caption = f"{explanation.body} is {explanation.state} (as of {explanation.on})"
    if not explanation.options:
        caption += ": nothing can happen next, no transition leads out of this state"
    if explanation.unratified:
        caption += f"; awaiting ratification: {', '.join(explanation.unratified)}"
    return caption, explanation_rows(explanation)


def explanation_bundle(explanation: Explanation, plain: str) -> Bundle:
    """An explanation as a table of what can happen next and what blocks the rest."""
    caption, rows = _explained(explanation)
    return {
        "text/html": html_table(_EXPLANATION_COLUMNS, rows, caption=caption),
        "text/markdown": markdown_table(_EXPLANATION_COLUMNS, rows, caption=caption),
        "text/plain": plain,
    }


def fact_rows(body: Body, last: int | None = None) -> list[tuple[object, ...]]:
    """A row for each of the body's facts (its ``last``): seq, date, actor, kind, trigger, id."""
    facts = body.facts if last is None or len(body.facts) <= last else body.facts[-last:]
    return [
        (
            f.seq,
            f.decision.decided,
            f.decision.actor,
            f.decision.kind.value,
            f.decision.trigger,
            f.decision.id,
        )
        for f in facts
    ]


_FACT_COLUMNS = ("seq", "date", "actor", "kind", "trigger", "decision")


def body_bundle(body: Body, plain: str) -> Bundle:
    """A body as its lifecycle's diagram, its state highlighted, over what blocks each step.

    Below them, folded, the table of the decisions in effect. A body built by hand,
    with no lifecycle, shows its path through the states and that table only.
    """
    caption = (
        f"{body.id}: {body.state} (terms v{body.terms.version}); path {' → '.join(body.history)}"
    )
    rows, count = fact_rows(body, FACTS), len(body.facts)
    if count > FACTS:
        caption += f" (the last {FACTS} of its {count} decisions in effect below)"
    facts = html_table(_FACT_COLUMNS, rows, caption=caption, dates=("date",))
    table = markdown_table(_FACT_COLUMNS, rows, caption=caption)
    if body.lifecycle is None:
        return {"text/html": facts, "text/markdown": table, "text/plain": plain}
    from govflow.rules.prospects import explain  # noqa: PLC0415 - the rules, on first display

    view = BodyView(body.lifecycle, body, explain(body.lifecycle, body))._repr_mimebundle_()
    many = "decision" if count == 1 else "decisions"
    summary = f"The {count} {many} in effect (neither rescinded nor superseded)"
    return {
        "text/html": f"{view['text/html']}<details><summary>{summary}</summary>{facts}</details>",
        "text/markdown": f"{view['text/markdown']}\n{table}",
        "text/plain": plain,
    }


@attrs.frozen(repr=False)
class BodyView:
    """A body with its lifecycle and what blocks each next step: what a notebook shows.

    Get one from :meth:`govflow.Registry.view`. A :class:`~govflow.Body` alone is a
    value that knows its state but not its lifecycle; the view brings the three
    together, and draws the lifecycle with the body's state highlighted above the
    table of its :class:`~govflow.Explanation`.

    Attributes:
        lifecycle: The lifecycle the body follows.
        body: The body.
        explanation: What can happen next to it, and why not.
    """

    lifecycle: Lifecycle
    body: Body
    explanation: Explanation

    @property
    def state(self) -> str | None:
        """The body's state on the view's day; ``None`` if it had not been proposed yet."""
        return None if self.explanation.proposed is not None else self.body.state

    def __repr__(self) -> str:
        state = "not yet proposed" if self.state is None else shown_name(self.state)
        return f"<BodyView {self.body.id!r} {state} on {self.explanation.on}>"

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        caption, rows = _explained(self.explanation)
        picture = svg(self.lifecycle, current=self.state)
        table = html_table(_EXPLANATION_COLUMNS, rows, caption=caption)
        diagram = mermaid(self.lifecycle, current=self.state)
        return {
            "text/html": f"<div>{picture}</div>{table}",
            "text/markdown": f"```mermaid\n{diagram}```\n\n"
            + markdown_table(_EXPLANATION_COLUMNS, rows, caption=caption),
            "text/plain": repr(self),
        }


def entry_row(entry: Entry) -> tuple[object, ...]:
    """One entry as a row of :data:`ENTRY_COLUMNS`, from its record."""
    r = entry_record(entry)
    before, after = r["before"], r["after"]
    moved = after if before in (None, after) else f"{before} → {after}"
    return (r["seq"], r["decided"], r["actor"], r["kind"], r["trigger"], moved, r["source"])


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many}"


def error_bundle(title: str, error: Exception) -> Bundle:
    """What shows in place of a table that could not be read: the error's message."""
    text = f"{title}: cannot be shown: {type(error).__name__}: {error}"
    return {"text/html": f"<p>{html.escape(text)}</p>", "text/plain": text}


def log_bundle(
    title: str, count: int, head: str, last: Sequence[Entry], plain: str, *, warning: str = ""
) -> Bundle:
    """A log as a table of its ``last`` entries, under its size, head hash and ``warning``."""
    shown = f"the last {len(last)}" if len(last) < count else "all"
    caption = f"{title}: {_count(count, 'entry', 'entries')} ({shown} below), head {head[:16]}…"
    if warning:
        caption += f" ⚠ {warning}"
    rows = [entry_row(e) for e in last]
    return {
        "text/html": html_table(ENTRY_COLUMNS, rows, caption=caption, dates=("date",)),
        "text/markdown": markdown_table(ENTRY_COLUMNS, rows, caption=caption),
        "text/plain": plain,
    }


BODY_COLUMNS = ("body", "state", "terms", "facts", "entered at", "entered on")


def registry_bundle(name: str, bodies: Sequence[Body], count: int, plain: str) -> Bundle:
    """A registry as a table of its first :data:`FIRST` bodies and their states."""
    caption = (
        f"Registry {name!r}: {_count(len(bodies), 'body', 'bodies')}, "
        f"{_count(count, 'entry', 'entries')}"
    )
    if len(bodies) > FIRST:
        caption += f" (the first {FIRST} below; to_records() gives them all)"
    records = [body_record(b) for b in bodies[:FIRST]]
    rows = [
        (r["body"], r["state"], f"v{r['terms_version']}", r["facts"], r["entered"], r["entered_on"])
        for r in records
    ]
    return {
        "text/html": html_table(BODY_COLUMNS, rows, caption=caption, dates=("entered on",)),
        "text/markdown": markdown_table(BODY_COLUMNS, rows, caption=caption),
        "text/plain": plain,
    }


def _shown(value: object) -> str:
    """A field's value in a record's table: a record by its name, a list item by item."""
    if isinstance(value, tuple):
        return "; ".join(_shown(v) for v in value)
    if isinstance(value, Terms):
        return f"{value.title} (version {value.version})"
    if isinstance(value, Verdict):
        return f"{value.guard}: {'passed' if value.passed else 'failed'}"
    if isinstance(value, Mandate):
        by = f", delegated by {value.delegated_by}" if value.delegated_by else ""
        return f"{value.actor} for {value.organisation}{by}"
    return str(value.value if isinstance(value, Enum) else value)  # a kind by its value


def _fields(record: attrs.AttrsInstance) -> list[tuple[str, str]]:
    """The record's fields that hold something, each with its value shown."""
    return [
        (f.name, _shown(getattr(record, f.name)))
        for f in attrs.fields(type(record))
        if getattr(record, f.name) not in (None, (), "")
    ]


def _record_bundle(caption: str, rows: list[tuple[str, str]], plain: str) -> Bundle:
    return {
        "text/html": html_table(("field", "value"), rows, caption=caption),
        "text/markdown": markdown_table(("field", "value"), rows, caption=caption),
        "text/plain": plain,
    }


def decision_bundle(decision: Decision, plain: str) -> Bundle:
    """A decision as a table of the fields it fills in."""
    caption = f"Decision {decision.id!r}: {decision.kind.value} by {decision.actor}"
    return _record_bundle(caption, _fields(decision), plain)


def entry_bundle(entry: Entry, plain: str) -> Bundle:
    """An entry as a table: what the log records of it, then its decision's fields."""
    moved = (
        entry.after if entry.before in (None, entry.after) else f"{entry.before} → {entry.after}"
    )
    rows = [
        ("state", moved),
        ("terms version", str(entry.terms_version)),
        ("verdicts", _shown(entry.verdicts)),
        ("mandate", _shown(entry.mandate)),
        ("prev", entry.prev),
        ("hash", entry.hash),
        *((f"decision.{name}", value) for name, value in _fields(entry.decision)),
    ]
    caption = f"Entry {entry.seq} on {entry.body!r}: decision {entry.decision.id!r}"
    return _record_bundle(caption, [(k, v) for k, v in rows if v], plain)
