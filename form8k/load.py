"""Content files -> model: YAML and front-matter Markdown, keeping where each value came from.

Scalars are read as strings (a YAML 1.1 reader would turn ``0-17999`` into a string but ``01234``
into an octal number and ``NO`` into False); the pydantic schema then converts each value to the
type its field asks for. Every value's line and column is kept so that a problem found later
points at the text the user wrote.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from form8k.errors import KeyPath, Problem, SourceLocation, SourceMap, did_you_mean
from form8k.model import (
    Company,
    ExhibitDocument,
    ExhibitSource,
    Filing,
    FilingBundle,
    Graphic,
    PressRelease,
)
from form8k.project import COMPANY_FILE, FILING_FILE, find_filings  # noqa: F401 (re-exported)
from form8k.rules import RULES

GRAPHIC_SUFFIXES = (".jpg", ".gif")
#: Nodes one YAML file may expand to; stops alias bombs ("billion laughs").
MAX_NODES = 100_000


class LoadError(Exception):
    """A file could not be loaded; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# --- YAML -------------------------------------------------------------------------------------


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


# --- validation against the schema ------------------------------------------------------------


def _model_fields(model: type[BaseModel], path: KeyPath) -> list[str]:
    """Field names of the model found at ``path`` below ``model`` (for did-you-mean)."""
    annotation: Any = model
    for part in path:
        annotation = _unwrap(annotation, index=isinstance(part, int))
        if isinstance(part, str):
            if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
                return []
            info = annotation.model_fields.get(part)
            if info is None:
                return []
            annotation = info.annotation
    annotation = _unwrap(annotation, index=False)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any, *, index: bool) -> Any:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _unwrap(args[0], index=index)
    if index and origin is list and args:
        return args[0]
    return annotation


def _describe(error: Any) -> str:
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if message[1:2].islower():  # "Input should be..." but not "CIK must be..."
        message = message[:1].lower() + message[1:]
    return message


