"""Entries and bodies as plain rows: what ``to_records()`` and ``to_dataframe()`` return."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from govflow.errors import MissingExtra

if TYPE_CHECKING:
    from govflow.log.entry import Entry
    from govflow.model.body import Body


#: The keys of :func:`entry_record`, in order.
ENTRY_KEYS = (
    "seq", "body", "decision", "kind", "actor", "organisation", "on_behalf_of", "decided",
    "earliest", "latest", "trigger", "supersedes", "ratifies", "position", "delegated_by",
    "before", "after", "terms_version", "source", "hash",
)  # fmt: skip


def entry_record(entry: Entry) -> dict[str, Any]:
    """One entry as a plain dict (:data:`ENTRY_KEYS`): text, numbers and dates."""
    d = entry.decision
    values = (
        entry.seq, entry.body, d.id, d.kind.value, d.actor, entry.mandate.organisation,
        d.on_behalf_of, d.decided.iso, d.decided.earliest, d.decided.latest, d.trigger,
        d.supersedes, ", ".join(d.ratifies) or None,
        None if d.position is None else d.position.value, entry.mandate.delegated_by,
        entry.before, entry.after, entry.terms_version, str(d.source), entry.hash,
    )  # fmt: skip
    return dict(zip(ENTRY_KEYS, values, strict=True))


#: The keys of :func:`body_record`, in order.
BODY_KEYS = ("body", "state", "terms_version", "facts", "entered", "entered_on", "history")


def body_record(body: Body) -> dict[str, Any]:
    """One body as a plain dict (:data:`BODY_KEYS`)."""
    entered_on = None if body.entered_on is None else body.entered_on.iso
    values = (
        body.id, body.state, body.terms.version, len(body.facts), body.entered, entered_on,
        list(body.history),
    )  # fmt: skip
    return dict(zip(BODY_KEYS, values, strict=True))


class EntryTable:
    """A log's entries as plain rows and as a DataFrame: shared by every log and store."""

    __slots__ = ()

    def __iter__(self) -> Iterator[Entry]:
        raise NotImplementedError  # every log and store iterates over its entries

    def to_records(self) -> list[dict[str, Any]]:
        """Every entry as a plain dict: seq, body, decision, kind, actor, dates, states, ...

        The keys are :data:`ENTRY_KEYS` (``supersedes``, ``ratifies`` as ids joined by
        ", ", ``position`` and the mandate's ``delegated_by`` among them); a
        date known only to a month or a year keeps its text in ``decided`` and its
        bounds in ``earliest`` and ``latest``.

        Raises:
            LogError: A store's entry cannot be read back (the error names it).
        """
        return [entry_record(e) for e in self]

    def to_dataframe(self) -> Any:  # noqa: ANN401 - a pandas DataFrame
        """The entries as a pandas DataFrame, one row per entry, columns :data:`ENTRY_KEYS`.

        Raises:
            MissingExtra: pandas is not installed (``pip install 'govflow[dataframe]'``).
        """
        return dataframe([entry_record(e) for e in self], ENTRY_KEYS)


def dataframe(records: list[dict[str, Any]], columns: Sequence[str]) -> Any:  # noqa: ANN401
    """``records`` as a pandas DataFrame with ``columns``, even when there are none.

    Raises:
        MissingExtra: pandas is not installed.
    """
    try:
        pandas = importlib.import_module("pandas")  # an optional extra, loaded on first use
    except ImportError:
        raise MissingExtra("to_dataframe()", "pandas", "dataframe") from None
    return pandas.DataFrame.from_records(records, columns=list(columns))
