"""The benchmark cases still run and report their figures (at small sizes; nothing is timed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).parent.parent / "benchmarks" / "cases.py"


def case(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, str(CASES), *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def positive(figures: dict[str, object], *keys: str) -> None:
    for key in keys:
        value = figures[key]
        assert isinstance(value, float), (key, value)
        assert value > 0, (key, value)


def test_every_case_reports_its_figures(tmp_path: Path) -> None:
    positive(
        case("apply", "10", "100"),
        "apply_us",
        "apply_guarded_us",
        "apply_fact_us",
        "transitions_us",
    )
    positive(case("create", "200"), "create_100k_s", "bytes_per_body")
    positive(case("seal", "10"), "seal_us", "seal_json_dumps_us")
    grown = case("one_body", "1100")["apply_us_at_body_facts"]
    assert isinstance(grown, dict)
    assert sorted(grown) == ["1000"]
    log, db = str(tmp_path / "log.jsonl"), str(tmp_path / "log.db")
    built = case("build", log, db, "20000", "1000")
    assert built["entries"] == 20000
    for key in ("apply_us_at_log_size", "collector_us_at_log_size", "apply_references_at_log_size"):
        timed = built[key]
        assert isinstance(timed, dict)
        assert sorted(timed) == ["20000"]
    positive(built["apply_us_at_log_size"], "20000")  # type: ignore[arg-type]
    positive(built["apply_references_at_log_size"], "20000")  # type: ignore[arg-type]
    positive(built, "replay_1m_s", "replay_floor_1m_s", "replay_ratio_floor")
    assert case("build", log, db, "2000", "100")["entries"] == 2000  # again: a new log
    positive(case("replay", log), "replay_1m_s", "replay_floor_1m_s")
    positive(case("verify_jsonl", log), "verify_1m_s", "verify_floor_1m_s")
    positive(
        case("sqlite", db, str(tmp_path / "append.db")),
        "sqlite_append_per_s",
        "sqlite_verify_1m_s",
    )
    positive(case("reopen", f"sqlite:///{db}", "1"), "open_checked_s", "open_unchecked_s")
    proved = case("proofs", log, db, "5")
    assert proved["entries"] == 2000  # the last build's log
    for store in ("jsonl", "sqlite"):
        positive(proved, *(f"{store}_{name}" for name in ("keep_s", "inclusion_us", "bundle_us")))
        positive(proved, f"{store}_rebuild_us", f"{store}_proof_ratio_rebuild")
        # A proof reads one node a level, or a few: never the log.
        assert 0 < proved[f"{store}_nodes_read"] <= (2000).bit_length() ** 2


def test_the_merkle_benchmark_reports_each_figure_beside_its_baseline() -> None:
    script = Path(__file__).parent.parent / "benchmarks" / "merkle.py"
    out = subprocess.run(
        [sys.executable, str(script), "--quick", "--json", "--sizes", "64,100"],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(out.stdout)
    assert sorted(figures) == ["100", "64", "seconds"]
    for size in ("64", "100"):
        measured = figures[size]
        for name in ("append", "inclusion", "inclusion_verify", "consistency", "sign"):
            positive(measured, f"{name}_us", f"{name}_ratio_sha256")
        ratio = measured["append_us"] / measured["append_raw_us"]
        assert measured["append_ratio_sha256"] == ratio


def test_the_display_benchmark_reports_each_figure_beside_its_peer() -> None:
    script = Path(__file__).parent.parent / "benchmarks" / "display.py"
    out = subprocess.run(
        [sys.executable, str(script), "--quick", "--entries", "300"],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(out.stdout)
    positive(figures, "lifecycle_mermaid_ms", "lifecycle_svg_ms", "big_svg_ms")
    positive(figures, "records_us_per_entry", "log_table_ms", "store_table_ms")
    for ours, peer, ratio in (
        ("log_table_ms", "pandas_to_html_ms", "log_table_ratio_pandas"),
        ("timeline_ms", "matplotlib_bare_ms", "timeline_ratio_matplotlib"),
    ):
        if ratio in figures:  # the peer is installed (figures keep 3 places, 4 digits below 1)
            assert figures[ratio] == pytest.approx(figures[ours] / figures[peer], rel=0.05)
