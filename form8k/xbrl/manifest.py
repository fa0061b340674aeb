"""The submission's manifest: every document EDGAR receives, in upload order, with its type."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from form8k.model import FilingBundle

if TYPE_CHECKING:
    from form8k.render import RenderedFiling

MANIFEST = "manifest.json"
TAXONOMY_TYPES = (
    (".xsd", "EX-101.SCH", "Inline XBRL Taxonomy Extension Schema"),
    ("_lab.xml", "EX-101.LAB", "Inline XBRL Taxonomy Extension Label Linkbase"),
    ("_pre.xml", "EX-101.PRE", "Inline XBRL Taxonomy Extension Presentation Linkbase"),
    ("_def.xml", "EX-101.DEF", "Inline XBRL Taxonomy Extension Definition Linkbase"),
)


def manifest(bundle: FilingBundle, rendered: RenderedFiling) -> bytes:
    """JSON listing the documents a filing agent uploads: 8-K, exhibits, taxonomy, graphics.

    PDFs and anything else that is not filed stay out.
    """
    documents = []
    for document in rendered.documents:
        description = (
            f"Current report on Form {bundle.filing.form_type}"
            if document.edgar_type.startswith("8-K")
            else document.meta.description
        )
        documents.append(
            {
                "file": document.name,
                "type": document.edgar_type,
                "description": description,
                "inline_xbrl": document.inline_xbrl,
            }
        )
    for suffix, edgar_type, description in TAXONOMY_TYPES:
        name = f"{bundle.document_stem}{suffix}"
        if name in rendered.taxonomy:
            documents.append(
                {"file": name, "type": edgar_type, "description": description, "inline_xbrl": False}
            )
    for graphic in rendered.graphics:
        documents.append(
            {
                "file": graphic.name,
                "type": "GRAPHIC",
                "description": graphic.path.name,
                "inline_xbrl": False,
            }
        )
    data = {
        "form_type": bundle.filing.form_type,
        "registrant": bundle.company.edgar_name,
        "cik": bundle.company.cik,
        "co_registrants": [{"name": co.edgar_name, "cik": co.cik} for co in bundle.co_registrants],
        "date_of_report": bundle.filing.date_of_report.isoformat(),
        "filing_date": bundle.filing.filing_date.isoformat(),
        "items": [item.number for item in bundle.filing.sorted_items],
        "documents": documents,
    }
    return (json.dumps(data, indent=2) + "\n").encode("ascii")
