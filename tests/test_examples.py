"""The runnable models in ``examples/``: each boundary on both sides, and replay equal to live."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from govflow import GuardFailed, Kind, Position, Registry, replay
from govflow.errors import NotAccepted

EXAMPLES = Path(__file__).parent.parent / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


call_in = load("call_in")
merger = load("charity_merger")
DAY = dt.timedelta(days=1)


def same_on_replay(registry: Registry) -> None:
    assert replay(registry.lifecycle, list(registry.log)) == dict(registry.bodies)


class TestCallIn:
    S = call_in.Scrutiny
    PUBLISHED = call_in.PUBLISHED

    def published(self) -> Registry:
        registry = Registry(call_in.lifecycle())
        registry.apply(call_in.decision("publish", Kind.PROPOSE, "Cabinet", self.PUBLISHED))
        return registry

    def calls(self, registry: Registry, days: list[int], trigger_last: bool = True) -> None:  # noqa: FBT001, FBT002
        for n, day in enumerate(days):
            last = trigger_last and n == len(days) - 1
            registry.apply(
                call_in.decision(
                    f"c{n}",
                    self.S.CALL_IN,
                    call_in.COUNCILLORS[n],
                    self.PUBLISHED + day * DAY,
                    trigger="call_in" if last else None,
                )
            )

    def test_it_cannot_be_implemented_until_the_window_closes(self) -> None:
        registry = self.published()
        on_last_day = self.PUBLISHED + call_in.WINDOW_DAYS * DAY
        with pytest.raises(GuardFailed, match="A decision dated on or after 2024-03-10"):
            registry.apply(
                call_in.decision("i", self.S.IMPLEMENT, "Cabinet", on_last_day, trigger="implement")
            )
        registry.apply(
            call_in.decision(
                "i", self.S.IMPLEMENT, "Cabinet", on_last_day + DAY, trigger="implement"
            )
        )
        assert registry.body("KD-2024-07").state == "implemented"
        same_on_replay(registry)

    def test_only_the_cabinet_implements_it_once_the_window_closes(self) -> None:
        # A decision the state accepts, asking for the trigger, once passed the dates
        # alone: a councillor's late call-in implemented the decision.
        registry = self.published()
        late = self.PUBLISHED + (call_in.WINDOW_DAYS + 1) * DAY
        late_call_in = call_in.decision(
            "c", self.S.CALL_IN, call_in.COUNCILLORS[0], late, trigger="implement"
        )
        with pytest.raises(GuardFailed, match="awaiting an 'implement' decision from: Cabinet"):
            registry.apply(late_call_in)
        assert registry.body("KD-2024-07").state == "published"

    def test_three_councillors_within_the_window_call_it_in(self) -> None:
        registry = self.published()
        self.calls(registry, [1, 2, call_in.WINDOW_DAYS])
        assert registry.body("KD-2024-07").state == "called in"
        same_on_replay(registry)

    def test_a_third_call_in_after_the_window_does_not_count(self) -> None:
        registry = self.published()
        self.calls(registry, [1, 2], trigger_last=False)
        late = self.PUBLISHED + (call_in.WINDOW_DAYS + 1) * DAY
        with pytest.raises(GuardFailed, match="awaiting a 'call_in' decision from 1 more of"):
            registry.apply(
                call_in.decision(
                    "c2", self.S.CALL_IN, call_in.COUNCILLORS[2], late, trigger="call_in"
                )
            )
        # Two call-ins are not enough: once the window closes it goes ahead.
        registry.apply(
            call_in.decision("i", self.S.IMPLEMENT, "Cabinet", late, trigger="implement")
        )
        assert registry.body("KD-2024-07").state == "implemented"
        same_on_replay(registry)

    def test_the_committee_releases_it_by_a_vote_or_refers_it_back(self) -> None:
        for position, trigger, state in (
            (Position.FOR, "release", "implemented"),
            (None, "refer_back", "referred back"),
        ):
            registry = self.published()
            self.calls(registry, [1, 2, 3])
            kind = self.S.REVIEW if trigger == "release" else self.S.REFER_BACK
            registry.apply(
                call_in.decision(
                    "r",
                    kind,
                    call_in.COMMITTEE,
                    self.PUBLISHED + 10 * DAY,
                    position=position,
                    trigger=trigger,
                )
            )
            assert registry.body("KD-2024-07").state == state
            same_on_replay(registry)

    def test_a_vote_against_does_not_release_it(self) -> None:
        registry = self.published()
        self.calls(registry, [1, 2, 3])
        with pytest.raises(GuardFailed, match="0 for, 1 against"):
            registry.apply(
                call_in.decision(
                    "r",
                    self.S.REVIEW,
                    call_in.COMMITTEE,
                    self.PUBLISHED + 10 * DAY,
                    position=Position.AGAINST,
                    trigger="release",
                )
            )

    def test_each_state_accepts_only_its_decisions(self) -> None:
        registry = self.published()
        with pytest.raises(NotAccepted, match="state 'published' does not accept a 'review'"):
            registry.apply(
                call_in.decision("r", self.S.REVIEW, call_in.COMMITTEE, self.PUBLISHED + DAY)
            )
        registry.apply(
            call_in.decision(
                "i", self.S.IMPLEMENT, "Cabinet", self.PUBLISHED + 6 * DAY, trigger="implement"
            )
        )
        with pytest.raises(NotAccepted, match="accepts: only corrections"):
            self.calls(registry, [7], trigger_last=False)

    def test_the_script_runs(self) -> None:
        ran = subprocess.run(
            [sys.executable, str(EXAMPLES / "call_in.py")],
            capture_output=True,
            text=True,
            check=True,
        )
        assert ran.stdout.splitlines()[-1] == "KD-2024-07: published -> called in -> implemented"
        assert ran.stdout.startswith("refused: ")


class TestCharityMerger:
    M = merger.Merger

    def proposed(self, completion: dt.date = dt.date(2024, 4, 1), body: str = "merger") -> Registry:
        registry = Registry(merger.lifecycle())
        registry.apply(
            merger.decision(
                "p",
                Kind.PROPOSE,
                "Alpha Trust",
                dt.date(2024, 1, 10),
                body,
                terms=merger.terms(completion),
            )
        )
        return registry

    def resolves(self, alpha: str, beta: str) -> bool:
        registry = self.proposed()
        for d in merger.ballot(merger.ALPHA, alpha, dt.date(2024, 2, 1), "a"):
            registry.apply(d)
        for d in merger.ballot(merger.BETA, beta, dt.date(2024, 2, 8), "b"):
            registry.apply(d)
        return registry.explain("merger").option("resolve").possible  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("alpha", "passes"),
        [
            ("FFFA--", True),  # 3 of 4 voting: exactly three quarters
            ("FFFAA-", False),  # 3 of 5: 60 %
            ("FFFX--", True),  # quorum of 4 with one abstaining
            ("FFF---", False),  # 3 taking part: no quorum
        ],
    )
    def test_alpha_s_special_resolution(self, alpha: str, passes: bool) -> None:  # noqa: FBT001
        assert self.resolves(alpha, "FFF-") is passes

    @pytest.mark.parametrize(("beta", "passes"), [("FFX-", True), ("FF--", False)])
    def test_beta_s_quorum_of_three(self, beta: str, passes: bool) -> None:  # noqa: FBT001
        assert self.resolves("FFFF--", beta) is passes

    def consented(self, completion: dt.date) -> Registry:
        registry = self.proposed(completion)
        for d in merger.ballot(merger.ALPHA, "FFFF--", dt.date(2024, 2, 1), "a"):
            registry.apply(d)
        for d in merger.ballot(merger.BETA, "FFF-", dt.date(2024, 2, 8), "b", trigger="resolve"):
            registry.apply(d)
        with pytest.raises(GuardFailed, match="awaiting a 'consent' decision from: Charity"):
            registry.apply(
                merger.decision(
                    "c", self.M.COMPLETE, "Alpha Trust", dt.date(2024, 3, 1), trigger="consent"
                )
            )
        registry.apply(
            merger.decision(
                "c", self.M.CONSENT, merger.REGULATOR, dt.date(2024, 3, 12), trigger="consent"
            )
        )
        return registry

    @pytest.mark.parametrize("completion", [dt.date(2024, 4, 1), dt.date(2024, 6, 30)])
    def test_it_completes_no_earlier_than_its_own_date(self, completion: dt.date) -> None:
        registry = self.consented(completion)
        with pytest.raises(GuardFailed, match=f"not before {completion.isoformat()}"):
            registry.apply(
                merger.decision(
                    "m", self.M.COMPLETE, "Alpha Trust", completion - DAY, trigger="complete"
                )
            )
        registry.apply(
            merger.decision("m", self.M.COMPLETE, "Alpha Trust", completion, trigger="complete")
        )
        assert registry.body("merger").history == ("proposed", "resolved", "consented", "merged")
        same_on_replay(registry)

    def test_the_script_runs_and_explains_the_wait(self) -> None:
        ran = subprocess.run(
            [sys.executable, str(EXAMPLES / "charity_merger.py")],
            capture_output=True,
            text=True,
            check=True,
        )
        assert ran.stdout.splitlines() == [
            "merger is consented (as of 2024-03-31)",
            "  complete -> merged: blocked",
            "    - not before 2024-04-01 (earliest_completion): 2024-03-31 is earlier",
            "    using: earliest_completion = 2024-04-01",
            "  abandon -> abandoned: possible",
            "merger: proposed -> resolved -> consented -> merged",
        ]
