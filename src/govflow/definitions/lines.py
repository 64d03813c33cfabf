"""The line of a key in a definition file, from its path (``transitions[3].guards[0].of``).

Neither ``tomllib`` nor ``json`` says where a value of a valid document stands. For
JSON, a small scan of the text keeps each value's line by its path. For TOML, the path
is searched for: each array of tables is found by counting its ``[[name]]`` headers,
each table by its ``[name]`` header, and a key by its ``key =`` line within the table
found so far; the deepest part found gives the line.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import tomllib
from bisect import bisect_left

Path = tuple[str | int, ...]

_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCALAR = re.compile(r"[^,\]}\s]+")


def json_lines(text: str, twice: list[int] | None = None) -> dict[Path, int]:
    """Each value's line (from 1) in a valid JSON document, by its path.

    ``twice``, if given, gets the line of each key given again in its object.
    """
    lines: dict[Path, int] = {}

    breaks = [found.start() for found in re.finditer("\n", text)]

    def line(at: int) -> int:
        return bisect_left(breaks, at) + 1  # counting once: a long line is not quadratic

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
                if twice is not None and (*path, name) in lines:
                    twice.append(line(at))
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


def repeated_line(text: str, form: str) -> int | None:
    """The line of the first key a JSON text gives twice in one object, if it does."""
    twice: list[int] = []
    if form == "json":
        with contextlib.suppress(Exception):  # a text that is not JSON has no such line
            json_lines(text, twice)
    return twice[0] if twice else None


def json_line(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of the deepest part of it found."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


_HEADER = re.compile(r"^\s*\[\[?\s*((?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^\]\"'])+?)\s*\]\]?")
#: The tokens of an array's row: a string, a comment (which ends the row), a bare value.
_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|#.*|[{}\[\]]|[^\s,\[\]{}#\"']+")


def _items_on(row: str, depth: int) -> tuple[int, int]:
    """How many of an array's items start on a row at ``depth``, and the depth after it.

    An inline table or a nested array is one item, however many values it holds; the
    depth is below 0 once the array has closed.
    """
    count = 0
    for token in _TOKEN.findall(row):
        if token.startswith("#"):
            break
        if token in ("{", "["):
            count += depth == 0
            depth += 1
        elif token in ("}", "]"):
            depth -= 1
        elif depth == 0:
            count += 1
    return count, depth


_PART = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^.\s\"']+)\s*(?:\.|$)")


def _dotted(header: str) -> tuple[str, ...]:
    """A table header's name as its parts: ``a."b.c" . d`` is ``("a", "b.c", "d")``."""
    parts = []
    for match in _PART.finditer(header):
        part = match.group(1)
        if part.startswith('"'):  # its escapes read as TOML reads them (\U0001F600, say)
            part = _unquoted(part)
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def _unquoted(part: str) -> str:
    """A basic string's text as TOML reads it; ``""`` if it is no basic string."""
    try:
        return next(iter(tomllib.loads(f"{part} = 0")), "")
    except tomllib.TOMLDecodeError:
        return ""


_QUOTED = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*=')
#: A row of a dotted key, ``terms.title = ...``: the key, its parts quoted or bare.
_DOTTED_KEY = re.compile(
    r"^\s*((?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)"
    r"(?:\s*\.\s*(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+))+)\s*="
)


def _escaped(row: str) -> str | None:
    """The key a row of ``"key" = value`` names, its escapes read, if it is such a row."""
    match = _QUOTED.match(row)
    if match is None or "\\" not in match.group(1):
        return None
    return _unquoted(match.group(1)) or None


def _closed(row: str, at: int, closing: str) -> int | None:
    """Where the multi-line string ``closing`` closes ends on ``row`` (past it), from ``at``.

    ``None`` if it does not end there. In a basic string a backslash escapes the character
    after it; one or two quotes may stand just inside the three that close it.
    """
    while at < len(row):
        if closing == '"""' and row[at] == "\\":
            at += 2
        elif row.startswith(closing, at):
            end = at + 3
            while end < len(row) and row[end] == closing[0] and end < at + 5:
                end += 1
            return end
        else:
            at += 1
    return None


