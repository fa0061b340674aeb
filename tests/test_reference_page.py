"""docs/fields.md is the content model's own description, current."""

from __future__ import annotations

from form8k.model import Company, ExhibitDocument, Filing, PressRelease
from form8k.reference import reference
from tests.conftest import REPO


def test_the_field_reference_page_is_current() -> None:
    page = (REPO / "docs" / "fields.md").read_text(encoding="utf-8")
    assert page == reference(), "run: .venv/bin/python -m form8k.reference > docs/fields.md"


def test_every_field_of_every_file_is_described() -> None:
    page = reference()
    for model in (Company, Filing, PressRelease, ExhibitDocument):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no docstring"
            assert f"| `{name}` |" in page
