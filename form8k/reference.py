"""The field reference (docs/fields.md), written from the content model itself: every key of
company.yaml, filing.yaml and the exhibits' front matter, its type, default and what it does.

``python -m form8k.reference > docs/fields.md``; a test keeps the page current.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from form8k.model import Company, ExhibitDocument, Filing, PressRelease

#: The files a user writes and the model of each.
FILES: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("company.yaml", Company, "The registrant's profile, shared by its filings."),
    ("filing.yaml", Filing, "One Form 8-K or 8-K/A."),
    (
        "Press-release front matter",
        PressRelease,
        "The YAML between the `---` lines that open an exhibit of `kind: press-release`.",
    ),
    (
        "Document front matter",
        ExhibitDocument,
        "The front matter of an exhibit of `kind: document` (an agreement, a plan, a letter).",
    ),
)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds (``list[Security]``, ``Address | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for argument in typing.get_args(annotation):
        found += _models(argument)
    return found


def _type(annotation: Any) -> str:
    """A type as a reader of YAML thinks of it."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        parts = [_type(a) for a in arguments if a is not type(None)]
        optional = type(None) in arguments
        return " or ".join(parts) + (" (optional)" if optional else "")
    if origin is typing.Literal:
        return " \\| ".join(f'`"{a}"`' if isinstance(a, str) else f"`{a}`" for a in arguments)
    if origin is list:
        return f"list of {_type(arguments[0])}"
    if origin is dict:
        return f"mapping of {_type(arguments[0])} to {_type(arguments[1])}"
    if typing.get_origin(annotation) is typing.Annotated:
        return _type(arguments[0])
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        return {
            "str": "text",
            "int": "number",
            "bool": "true/false",
            "date": "date (YYYY-MM-DD)",
        }.get(annotation.__name__, annotation.__name__)
    return str(annotation).replace("typing.", "")


def _default(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.default_factory() if field.default_factory is not None else field.default
    if isinstance(value, BaseModel):
        return "see below"
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, str):
        return f"`{value!r}`".replace("|", "\\|")
    return f"`{value!r}`".replace("|", "\\|")


def _section(model: type[BaseModel], title: str, intro: str) -> list[str]:
    lines = [
        f"### {title}",
        "",
        intro,
        "",
        "| key | type | default | what it does |",
        "|---|---|---|---|",
    ]
    for name, field in model.model_fields.items():
        description = " ".join((field.description or "").split()).replace("|", "\\|")
        lines.append(
            f"| `{name}` | {_type(field.annotation)} | {_default(field)} | {description} |"
        )
    return [*lines, ""]


def reference() -> str:
    """The whole page, as Markdown."""
    lines = [
        "# Field reference",
        "",
        "Every key form8k reads, written from the content model (`form8k/model/`) by "
        "`python -m form8k.reference`; a test keeps this page current. Unknown keys are errors "
        "(with a did-you-mean).",
        "",
    ]
    seen: set[type[BaseModel]] = set()
    queue: list[type[BaseModel]] = []
    for title, model, intro in FILES:
        lines += [f"## {title}", ""]
        lines += _section(model, model.__name__, intro)
        seen.add(model)
        queue += [m for f in model.model_fields.values() for m in _models(f.annotation)]
    lines += ["## Parts", ""]
    while queue:
        model = queue.pop(0)
        if model in seen:
            continue
        seen.add(model)
        doc = " ".join((model.__doc__ or "").split())
        lines += _section(model, model.__name__, doc)
        queue += [m for f in model.model_fields.values() for m in _models(f.annotation)]
    lines += _limits()
    return "\n".join(lines).rstrip() + "\n"


def _limits() -> list[str]:
    """The limits on content's size and depth (``form8k/load/limits.py``), as a table."""
    from form8k.load.limits import LIMITS

    lines = [
        "## Limits",
        "",
        "Content past one of these is an error at the file and line where it is passed; "
        "nothing is cut off silently. Each is far above what real filings need (the largest "
        "figure among the ten EDGAR-accepted filings rebuilt in the tests is given) and far "
        "below what would make a build take minutes or gigabytes.",
        "",
        "| what | limit | largest real | why |",
        "|---|---|---|---|",
    ]
    for limit in LIMITS:
        cells = (limit.name, limit.shown, limit.real, limit.reason)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return [*lines, ""]


if __name__ == "__main__":
    print(reference(), end="")
