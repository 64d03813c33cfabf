"""The lifecycle's shape, checked in a file's own terms: each problem at its key.

A :class:`~govflow.Lifecycle` refuses these too, but names transitions by number and
cannot say where in a file they stand; here each is placed at the key at fault, so that
a file's problems all come with their lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Path = tuple[str | int, ...]

#: How a file names a transition's way back to the state a body came from.
PREVIOUS_NAME = "<previous>"


def shape_problems(data: Mapping[str, Any], states: list[str]) -> list[tuple[Path, str]]:
    """Where a well-formed file's lifecycle breaks the rules of a lifecycle's shape."""
    # Each state's first place: a name seen before is listed again.
    first = {name: number for number, name in reversed(list(enumerate(states)))}
    found: list[tuple[Path, str]] = [
        (("states", number), f"{name!r} is listed more than once")
        for number, name in enumerate(states)
        if first[name] < number
    ]
    final = set(data.get("final", ()))
    seen: dict[tuple[str, str], int] = {}
    edges: dict[str, list[str]] = {}
    led_into = {t["to"] for t in data["transitions"]}
    found.extend(  # as a lifecycle refuses it, placed at its key
        (("transitions", number, "trigger"), f"expected a trigger not blank; got {t['trigger']!r}")
        for number, t in enumerate(data["transitions"])
        if t["trigger"].isspace()
    )
    for number, transition in enumerate(data["transitions"]):
        here: Path = ("transitions", number)
        listed = transition["from"]
        sources = [listed] if isinstance(listed, str) else list(listed)
        for n, source in enumerate(sources):
            at: Path = (*here, "from") if isinstance(listed, str) else (*here, "from", n)
            if source in final:
                found.append((at, f"{source!r} is a final state, and final states have no way out"))
            key = (source, transition["trigger"])
            if key in seen and seen[key] == number:
                found.append((at, f"{source!r} is listed more than once in from"))
            elif key in seen:
                message = (
                    f"{key[1]!r} already leaves {source!r} in transitions[{seen[key]}]; "
                    "a trigger may leave each state only once"
                )
                found.append(((*here, "trigger"), message))
            seen.setdefault(key, number)
            if transition["to"] == PREVIOUS_NAME:
                if source == data["initial"] and source not in led_into:
                    message = (
                        f"a way back from the initial state {source!r}, which no transition "
                        "leads into: a body there has no previous state"
                    )
                    found.append((at, message))
            else:  # a way back leads nowhere new: only where a body has been
                edges.setdefault(source, []).append(transition["to"])
    named = {state for source, dests in edges.items() for state in (source, *dests)}
    if data["initial"] in states and named <= set(states):  # a misspelt state says enough
        reached = {data["initial"]}
        frontier = [data["initial"]]
        while frontier:
            for dest in edges.get(frontier.pop(), ()):
                if dest not in reached:
                    reached.add(dest)
                    frontier.append(dest)
        found.extend(
            (
                ("states", number),
                f"{name!r} cannot be reached from the initial state {data['initial']!r}",
            )
            for number, name in enumerate(states)
            if name not in reached and first[name] == number
        )
    return found
