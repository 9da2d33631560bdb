"""YAML loading that remembers where each value was written.

Schema checks (codebook, ``review.yml``, ``searches.yml``) must name the line of a
problem, and PyYAML's ``safe_load`` forgets it. :func:`load_located` returns the
ordinary Python data plus a map from each value's path (a tuple of keys and list
indexes) to its 1-based line, and reports duplicate mapping keys, which ``safe_load``
silently overwrites (a duplicated code id would otherwise lose a code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

PathKey = tuple[Any, ...]


class Located:
    """Data loaded from one YAML file with the line of every value."""

    def __init__(self, path: str, data: Any, lines: dict[PathKey, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def line(self, *keys: Any) -> int | None:
        """Line of the value at ``keys``, or of its nearest enclosing value."""
        key: PathKey = tuple(keys)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def problem(self, message: str, *keys: Any) -> Problem:
        """A :class:`Problem` located at the value ``keys``."""
        return Problem(self.path, self.line(*keys), message)


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], problems: list[Problem], file: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(file, line, f"duplicate key {key!r} (first written on line {seen[key]}); the second would silently replace the first"))
            else:
                seen[key] = line
            _walk(value_node, (*path, key), lines, problems, file)
            # a key's own line is more useful than its value's (values may start on the next line)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines, problems, file)


def load_located(path: str | Path, text: str | None = None) -> tuple[Located | None, list[Problem]]:
    """Parse a YAML file; return ``(Located, problems)``.

    ``Located`` is ``None`` when the file is missing or is not valid YAML (the problem
    then says where parsing stopped). Mapping keys that are not strings keep their
    YAML spelling in the line map.
    """
    file = str(path)
    if text is None:
        p = Path(path)
        if not p.is_file():
            return None, [Problem(file, None, "file not found")]
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return None, [Problem(file, None, "not UTF-8 text")]
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, line, f"invalid YAML: {problem}")]
    lines: dict[PathKey, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, problems, file)
    return Located(file, {} if data is None else data, lines), problems
