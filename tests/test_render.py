"""Plain-text rendering of timelines and explanations."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

from govflow import (
    Decision,
    Delegation,
    Entry,
    Kind,
    Lifecycle,
    Position,
    Registry,
    Source,
    Target,
    Terms,
    Transition,
    When,
)
from govflow.log.entry import sealed
from govflow.model.authority import Mandate
from govflow.render import explanation_lines, timeline_lines
from govflow.render.diagram import dot, svg
from govflow.render.records import notice
from govflow.render.story import entry_item
from govflow.scenarios import partnership_lifecycle

from .helpers import make


def test_a_final_state_says_nothing_can_happen(registry: Registry) -> None:
    registry.apply(make("e", Kind.END, "LGA", 1, trigger="end"))
    assert explanation_lines(registry.explain("b"), label="The board") == [
        "The board is ended as of 2013-01-02.",
        "  Nothing can happen next: no transition leads out of this state.",
    ]


def test_notes_are_printed_under_the_reason_naming_their_authority(registry: Registry) -> None:
    lines = explanation_lines(registry.explain("b"), notes={("endorse", "APCC"): "Meets in May."})
    assert lines[1:4] == [
        "  endorse -> endorsed: blocked",
        "    - awaiting agreement or endorsement from: LGA, APCC",
        "      Meets in May.",
    ]


def test_a_timeline_shows_each_entry_and_its_state_change(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "LGA Executive", 1, on_behalf_of="LGA", reasons=["Why."]))
    assert timeline_lines(registry.log) == [
        "[0] 2013-01-01  propose by LGA",
        "    state: (new) -> proposed",
        "    id: p (body b)",
        "    terms: version 1, Test Board; partners LGA, APCC",
        "    source: test, p",
        "[1] 2013-01-02  agree by LGA Executive (on behalf of LGA)",
        "    state: stays proposed",
        "    id: a (body b)",
        "    why: Why.",
        "    source: test, a",
    ]


def _particular(registry: Registry) -> Entry:
    """A note with every statutory particular: recorded, about, expected, and the rest."""
    return registry.apply(
        make(
            "n", Kind.NOTE, "LGA", 1, reasons=["The note.", "Because."],
            recorded=dt.date(2013, 1, 9), about="endorse", expected=When.month(2013, 3),
            alternatives_rejected=["Wait."], conflicts_declared=["Cllr A sits on B."],
            dispensations=["Cllr A may speak."],
        )
    )  # fmt: skip


def test_the_log_shows_every_particular_of_a_decision(registry: Registry) -> None:
    """`govflow log` leaves out none of a decision's fields, the statutory ones included."""
    assert timeline_lines([_particular(registry)]) == [
        "[1] 2013-01-02  note by LGA",
        "    state: stays proposed",
        "    id: n (body b)",
        "    recorded: 2013-01-09",
        "    about: endorse",
        "    expected: 2013-03",
        "    why: The note.",
        "    why: Because.",
        "    rejected: Wait.",
        "    conflict declared: Cllr A sits on B.",
        "    dispensation: Cllr A may speak.",
        "    source: test, n",
    ]


def test_a_case_file_item_shows_conflicts_and_dispensations(registry: Registry) -> None:
    item = entry_item(_particular(registry), "1.")
    assert item.details == (
        "Why: Because.",
        "Considered and not chosen: Wait.",
        "Conflict of interest declared: Cllr A sits on B.",
        "Dispensation: Cllr A may speak.",
        "Date it names: March 2013.",
        "Source: test, n",
    )


def test_a_notice_states_when_a_decision_was_recorded_and_what_a_note_is_about(
    registry: Registry,
) -> None:
    lines = notice(_particular(registry)).splitlines()
    assert "- Recorded: 2013-01-09" in lines
    assert "- About: endorse" in lines
    assert "- Expected: 2013-03" in lines


