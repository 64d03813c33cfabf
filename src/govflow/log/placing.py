"""Placing an entry: its stored text cut where its position in the log goes.

A store that holds off other writers (PostgreSQL) can place an entry that was made
before the lock, after the head as it then finds it, if only the entry's ``seq`` and
``prev`` depend on where it goes: :func:`chainable` cuts its text there, and the store
fills them in and hashes the result; :func:`placeable` makes such an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from typing import TYPE_CHECKING, NamedTuple

from govflow.errors import DecisionRefused
from govflow.log.entry import Entry, sealed
from govflow.rules.decide import admitted, only_adds_a_fact, unmoved

if TYPE_CHECKING:
    from govflow.model.authority import Mandate
    from govflow.model.body import Body
    from govflow.model.decision import Decision
    from govflow.rules.lifecycle import Lifecycle
    from govflow.rules.schemas import Rules


class Chainable(NamedTuple):
    """An entry's stored text cut where its position goes, for a store to link it.

    Its text without the hash is ``f"{head},{to_prev}{prev}{to_seq}{seq}{rest}"``, and
    with it, ``f'{head},"hash":"{hash}",{to_prev}{prev}{to_seq}{seq}{rest}'``: a store
    that holds off other writers fills in the ``seq`` and ``prev`` that follow its head
    then, and hashes the result.
    """

    head: str
    to_prev: str
    to_seq: str
    rest: str

    def hash_at(self, seq: int, prev: str) -> str:
        """The hash of the entry placed at ``seq`` after ``prev``."""
        hashed = f"{self.head},{self.to_prev}{prev}{self.to_seq}{seq}{self.rest}"
        return sha256(hashed.encode()).hexdigest()


def chainable(entry: Entry, text: str) -> Chainable | None:
    """``entry``'s stored ``text`` cut where its ``seq`` and ``prev`` go.

    ``None`` for an entry that records verdicts: a guard's evidence may name the entry
    itself, so its content may depend on where it is placed. Otherwise only ``seq``
    and ``prev`` do (the decision, states, terms version and mandate are decided on
    the body alone).
    """
    hash_, prev, seq = entry.hash, entry.prev, entry.seq
    if entry.verdicts:
        return None
    head, cut, tail = text.partition(f',"hash":"{hash_}",')
    # In canonical JSON an unescaped '":"' occurs only between a key and its value, and
    # the entry's keys are sorted: "prev" comes after "mandate", "seq" after "prev".
    to_prev, cut_prev, after_prev = tail.partition(f'"prev":"{prev}"')
    to_seq, cut_seq, rest = after_prev.partition(f'"seq":{seq}')
    parts = Chainable(head, f'{to_prev}"prev":"', f'"{to_seq}"seq":', rest)
    if not (cut and cut_prev and cut_seq and rest[:1] in {",", "}"}):
        return None
    return parts if parts.hash_at(seq, prev) == hash_ else None


def placeable(
    lifecycle: Lifecycle,
    body: Body | None,
    decision: Decision,
    after: tuple[int, str],
    *,
    known: Mandate | None,
    rules: Rules,
    shared: Callable[[Mandate], Mandate],
    schema: int,
) -> tuple[Entry, str] | None:
    """``decision``'s entry and text as if next ``after`` (a count and head), for a store to place.

    Only for a fact-only decision, checked as ``decide`` does (``admitted``), the body's
    facts left be; ``None`` for any other, or if refused here (decided under the hold).
    ``known`` and ``rules`` are as ``decide`` takes them; ``shared`` gives the one
    mandate object the entry holds.
    """
    if body is None or not only_adds_a_fact(body, decision):
        return None
    seq, prev = after
    try:
        granted = admitted(lifecycle, body, body.floor, decision, seq, known=known, **rules)[1]
    except DecisionRefused:
        return None
    before, state, version, verdicts = unmoved(body)
    return sealed(seq=seq, body=body.id, decision=decision, before=before, after=state,
                  terms_version=version, verdicts=verdicts, mandate=shared(granted), prev=prev,
                  schema=schema)  # fmt: skip
