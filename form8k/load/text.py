"""Reading content files: UTF-8 text, YAML with the line and column of every value, and
Markdown with YAML front matter.

Scalars are read as strings (a YAML 1.1 reader would turn ``0-17999`` into a string but ``01234``
into an octal number and ``NO`` into False); the pydantic schema then converts each value to the
type its field asks for. Every value's line and column is kept so that a problem found later
points at the text the user wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from form8k.errors import KeyPath, Problem, SourceLocation, SourceMap

#: Nodes one YAML file may expand to; stops alias bombs ("billion laughs").
MAX_NODES = 100_000


class LoadError(Exception):
    """A file could not be loaded; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _mark(path: Path, mark: Any, line_offset: int) -> SourceLocation:
    return SourceLocation(path, mark.line + 1 + line_offset, mark.column + 1)


#: The tags a content file may use: YAML's own scalars and collections, nothing that builds
#: objects (``!!python/...``) or names an application type (``!shell``).
SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


def _yaml_problem(error: yaml.MarkedYAMLError, path: Path, line_offset: int, text: str) -> Problem:
    """PyYAML's error at its mark; a problem at the end of the text points where it began."""
    problem = (error.problem or "invalid YAML").strip()
    mark, context = error.problem_mark, error.context_mark
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if error.context and context is not None and (at_end or mark is None):
        where = _mark(path, context, line_offset)
        return Problem(where, f"invalid YAML: {problem} {error.context.strip()} that starts here")
    if mark is None:
        return Problem(SourceLocation(path, 1 + line_offset, 1), f"invalid YAML: {problem}")
    if error.context:
        problem = f"{problem} ({error.context.strip()})"
    return Problem(_mark(path, mark, line_offset), f"invalid YAML: {problem}")


def parse_yaml(text: str, path: Path, *, line_offset: int = 0) -> tuple[Any, SourceMap]:
    """Parse one YAML document safely into plain data (strings, lists, dicts) and its SourceMap."""
    sources = SourceMap(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise LoadError([_yaml_problem(error, path, line_offset, text)]) from None
    except yaml.YAMLError as error:
        raise LoadError([Problem(SourceLocation(path), f"invalid YAML: {error}")]) from None
    if node is None:
        return {}, sources
    problems: list[Problem] = []
    budget = [MAX_NODES]

    def convert(node: yaml.Node, key_path: KeyPath) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise LoadError(
                [Problem(_mark(path, node.start_mark, line_offset), "YAML expands too far")]
            )
        sources.values[key_path] = _mark(path, node.start_mark, line_offset)
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # A block scalar's text starts on the line after its indicator.
            start = node.start_mark.line + 2 + line_offset
            sources.values[key_path] = SourceLocation(path, start, None)
        if node.tag not in SAFE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(
                Problem(
                    _mark(path, node.start_mark, line_offset),
                    f"YAML tag {tag!r} is not supported: content is plain text, lists and mappings",
                )
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:null":
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [convert(child, (*key_path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_location = _mark(path, key_node.start_mark, line_offset)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(key_location, "a key must be a plain word"))
                continue
            key = key_node.value
            if key in result:
                first = sources.keys[(*key_path, key)]
                problems.append(
                    Problem(
                        key_location, f"duplicate key {key!r} (first given on line {first.line})"
                    )
                )
                continue
            sources.keys[(*key_path, key)] = key_location
            result[key] = convert(value_node, (*key_path, key))
        return result

    data = convert(node, ())
    if problems:
        raise LoadError(problems)
    return data, sources


def read_text(path: Path) -> str:
    """Read a UTF-8 content file (a byte-order mark is dropped)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError(
            [
                Problem(
                    SourceLocation(path), f"not UTF-8 text ({error.reason} at byte {error.start})"
                )
            ]
        ) from None
    except OSError as error:
        raise LoadError([Problem(SourceLocation(path), f"cannot read: {error.strerror}")]) from None


def read_yaml_file(path: Path) -> tuple[Any, SourceMap]:
    """Parse a YAML file whose top level must be a mapping."""
    data, sources = parse_yaml(read_text(path), path)
    if not isinstance(data, dict):
        raise LoadError([Problem(sources.locate(()), "expected a mapping of keys to values")])
    return data, sources


def read_front_matter(path: Path) -> tuple[dict[str, Any], SourceMap, str, int]:
    """Split a Markdown file into its YAML front matter (data, sources), its body, and the
    line the body starts on."""
    text = read_text(path)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise LoadError(
            [
                Problem(
                    SourceLocation(path, 1, 1),
                    "expected YAML front matter: a first line '---', the fields, then '---'",
                )
            ]
        )
    closing = [i for i, line in enumerate(lines) if i and line.rstrip() in ("---", "...")]
    if not closing:
        raise LoadError(
            [Problem(SourceLocation(path, 1, 1), "front matter has no closing '---' line")]
        )
    end = closing[0]
    data, sources = parse_yaml("".join(lines[1:end]), path, line_offset=1)
    if not isinstance(data, dict):
        raise LoadError([Problem(SourceLocation(path, 2, 1), "front matter must be a mapping")])
    return data, sources, "".join(lines[end + 1 :]), end + 2
