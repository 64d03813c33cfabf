"""govflow's codec beside cattrs, on the reference case's decisions: what each reads and writes.

    pip install cattrs   # not a dependency of govflow: for this comparison only
    python benchmarks/codec_cattrs.py

cattrs (structure/unstructure, code generated per class) was weighed as the one
description of each record that drives the canonical writer, the shape check and the
reader. Both are given the 26 decisions of the reference case, as the canonical form's
plain data: cattrs with its JSON converter and hooks for the two types it cannot know
(``When``, written as its ISO text; a decision's kind, by its value). Printed: whether
each reads the decisions back as they were and writes their canonical text, what each
does with a number where a text belongs, and the median microseconds a decision to read
and to write (its canonical text: cattrs' plain data through ``json.dumps`` with sorted
keys), over 7 repeats of 200 passes, and the import time of cattrs' JSON converter.
"""

from __future__ import annotations

import importlib.metadata
import json
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable

from govflow.log.codec import record_codec
from govflow.log.where import NOWHERE
from govflow.model.decision import Decision
from govflow.model.kind import DecisionKind, Kind
from govflow.model.when import When
from govflow.scenarios import spb


def main() -> None:
    try:
        from cattrs.preconf.json import make_converter
    except ModuleNotFoundError:
        raise SystemExit("cattrs is not installed: pip install cattrs") from None
    decisions = list(spb.decisions())
    codec = record_codec(Decision, 3)
    texts = [codec.text(d) for d in decisions]
    data = [json.loads(t) for t in texts]
    converter = make_converter()
    converter.register_structure_hook(When, lambda value, _: When.parse(value))
    converter.register_unstructure_hook(When, lambda when: when.iso)
    converter.register_structure_hook(DecisionKind, lambda value, _: Kind(value))
    converter.register_unstructure_hook(DecisionKind, lambda kind: kind.value)

    def canonical(decision: Decision) -> str:
        plain = converter.unstructure(decision)
        return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def per_decision(work: Callable[[], object]) -> float:
        runs = timeit.repeat(work, number=200, repeat=7)
        return statistics.median(runs) / 200 / len(decisions) * 1e6

    read_back = [converter.structure(d, Decision) for d in data] == decisions
    same_text = sum(canonical(d) == t for d, t in zip(decisions, texts, strict=True))
    number = {**data[0], "actor": 5}
    try:
        taken = repr(converter.structure(number, Decision).actor)
    except Exception as error:  # noqa: BLE001 - whatever cattrs raises is the answer
        taken = f"refused ({type(error).__name__})"
    ours_read = per_decision(lambda: [codec.read(d, NOWHERE) for d in data])
    theirs_read = per_decision(lambda: [converter.structure(d, Decision) for d in data])
    ours_write = per_decision(lambda: [codec.text(d) for d in decisions])
    theirs_write = per_decision(lambda: [canonical(d) for d in decisions])
    imported = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cattrs.preconf.json"],
        capture_output=True, text=True, check=True,
    ).stderr.splitlines()[-1]  # fmt: skip
    figures = {
        "cattrs": importlib.metadata.version("cattrs"),
        "cattrs_reads_them_back": read_back,
        "cattrs_texts_canonical": f"{same_text} of {len(decisions)}",
        "cattrs_actor_5_becomes": taken,
        "read_us": {"govflow": ours_read, "cattrs": theirs_read, "ratio": theirs_read / ours_read},
        "write_us": {
            "govflow": ours_write,
            "cattrs": theirs_write,
            "ratio": theirs_write / ours_write,
        },
        "cattrs_import_us_cumulative": int(imported.split("|")[1]),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