def _still_quoted(row: str, closing: str | None) -> str | None:
    """The quotes that close a multi-line string open at the end of ``row``, if one is.

    ``closing``: those of one open at its start. Quotes within a one-line string or
    after a comment's ``#`` open nothing.
    """
    at = 0
    while at < len(row):
        if closing is not None:  # within a multi-line string: only its closing counts
            end = _closed(row, at, closing)
            if end is None:
                return closing
            at, closing = end, None
            continue
        char = row[at]
        if char == "#":
            return None
        if row.startswith(('"""', "'''"), at):
            closing, at = row[at : at + 3], at + 3
        elif char in "\"'":  # a one-line string: to its closing quote
            end = at + 1
            while end < len(row) and row[end] != char:
                end += 2 if char == '"' and row[end] == "\\" else 1
            at = end + 1
        else:
            at += 1
    return closing


class TomlLines:
    """The lines of keys in one TOML document; its table headers are indexed once."""

    def __init__(self, text: str) -> None:
        # Lines end at "\n" (or "\r\n") only, as TOML's do: str.splitlines() would also end
        # one at U+2028, U+2029 or U+0085, which a TOML string or comment may hold.
        self.rows = [row.removesuffix("\r") for row in text.split("\n")]
        #: Each header's row, dotted name (its parts unquoted) and whether it is ``[[name]]``.
        self.headers: list[tuple[int, tuple[str, ...], bool]] = []
        inside: str | None = None  # within a multi-line string (its closing quotes): no key
        #: Whether each row begins within a multi-line string (its text, not a key).
        self.quoted: list[bool] = []
        for index, row in enumerate(self.rows):
            self.quoted.append(inside is not None)
            match = None if inside else _HEADER.match(row)
            inside = _still_quoted(row, inside)
            if match is not None:
                name = _dotted(match.group(1))
                self.headers.append((index, name, row.lstrip().startswith("[[")))
        self._starts = [index for index, _, _ in self.headers]
        #: The rows of the headers of each name, ``[name]`` and ``[[name]]`` apart, and of
        #: those under each name: a key's line is found by bisection, not by a scan of
        #: every header (20,000 problems of one file took 19 s that way).
        self._named: dict[tuple[tuple[str, ...], bool], list[int]] = {}
        self._under: dict[tuple[str, ...], list[int]] = {}
        for index, name, double in self.headers:
            self._named.setdefault((name, double), []).append(index)
            for length in range(1, len(name) + 1):
                self._under.setdefault(name[:length], []).append(index)

    def _within(self, start: int, end: int) -> list[tuple[int, tuple[str, ...], bool]]:
        return self.headers[bisect_left(self._starts, start) : bisect_left(self._starts, end)]

    @staticmethod
    def _first(rows: list[int], start: int, end: int, skip: int = 0) -> int | None:
        """The row ``skip`` places after the first of ``rows`` from ``start``, if before ``end``."""
        at = bisect_left(rows, start) + skip
        return rows[at] if at < len(rows) and rows[at] < end else None

    def _table_end(self, at: int, end: int, name: tuple[str, ...]) -> int:
        """The row where the table whose header is at ``at`` ends: the next header outside it."""
        for index, header, _ in self._within(at + 1, end):
            if len(header) <= len(name) or header[: len(name)] != name:
                return index
        return end

    def line(self, path: Path) -> int | None:
        """The line (from 1) of the key at ``path``, or of the deepest part found."""
        start, end = 0, len(self.rows)
        found: int | None = None
        prefix: list[str] = []
        position = base = 0  # base: where the path of the table the rows are in ends
        while position < len(path):
            part = path[position]
            following = path[position + 1] if position + 1 < len(path) else None
            if not isinstance(part, str):
                break
            name = (*prefix, part)
            if isinstance(following, int) and following >= 0:
                at = self._first(self._named.get((name, True), []), start, end, following)
                if at is not None:
                    found, start = at + 1, at + 1
                    end = self._table_end(at, end, name)
                    prefix.append(part)
                    position += 2
                    base = position
                    continue
            tables = [self._first(self._named.get((name, False), []), start, end)]
            if following is None:
                tables.append(self._first(self._named.get((name, True), []), start, end))
            table = min((t for t in tables if t is not None), default=None)
            if table is not None:
                found, start = table + 1, table + 1
                end = self._table_end(table, end, name)
                prefix.append(part)
                position += 1
                base = position
                continue
            deeper = self._first(self._under.get(name, []), start, end)
            if deeper is not None:
                # A table only named in deeper headers (``[a.b]``, no ``[a]``) is at the
                # first, unless a deeper key is found (``[[a.b]]`` is no item of ``a``).
                found = found if isinstance(following, int) else deeper + 1
                prefix.append(part)
                position += 1
                continue
            first = self._first(self._starts, start, end)
            last = end if first is None else first
            line, named = self._key_row(range(start, last), part, path[base:])
            if named:  # a dotted key: its item, if any, follows the parts it names
                following = path[base + named] if base + named < len(path) else None
            if line is not None:
                found = line + 1
                # An array written over several lines: the line its item is on.
                if isinstance(following, int) and self.rows[line].rstrip().endswith("["):
                    found = self._item(line + 1, last, following) or found
            break
        return found

    def _key_row(self, rows: range, part: str, path: Path) -> tuple[int | None, int]:
        """The row among ``rows`` of key ``part``, and 0; or of a dotted key naming ``path``.

        ``path`` is the key's path from the table the rows are in; for a dotted key, how
        many of its parts the row names comes second.
        """
        key = re.compile(
            rf"^\s*(?:\"{re.escape(part)}\"|'{re.escape(part)}'|{re.escape(part)})\s*="
        )
        line = next((i for i in rows if not self.quoted[i] and key.match(self.rows[i])), None)
        if line is None:  # a quoted key written with escapes ("\u0007" = 1)
            escaped = (i for i in rows if not self.quoted[i] and _escaped(self.rows[i]) == part)
            line = next(escaped, None)
        if line is not None:
            return line, 0
        return self._dotted_row(rows, path)  # terms.title = ...

    def _dotted_row(self, rows: range, path: Path) -> tuple[int | None, int]:
        """The first of ``rows`` whose dotted key names the most of ``path``, and how many parts.

        ``(None, 0)`` if none names its first part.
        """
        wanted = tuple(itertools.takewhile(lambda part: isinstance(part, str), path))
        best, most = None, 0
        for index in rows:
            match = None if self.quoted[index] else _DOTTED_KEY.match(self.rows[index])
            if match is None:
                continue
            key = _dotted(match.group(1))
            named = len(key) if wanted[: len(key)] == key else 0
            named = named or (len(wanted) if key[: len(wanted)] == wanted else 0)
            if named > most:
                best, most = index, named
        return best, most

    def _item(self, start: int, end: int, wanted: int) -> int | None:
        """The line of item ``wanted`` of an array whose items start on row ``start``."""
        seen, depth = 0, 0
        for index in range(start, end):
            items, depth = _items_on(self.rows[index], depth)
            if seen + items > wanted:
                return index + 1
            if depth < 0:  # the array closed before it
                return None
            seen += items
        return None


