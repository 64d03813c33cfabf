"""Shared test set-up: Hypothesis profiles and a few builders."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, Phase, settings

from govflow import Kind, Registry

from .helpers import LIFECYCLE, TAMPERED, VERIFIED, make
from .stores import NO_SERVER

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# Hypothesis' too_slow health check times data generation: on a shared machine under
# load it failed a property test that passes (2 examples in 33 s, with four suites on
# two cores), a timed assertion in all but name. Every profile leaves it out.
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# For scripts/mutation.py: each mutant runs the tests once, so fewer examples, no
# database (a mutant's failure must not be replayed for the next), no shrinking.
settings.register_profile(
    "mutation",
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


if os.environ.get("HYPOTHESIS_PROFILE") == "mutation":

    @pytest.fixture(autouse=True)
    def _made_again_for_each_test() -> None:
        """Empty govflow's caches before each test, when mutation testing.

        mutmut maps each function to the tests that call it, then runs each mutant in
        a fork of a process that has imported everything. A function whose result is
        cached (the codecs, made once) is called by one test only, or before any, and
        the fork keeps what the unmutated code made: its mutants would seem to survive.
        """
        for name, module in list(sys.modules.items()):
            if name == "govflow" or name.startswith("govflow."):
                for value in list(vars(module).values()):
                    if callable(getattr(value, "cache_clear", None)):
                        value.cache_clear()


@pytest.fixture
def registry() -> Registry:
    """A registry on the partnership lifecycle holding body ``b``, just proposed."""
    reg = Registry(LIFECYCLE)
    reg.apply(make("p", Kind.PROPOSE, "LGA", 0))
    return reg


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many PostgreSQL tests ran, so a run without a server cannot pass unnoticed."""
    counts = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        reports = terminalreporter.stats.get(outcome, [])
        counts[outcome] = sum(
            1
            for r in reports
            if r.when in ("call", "setup")
            and ("postgres" in getattr(r, "keywords", {}) or NO_SERVER in str(r.longrepr))
        )
    terminalreporter.write_line(
        "PostgreSQL tests: {passed} passed, {failed} failed, {skipped} skipped".format(**counts)
    )
    # Skips by reason, one line each (pytest's -rs gives one a test: a hundred lines
    # without a PostgreSQL server).
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        said = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = said.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"Skipped {count}: {reason}")
    for counted, said in ((TAMPERED, "by their Merkle roots"), (VERIFIED, "by verify")):
        if counted:
            kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(counted.items()))
            total = sum(counted.values())
            line = f"Tampered logs caught where changed, {said}: {total:,} ({kinds})"
            terminalreporter.write_line(line)