M = typing.TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, sources: SourceMap, *, prefix: KeyPath = ()) -> M:
    """Validate ``data`` against ``model``; every error becomes a Problem at its YAML location."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
            key = loc[-1] if loc else ""
            rule = error["type"] if error["type"] in RULES else None
            if rule is not None:
                message = str(error["msg"])  # our own rule's message says what it is about
                location = sources.locate((*prefix, *loc))
            elif error["type"] == "extra_forbidden":
                fields = _model_fields(model, loc[:-1])
                message = f"unknown key {key!r}" + did_you_mean(str(key), fields)
                location = sources.locate((*prefix, *loc), key=True)
            elif error["type"] == "missing":
                message = f"missing required key {key!r}"
                location = sources.locate((*prefix, *loc[:-1]))
            else:
                name = ".".join(str(p) for p in loc if isinstance(p, str))
                label = f"{name}: " if name else ""
                message = f"{label}{_describe(error)}"
                location = sources.locate((*prefix, *loc))
            problems.append(Problem(location, message, rule=rule))
        suggested = {
            p.message.rsplit("'", 2)[-2]
            for p in problems
            if p.message.startswith("unknown key") and "did you mean" in p.message
        }
        problems = [
            p
            for p in problems
            if not (
                p.message.startswith("missing required key")
                and p.message.rsplit("'", 2)[-2] in suggested
            )
        ]
        raise LoadError(sorted(problems, key=lambda p: p.location)) from None


# --- file references --------------------------------------------------------------------------


def resolve_reference(
    value: str, *, location: SourceLocation, root: Path, suffixes: tuple[str, ...] = ()
) -> Path:
    """Resolve a file named in content, relative to the file that names it; refuse escapes."""
    base = location.path.parent
    candidate = (base / value).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise LoadError(
            [
                Problem(
                    location,
                    f"{value!r} is outside the project; content may only use project files",
                )
            ]
        )
    if suffixes and candidate.suffix.lower() not in suffixes:
        raise LoadError(
            [
                Problem(
                    location,
                    f"{value!r} must be a {' or '.join(suffixes)} file "
                    "(EDGAR accepts no other images)",
                )
            ]
        )
    if candidate.is_dir():
        raise LoadError([Problem(location, f"{value!r} is a folder; name a file")])
    if not candidate.is_file():
        siblings = (
            [p.name for p in candidate.parent.iterdir() if p.is_file()]
            if candidate.parent.is_dir()
            else []
        )
        raise LoadError(
            [
                Problem(
                    location, f"file {value!r} not found" + did_you_mean(candidate.name, siblings)
                )
            ]
        )
    if suffixes and not image_matches_suffix(candidate):
        raise LoadError(
            [
                Problem(
                    location,
                    f"{value!r} is not a {candidate.suffix.lower()[1:].upper()} image: its content "
                    "does not match its name, which EDGAR rejects",
                )
            ]
        )
    return candidate


#: How each image type EDGAR accepts begins (EDGAR checks that the content matches the name).
IMAGE_SIGNATURES = {".jpg": (b"\xff\xd8\xff",), ".gif": (b"GIF87a", b"GIF89a")}


def image_matches_suffix(path: Path) -> bool:
    """Whether a .jpg is a JPEG and a .gif a GIF."""
    signatures = IMAGE_SIGNATURES.get(path.suffix.lower(), ())
    with open(path, "rb") as stream:
        head = stream.read(8)
    return any(head.startswith(signature) for signature in signatures)


# --- one filing -------------------------------------------------------------------------------


def find_company_file(folder: Path, content: Path) -> Path | None:
    """The nearest company.yaml from the filing folder up to content/."""
    for directory in (folder, *folder.parents):
        candidate = directory / COMPANY_FILE
        if candidate.is_file():
            return candidate
        if directory == content:
            break
    return None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_filing(folder: Path, *, content: Path, root: Path) -> FilingBundle:
    """Load, validate and resolve one filing folder; raise LoadError with all its problems."""
    filing_path = folder / FILING_FILE
    problems: list[Problem] = []
    filing_data, filing_sources = read_yaml_file(filing_path)

    company_path = find_company_file(folder, content)
    if company_path is None:
        raise LoadError(
            [
                Problem(
                    SourceLocation(filing_path, 1, 1),
                    f"no {COMPANY_FILE} in this folder or above it in {content.name}/",
                )
            ]
        )
    company_data, company_sources = read_yaml_file(company_path)
    overrides = filing_data.get("company") or {}
    if not isinstance(overrides, dict):
        overrides = {}
    company_sources.graft(filing_sources, ("company",))
    company: Company | None = None
    filing: Filing | None = None
    try:
        company = validate(Company, _merge(company_data, overrides), company_sources)
    except LoadError as error:
        problems += error.problems
    try:
        filing = validate(Filing, filing_data, filing_sources)
    except LoadError as error:
        problems += error.problems
    if company is None or filing is None:
        raise LoadError(problems)

    logo = None
    if company.logo is not None:
        try:
            logo_path = resolve_reference(
                company.logo,
                location=company_sources.locate(("logo",)),
                root=root,
                suffixes=GRAPHIC_SUFFIXES,
            )
            logo = Graphic(f"{company.prefix}-logo{logo_path.suffix.lower()}", logo_path)
        except LoadError as error:
            problems += error.problems

    exhibits: dict[str, ExhibitSource] = {}
    for index, exhibit in enumerate(filing.exhibits):
        if exhibit.source is None:
            continue
        location = filing_sources.locate(("exhibits", index, "source"))
        try:
            path = resolve_reference(exhibit.source, location=location, root=root)
            data, sources, body, body_line = read_front_matter(path)
            schema: type[PressRelease | ExhibitDocument] = (
                PressRelease if exhibit.kind == "press-release" else ExhibitDocument
            )
            front_matter = validate(schema, data, sources)
            exhibits[exhibit.number] = ExhibitSource(
                exhibit, front_matter, body, path, sources, body_line
            )
        except LoadError as error:
            problems += error.problems
    if problems:
        raise LoadError(problems)
    named = {source.path for source in exhibits.values()}
    unreferenced = tuple(
        path for path in sorted(folder.glob("*.md")) if path.resolve() not in named
    )
    return FilingBundle(
        key=folder.relative_to(content).as_posix(),
        folder=folder,
        company=company,
        filing=filing,
        filing_sources=filing_sources,
        company_sources=company_sources,
        exhibits=exhibits,
        logo=logo,
        unreferenced_documents=unreferenced,
    )