def toml_line(text: str, path: Path) -> int | None:
    """The line (from 1) of the key at ``path`` in a TOML document, or of the deepest part found.

    For many paths in one document, build :class:`TomlLines` once.
    """
    return TomlLines(text).line(path)


class Positions:
    """The lines of keys in one document of either form, worked out once on first use."""

    def __init__(self, text: str, form: str) -> None:
        self.text, self.form = text, form
        self._toml: TomlLines | None = None
        self._json: dict[Path, int] | None = None

    def line(self, path: Path) -> int | None:
        """The line (from 1) of the key at ``path``, or of the deepest part found."""
        if self.form == "toml":
            if self._toml is None:
                self._toml = TomlLines(self.text)
            return self._toml.line(path)
        if self._json is None:
            self._json = json_lines(self.text)
        return json_line(self._json, path)


#: A whole number as a file writes it: ASCII digits, TOML's underscores among them.
_NUMBER = re.compile(r"[+-]?[0-9][0-9_]*")


def long_number(text: str, form: str, digits: int) -> tuple[int, int] | None:
    """The line of the first number of more than ``digits`` digits, and its digits.

    Only a value is looked at: not a string's text, a comment, nor a row within a TOML
    multi-line string.
    """
    quoted = TomlLines(text).quoted if form == "toml" else None
    for index, row in enumerate(text.split("\n")):
        if quoted is not None and index < len(quoted) and quoted[index]:
            continue
        for token in _TOKEN.findall(row):
            if token.startswith("#") and form == "toml":
                break
            if _NUMBER.fullmatch(token) and token.count("_") + digits < len(token.lstrip("+-")):
                return index + 1, len(token.lstrip("+-").replace("_", ""))
    return None