def test_long_lines_are_wrapped_to_the_width(registry: Registry) -> None:
    registry.apply(make("a", Kind.AGREE, "LGA", 1, reasons=["word " * 40]))
    lines = timeline_lines(registry.log, width=60)
    assert max(len(line) for line in lines) <= 60
    assert any(line.startswith("      word") for line in lines)


def test_unratified_resolutions_are_listed() -> None:
    from govflow import Explanation, When  # noqa: PLC0415

    explanation = Explanation("b", "established", When.day(2013, 5, 1), (), ("d7", "d9"))
    assert explanation_lines(explanation)[-1] == "  Awaiting ratification: d7, d9"


def test_graphviz_gets_each_state_as_its_own_node_with_its_name_as_written() -> None:
    names = ["__start", "R&D", "&lt;b&gt;", "mid\x0bdle"]
    hostile = Lifecycle(states=names, initial="__start",
                        transitions=[Transition(f"go{i}", a, b) for i, (a, b)
                                     in enumerate(itertools.pairwise(names))])  # fmt: skip
    text = dot(hostile)
    nodes = re.findall(r"^  (\w+) \[label=", text, re.MULTILINE)
    assert nodes == ["s0", "s1", "s2", "s3"]  # none is the start mark's
    assert '[label="R&amp;D"' in text  # Graphviz reads entities: '&' stays itself
    assert '[label="&amp;lt;b&amp;gt;"' in text
    assert "\x0b" not in text  # what XML cannot hold, shown as U+FFFD
    if shutil.which("dot") is None:
        pytest.skip("no Graphviz dot to draw the SVG with")
    drawn = ET.fromstring(svg(hostile))  # noqa: S314 - well-formed, whatever the names
    texts = [t.text for t in drawn.iter("{http://www.w3.org/2000/svg}text")]
    for name in ["__start", "R&D", "&lt;b&gt;", "mid\ufffddle"]:
        assert name in texts


def test_two_crossing_arrows_have_their_labels_apart() -> None:
    # refused from one middle state and agreed from the other cross halfway: their
    # labels were drawn at one spot, one over the other.
    lifecycle = Lifecycle(
        states=["proposed", "consultation", "fast track", "agreed", "refused"],
        initial="proposed",
        final=["agreed", "refused"],
        transitions=[
            Transition("consult", "proposed", "consultation"),
            Transition("hurry", "proposed", "fast track"),
            Transition("agree", "consultation", "agreed"),
            Transition("refuse", "consultation", "refused"),
            Transition("ratify", "fast track", "agreed"),
            Transition("reject", "fast track", "refused"),
        ],
    )
    drawn = ET.fromstring(lifecycle.svg())  # noqa: S314 - made here
    at = {
        t.text: (float(t.get("x") or 0), float(t.get("y") or 0))
        for t in drawn.iter("{http://www.w3.org/2000/svg}text")
        if t.text in {"consult", "hurry", "agree", "refuse", "ratify", "reject"}
    }
    assert len(at) == 6
    spots = list(at.values())
    assert len(set(spots)) == len(spots), at


OTHERS = "; mermaid and govflow's own SVG (Lifecycle.svg()) need no dot"


