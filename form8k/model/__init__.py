"""The content model, by concern: who files (``registrant``), what is filed (``filing``), the
exhibit documents (``documents``), the house style (``style``) and a loaded filing ready to
check and render (``bundle``). No I/O here."""

from form8k.model.base import Markdown, Schema
from form8k.model.bundle import ExhibitSource, FilingBundle, Graphic, MarkdownSource
from form8k.model.documents import REDACTION_LEGEND, Dateline, ExhibitDocument, PressRelease
from form8k.model.filing import (
    EDGAR_ARCHIVES,
    TAGGING_PHASE_IN,
    CheckBoxes,
    Exhibit,
    Filing,
    Item,
    SignatureInput,
)
from form8k.model.registrant import (
    Address,
    Company,
    Contact,
    CoRegistrant,
    Registrant,
    Security,
    Signatory,
)
from form8k.model.style import (
    CoverStyle,
    ExhibitIndexStyle,
    HouseStyle,
    ItemStyle,
    ReleaseStyle,
    SignatureStyle,
)

__all__ = [
    "EDGAR_ARCHIVES",
    "REDACTION_LEGEND",
    "TAGGING_PHASE_IN",
    "Address",
    "CheckBoxes",
    "CoRegistrant",
    "Company",
    "Contact",
    "CoverStyle",
    "Dateline",
    "Exhibit",
    "ExhibitDocument",
    "ExhibitIndexStyle",
    "ExhibitSource",
    "Filing",
    "FilingBundle",
    "Graphic",
    "HouseStyle",
    "Item",
    "ItemStyle",
    "Markdown",
    "MarkdownSource",
    "PressRelease",
    "Registrant",
    "ReleaseStyle",
    "Schema",
    "Security",
    "Signatory",
    "SignatureInput",
    "SignatureStyle",
]
