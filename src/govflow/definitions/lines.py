"""The line of a key in a definition file, from its path (``transitions[3].guards[0].of``).

Neither ``tomllib`` nor ``json`` says where a value of a valid document stands. For
JSON, a small scan of the text keeps each value's line by its path. For TOML, the path
is searched for: each array of tables is found by counting its ``[[name]]`` headers,
each table by its ``[name]`` header, and a key by its ``key =`` line within the table
found so far; the deepest part found gives the line.
"""

from __future__ import annotations

import json
import re

Path = tuple[str | int, ...]

_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCALAR = re.compile(r"[^,\]}\s]+")


def json_lines(text: str) -> dict[Path, int]:
    """Each value's line (from 1) in a valid JSON document, by its path."""
    lines: dict[Path, int] = {}

    def line(at: int) -> int:
        return text.count("\n", 0, at) + 1

    def skip(at: int) -> int:
        """The position after the white space at ``at``."""
        return _WS.match(text, at).end()  # type: ignore[union-attr]

    def value(at: int, path: Path) -> int:
        at = skip(at)
        lines.setdefault(path, line(at))
        char = text[at : at + 1]
        if char == "{":
            at = skip(at + 1)
            while text[at] != "}":
                key = _STRING.match(text, at)
                assert key is not None  # noqa: S101 - the text parsed as JSON
                name = json.loads(key.group())
                lines[(*path, name)] = line(at)
                at = skip(key.end()) + 1
                at = skip(value(at, (*path, name)))
                if text[at] == ",":
                    at = skip(at + 1)
            return at + 1
        if char == "[":
            at = skip(at + 1)
            index = 0
            while text[at] != "]":
                at = skip(value(at, (*path, index)))
                index += 1
                if text[at] == ",":
                    at = skip(at + 1)
            return at + 1
        found = _STRING.match(text, at) if char == '"' else _SCALAR.match(text, at)
        assert found is not None  # noqa: S101 - the text parsed as JSON
        return found.end()

    value(0, ())
    return lines


def json_line(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of the deepest part of it found."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")


def toml_line(text: str, path: Path) -> int | None:
    """The line (from 1) of the key at ``path`` in a TOML document, or of the deepest part found."""
    rows = text.splitlines()
    start, end = 0, len(rows)
    found: int | None = None
    prefix: list[str] = []
    position = 0
    while position < len(path):
        part = path[position]
        following = path[position + 1] if position + 1 < len(path) else None
        if not isinstance(part, str):
            break
        name = ".".join([*prefix, part])
        if isinstance(following, int):
            headers = [i for i in range(start, end) if _is_header(rows[i], name, double=True)]
            if following < len(headers):
                at = headers[following]
                found, start = at + 1, at + 1
                end = next(
                    (
                        i
                        for i in range(at + 1, end)
                        if _is_header(rows[i], name, double=True) or _outside(rows[i], name)
                    ),
                    end,
                )
                prefix.append(part)
                position += 2
                continue
        table = next(
            (
                i
                for i in range(start, end)
                if _is_header(rows[i], name, double=False)
                or (following is None and _is_header(rows[i], name, double=True))
            ),
            None,
        )
        if table is not None:
            found, start = table + 1, table + 1
            end = next((i for i in range(table + 1, end) if _outside(rows[i], name)), end)
            prefix.append(part)
            position += 1
            continue
        key = re.compile(rf"^\s*\"?{re.escape(part)}\"?\s*=")
        last = next((i for i in range(start, end) if _HEADER.match(rows[i])), end)
        line = next((i for i in range(start, last) if key.match(rows[i])), None)
        if line is not None:
            found = line + 1
            # An array written one item a line: the item's own line.
            if isinstance(following, int) and rows[line].rstrip().endswith("["):
                item = line + 1 + following
                if item < last and not rows[item].strip().startswith("]"):
                    found = item + 1
        break
    return found


def _is_header(row: str, name: str, *, double: bool) -> bool:
    match = _HEADER.match(row)
    if match is None or row.lstrip().startswith("[[") != double:
        return False
    return re.sub(r"\s+", "", match.group(1)) == name


def _outside(row: str, name: str) -> bool:
    """Whether ``row`` is a header of a table that is not ``name`` or inside it."""
    match = _HEADER.match(row)
    if match is None:
        return False
    header = re.sub(r"\s+", "", match.group(1))
    return not header.startswith(name + ".")
