"""JSON Schemas of the content files, written from the model, for editors' completion and
checking (the YAML language server reads ``# yaml-language-server: $schema=...``)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from form8k.model import Company, ExhibitDocument, Filing, PressRelease

#: Schema file name -> the model it describes.
SCHEMAS: dict[str, type[BaseModel]] = {
    "company.schema.json": Company,
    "filing.schema.json": Filing,
    "press-release.schema.json": PressRelease,
    "document.schema.json": ExhibitDocument,
}


def schema(model: type[BaseModel]) -> bytes:
    """One model's JSON Schema, deterministic bytes."""
    document = model.model_json_schema(mode="validation")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; return the files written."""
    from form8k.write import write_file

    written = []
    for name, model in SCHEMAS.items():
        write_file(folder / name, schema(model))
        written.append(folder / name)
    return written
