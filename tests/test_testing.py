"""The strategies govflow ships for its users' property tests."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import event, given

from govflow import Decision, DecisionRefused, Kind, Lifecycle, Registry, replay
from govflow.testing import decision_sequences, lifecycles

from .helpers import LIFECYCLE


@given(lifecycles())
def test_random_lifecycles_are_valid_with_every_state_reachable(lifecycle: Lifecycle) -> None:
    reached, frontier = {lifecycle.initial}, [lifecycle.initial]
    while frontier:
        state = frontier.pop()
        for t in lifecycle.transitions:
            if state in t.sources and t.dest not in reached:
                reached.add(t.dest)
                frontier.append(t.dest)
    assert reached == {s.name for s in lifecycle.states}


@given(decision_sequences(LIFECYCLE))
def test_decision_sequences_have_unique_ids_and_apply_cleanly(decisions: list[Decision]) -> None:
    assert len({d.id for d in decisions}) == len(decisions)
    registry = Registry(LIFECYCLE, logger=_Quiet())
    for decision in decisions:
        try:
            registry.apply(decision)
            event(f"accepted {decision.kind.value}")
        except DecisionRefused as refusal:
            event(f"refused: {refusal.code}")
    assert replay(LIFECYCLE, registry.log) == dict(registry.bodies)
    proposals = [d for d in decisions if d.kind is Kind.PROPOSE]
    assert set(registry.bodies) <= {d.body for d in proposals}


class _Quiet:
    def info(self, event: str, **fields: object) -> None:
        pass

    def warning(self, event: str, **fields: object) -> None:
        pass


def test_importing_govflow_does_not_import_hypothesis() -> None:
    code = "import sys, govflow; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