@pytest.mark.parametrize(
    ("script", "said"),
    [
        ("sleep 30", "Graphviz's dot ({program}) failed: ran past 0.5 s" + OTHERS),
        ("printf '\\377\\376<svg/>'", "Graphviz's dot ({program}) wrote no UTF-8 SVG" + OTHERS),
        ("echo 'Error: syntax' >&2; exit 1", "Graphviz's dot failed: Error: syntax"),
    ],
)
def test_a_dot_that_hangs_fails_or_writes_no_utf8_is_no_renderer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, said: str
) -> None:
    """Each was a plain TimeoutExpired or UnicodeDecodeError, the last a NoRenderer."""
    from govflow.render import diagram  # noqa: PLC0415

    program = tmp_path / "dot"
    program.write_text(f"#!/bin/sh\ncat > /dev/null\n{script}\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    monkeypatch.setattr(diagram, "_PATIENCE", 0.5)
    with pytest.raises(diagram.NoRenderer) as error:
        svg(partnership_lifecycle())
    assert str(error.value) == said.format(program=program)


def test_the_log_shows_each_field_a_decision_can_hold() -> None:
    """Every field of ``Decision`` set on some decision here is shown by ``govflow log``.

    A field added to ``Decision`` fails this test until the log shows it (or it is named
    in ``header``, the fields the entry's first line shows).
    """
    common = {"body": "b", "actor": "Board", "source": Source("minutes", "p. 1")}
    day = When.on(dt.date(2024, 3, 10))
    terms = Terms(title="Board", partners=("LGA", "APCC"), version=2)
    decisions = [
        Decision(id="d1", kind=Kind.AMEND, decided=day, terms=terms, **common),
        Decision(id="d2", kind=Kind.RECOMMEND, decided=day, to="the Council",
                 reasons=("Recommended.",), **common),
        Decision(id="d3", kind=Kind.TARGET, decided=day,
                 target=Target("established", When.month(2024, 4)), **common),
        Decision(id="d4", kind=Kind.NOMINATE, decided=day, nominees=("Cllr A",),
                 on_behalf_of="LGA", **common),
        Decision(id="d5", kind=Kind.AGREE, decided=day, position=Position.FOR,
                 trigger="endorse", **common),
        Decision(id="d6", kind=Kind.HOLD_MEETING, decided=day, meeting="first", **common),
        Decision(id="d7", kind=Kind.DELEGATE, decided=day,
                 delegation=Delegation("Officer", [Kind.AGREE], dt.date(2024, 3, 1)), **common),
        Decision(id="d8", kind=Kind.RATIFY, decided=day, ratifies=("d6",), **common),
        Decision(id="d9", kind=Kind.RESCIND, decided=day, supersedes="d8", **common),
        Decision(id="d10", kind=Kind.NOTE, decided=day, recorded=dt.date(2024, 3, 12),
                 reasons=("Noted.",), about="endorse", expected=When.year(2025),
                 alternatives_rejected=("Wait.",), conflicts_declared=("Cllr A: B.",),
                 dispensations=("Cllr A may vote.",), **common),
    ]  # fmt: skip
    shown: dict[str, str] = {
        "id": "id: {}",
        "body": "(body {})",
        "kind": "  {} by",
        "actor": " by {}",
        "on_behalf_of": "(on behalf of {})",
        "decided": "] {}  ",
        "recorded": "recorded: {}",
        "source": "source: {}",
        "reasons": "why: {}",
        "alternatives_rejected": "rejected: {}",
        "conflicts_declared": "conflict declared: {}",
        "dispensations": "dispensation: {}",
        "trigger": "state: {}: ",
        "meeting": "meeting: {}",
        "nominees": "nominees: {}",
        "to": "to: {}",
        "ratifies": "ratifies: {}",
        "supersedes": "supersedes: {}",
        "about": "about: {}",
        "expected": "expected: {}",
        "terms": "terms: version 2, {.title}; partners LGA, APCC",
        "delegation": "delegates: agree to {.to}, 2024-03-01 to open",
        "target": "target: {.state} by 2024-04",
        "position": "vote: {.value}",
    }
    assert set(shown) == {field.name for field in attrs.fields(Decision)}
    covered: set[str] = set()
    head = "0" * 64
    for seq, decision in enumerate(decisions):
        entry, _ = sealed(seq=seq, body="b", decision=decision, before="s", after="s",
                          terms_version=1, verdicts=(), mandate=Mandate("Board", "Board"),
                          prev=head)  # fmt: skip
        text = "\n".join(timeline_lines([entry], width=200))
        for name, form in shown.items():
            value = getattr(decision, name)
            if value is None or value == ():
                continue
            if type(value) is tuple:
                value = value[0]
            elif isinstance(value, When):
                value = value.iso
            elif isinstance(value, Kind):
                value = value.value
            elif type(value) is dt.date:
                value = value.isoformat()
            assert form.format(value) in text, (name, text)
            covered.add(name)
    assert covered == set(shown)
