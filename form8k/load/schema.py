"""Validating loaded data against the content model: every pydantic error becomes a problem
at the YAML line and column of the value (or key) it is about, with a did-you-mean for typos."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from form8k.errors import KeyPath, Problem, SourceMap, did_you_mean
from form8k.load.limits import cap, clip
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


_MONTHS = [calendar.month_name[n].lower() for n in range(1, 13)]
#: Dates as people write them: 11/26/2026 (month first, as in the U.S.; day first when the
#: first number cannot be a month), 2026/11/26, 20261126, November 26, 2026, 26 Nov. 2026.
_NUMERIC_DATES = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})"), ("m", "d", "y")),
    (re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), ("y", "m", "d")),
)
_NAMED_DATES = (
    (re.compile(r"([a-z]{3,})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})"), ("b", "d", "y")),
    (re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]{3,})\.?,? (\d{4})"), ("d", "b", "y")),
)


def _read_date(text: str) -> dt.date | None:
    """The date ``text`` means, written some other way than YYYY-MM-DD; None if unsure."""
    text = " ".join(text.strip().lower().split())
    text = re.sub(r"[ t]\d{1,2}:\d{2}.*$", "", text)  # a time after the date
    for pattern, order in (*_NUMERIC_DATES, *_NAMED_DATES):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        if "b" in parts:
            months = [n for n, name in enumerate(_MONTHS, 1) if name.startswith(parts["b"])]
            if len(months) != 1:
                return None
            parts["m"] = str(months[0])
        year, month, day = int(parts["y"]), int(parts["m"]), int(parts["d"])
        if year < 100:
            year += 2000
        if order[0] == "m" and month > 12 >= day:
            month, day = day, month  # 26/11/2026: day first
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def _describe_date(value: object) -> str:
    """Why ``value`` is not a date, and the date to write instead when it is clear."""
    form = "write dates as YYYY-MM-DD (year, month, day)"
    if not isinstance(value, str):
        return f"expected a date, not {type(value).__name__}: {form}"
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if iso:
        year, month = int(iso.group(1)), int(iso.group(2))
        if not 1 <= month <= 12:
            return f"{clip(value)} is not a date: there is no month {month}; {form}"
        if year >= 1:
            days = calendar.monthrange(year, month)[1]
            return (
                f"{clip(value)} is not a date: {calendar.month_name[month]} {year} has {days} days"
            )
    meant = _read_date(value)
    if meant is None:
        return f"{clip(value)} is not a date: {form}, e.g. 2024-03-01"
    return (
        f"{value!r} is not a date in the form YYYY-MM-DD: write {meant.isoformat()} "
        f"({calendar.month_name[meant.month]} {meant.day}, {meant.year})"
    )


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
                message = f"unknown key {clip(str(key))}" + did_you_mean(str(key), fields)
                location = sources.locate((*prefix, *loc), key=True)
            elif error["type"] == "missing":
                message = f"missing required key {key!r}"
                location = sources.locate((*prefix, *loc[:-1]))
            else:
                name = ".".join(str(p) for p in loc if isinstance(p, str))
                label = f"{name}: " if name else ""
                if str(error["type"]).startswith("date_"):
                    message = f"{label}{_describe_date(error.get('input'))}"
                else:
                    message = f"{label}{_describe(error)}"
                location = sources.locate((*prefix, *loc))
            problems.append(Problem(location, cap(message), rule=rule))
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
