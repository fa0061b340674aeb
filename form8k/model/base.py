"""What every content model shares: unknown keys are errors, fields carry their docstrings."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Markdown = Annotated[str, Field(description="Markdown text (CommonMark, tables; no raw HTML)")]


class Schema(BaseModel):
    """Base of every content model: unknown keys are errors, fields carry docstrings."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, str_strip_whitespace=True
    )
