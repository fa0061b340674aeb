"""Validating loaded data against the content model: every pydantic error becomes a problem
at the YAML line and column of the value (or key) it is about, with a did-you-mean for typos."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from form8k.errors import KeyPath, Problem, SourceMap, did_you_mean
from form8k.load.text import LoadError
from form8k.rules import RULES


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
