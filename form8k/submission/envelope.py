"""The submission envelope: EDGARLink Online XML's ``edgarSubmission`` for a built filing.

One XML document carries the whole submission: the live/test flag, the submission type, the
filer's CIK and CCC (and each co-registrant's), a contact, the period of report, the items, the
emerging-growth flags and every document of the filing, base64-encoded, with its EDGAR document
type and conformed name. EDGAR's submission API takes it as its request body.

The header comes from the filing's model through :func:`form8k.rules.efm.submission_header`,
the header EDGAR's own validation uses; the documents are the built output's, as its
``manifest.json`` lists them. The two are compared first: output built from other content (a
different CIK, date, items or documents) is refused, so header and documents cannot disagree.

The element structure is that of the SEC's 8-K example (EDGAR API OpenAPI specification
1.11.0, "Single Test Submission (8-K)"): namespace ``http://www.sec.gov/edgar/coreg`` for the
envelope, ``http://www.sec.gov/edgar/common`` for flags, SROs, contact, notifications and
documents. Every envelope is checked against ``schema/edgarlink-coreg.xsd`` before it is
written or sent: form8k's reconstruction of the SEC's schema (see that file for what it is
made from; it is not the SEC's file).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from lxml import etree

from form8k.efm import SubmissionHeader, read_manifest_header
from form8k.errors import Form8kError
from form8k.model import FilingBundle, Registrant
from form8k.rules.efm import submission_header
from form8k.submission.secrets import Secret
from form8k.xbrl.manifest import MANIFEST

COREG = "http://www.sec.gov/edgar/coreg"
COMMON = "http://www.sec.gov/edgar/common"
NSMAP = {"cor": COREG, "com": COMMON}
SCHEMA = Path(__file__).resolve().parent / "schema" / "edgarlink-coreg.xsd"


class Mode(StrEnum):
    """EDGAR's live/test flag: a TEST submission is checked like a live one, never filed."""

    TEST = "TEST"
    LIVE = "LIVE"


class EnvelopeError(Form8kError):
    """The envelope cannot be made (stale output, a value EDGAR would refuse)."""


@dataclass(frozen=True)
class Filer:
    """A registrant as the envelope names it."""

    cik: str
    ccc: Secret
    file_number: str | None = None
    emerging_growth_company: bool = False
    ex_transition_period: bool | None = None
    """Elected not to use the extended transition period (only for an emerging growth
    company)."""


@dataclass(frozen=True)
class Contact:
    """Who EDGAR's staff may call about the submission."""

    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Document:
    """One document of the submission."""

    name: str
    type: str
    description: str | None
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Envelope:
    """Everything the envelope says, before it is XML."""

    mode: Mode
    submission_type: str
    filer: Filer
    co_registrants: tuple[Filer, ...]
    period: dt.date | None
    items: tuple[str, ...]
    documents: tuple[Document, ...]
    contact: Contact | None = None
    notifications: tuple[str, ...] = ()

    @property
    def secrets(self) -> list[Secret]:
        return [self.filer.ccc, *(co.ccc for co in self.co_registrants)]

    def to_xml(self) -> bytes:
        """The envelope as UTF-8 XML (elements in the schema's order)."""
        root = etree.Element(_cor("edgarSubmission"), nsmap=NSMAP)
        _text(root, _cor("liveTestFlag"), self.mode.value)
        flags = etree.SubElement(root, _cor("flags"))
        for name in ("confirmingCopyFlag", "overrideInternetFlag", "returnCopyFlag"):
            _text(flags, _com(name), "false")
        _text(root, _cor("submissionType"), self.submission_type)
        if self.contact is not None and (self.contact.name or self.contact.phone):
            contact = etree.SubElement(root, _cor("contact"))
            if self.contact.name:
                _text(contact, _com("name"), self.contact.name)
            if self.contact.phone:
                _text(contact, _com("phoneNumber"), self.contact.phone)
        filer = etree.SubElement(root, _cor("filer"))
        _filer(filer, self.filer)
        if self.co_registrants:
            coregs = etree.SubElement(root, _cor("coregs"))
            for co in self.co_registrants:
                entry = etree.SubElement(coregs, _cor("filer"))
                _filer(entry, co)
                _flags(entry, co)
        sros = etree.SubElement(root, _cor("sros"))
        _text(sros, _com("sroId"), "NONE")
        if self.period is not None:
            _text(root, _cor("periodOfReport"), self.period.strftime("%m-%d-%Y"))
        if self.items:
            items = etree.SubElement(root, _cor("items"))
            for item in self.items:
                _text(items, _cor("item"), item)
        _flags(root, self.filer)
        if self.notifications:
            notifications = etree.SubElement(root, _cor("notifications"))
            for address in self.notifications:
                _text(notifications, _com("internetNotificationAddress"), address)
        documents = etree.SubElement(root, _cor("documents"))
        for document in self.documents:
            entry = etree.SubElement(documents, _com("document"))
            _text(entry, _com("conformedName"), document.name)
            _text(entry, _com("conformedDocumentType"), document.type)
            if document.description:
                _text(entry, _com("description"), document.description)
            _text(entry, _com("contents"), base64.b64encode(document.data).decode("ascii"))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _cor(name: str) -> str:
    return f"{{{COREG}}}{name}"


def _com(name: str) -> str:
    return f"{{{COMMON}}}{name}"


def _text(parent: etree._Element, tag: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = value
    return element


def _filer(element: etree._Element, filer: Filer) -> None:
    _text(element, _cor("filerId"), filer.cik)
    _text(element, _cor("filerCcc"), filer.ccc.reveal())
    if filer.file_number:
        _text(element, _cor("fileNumber"), filer.file_number)


def _flags(element: etree._Element, filer: Filer) -> None:
    _text(element, _cor("emergingGrowthCompanyFlag"), _bool(filer.emerging_growth_company))
    if filer.emerging_growth_company and filer.ex_transition_period is not None:
        _text(element, _cor("exTransitionPeriodFlag"), _bool(filer.ex_transition_period))


def _bool(value: bool) -> str:
    return "true" if value else "false"


# --- from a built filing ----------------------------------------------------------------------

FILE_NUMBER = re.compile(r"\d{1,3}-\d{1,8}-[a-zA-Z0-9]{1,4}|\d{1,3}-\d{1,8}")
EMAIL = re.compile(
    r"([a-zA-Z0-9_\-\.]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,7}|[0-9]{1,3})(\]?)"
)
#: Typographic characters an ASCII description can write another way.
_ASCII = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2026": "...",
        "\u2122": "(TM)",
        "\u00ae": "(R)",
        "\u00a9": "(C)",
    }
)

CccLookup = Callable[[str, bool], Secret]
"""(CIK, whether it is the filer's) -> its CCC."""


def build_envelope(
    bundle: FilingBundle,
    folder: Path,
    ccc: CccLookup,
    *,
    mode: Mode = Mode.TEST,
    contact: Contact | None = None,
    notifications: Sequence[str] = (),
) -> Envelope:
    """The envelope of ``bundle``'s built output in ``folder`` (holding its manifest.json).

    Raises :class:`EnvelopeError` when the output is not this filing's as it is now, or a file
    the manifest lists is missing."""
    if not (folder / MANIFEST).is_file():
        raise EnvelopeError(f"{folder}: no {MANIFEST}: build the filing first (form8k build)")
    from form8k.review.draft import refuse_draft

    refuse_draft(folder)  # a draft's PDFs say DRAFT: never filed
    built = read_manifest_header(folder)
    header = submission_header(bundle, list(built.documents))
    stale = _differences(header, built)
    if stale:
        raise EnvelopeError(
            f"{folder} was not built from this filing as it is now ({'; '.join(stale)}): build "
            "it again (form8k build)"
        )
    if header.cik is None:
        raise EnvelopeError("the filing has no CIK")
    documents = []
    descriptions = _descriptions(folder)
    for entry in built.documents:
        path = folder / entry.file
        if not path.is_file():
            raise EnvelopeError(f"{path}: listed in {MANIFEST} but missing: build again")
        documents.append(
            Document(entry.file, entry.type, descriptions.get(entry.file), path.read_bytes())
        )
    for address in notifications:
        if not EMAIL.fullmatch(address) or not 4 <= len(address) <= 80:
            raise EnvelopeError(f"{address!r} is not an e-mail address EDGAR takes")
    company = bundle.company
    return Envelope(
        mode=mode,
        submission_type=header.form_type,
        filer=_registrant(company, ccc(header.cik, True)),
        co_registrants=tuple(_registrant(co, ccc(co.cik, False)) for co in bundle.co_registrants),
        period=header.period,
        items=tuple(header.items),
        documents=tuple(documents),
        contact=contact if contact is not None else default_contact(bundle),
        notifications=tuple(notifications),
    )


def _differences(header: SubmissionHeader, built: SubmissionHeader) -> list[str]:
    differences = []
    for label, ours, theirs in (
        ("form type", header.form_type, built.form_type),
        ("CIK", header.cik, built.cik),
        ("date of report", header.period, built.period),
        ("items", list(header.items), list(built.items)),
    ):
        if ours != theirs:
            differences.append(f"{label} {theirs} in the output, {ours} in the content")
    if built.co_registrant_ciks and list(header.co_registrant_ciks) != list(
        built.co_registrant_ciks
    ):
        differences.append("other co-registrants")
    return differences


def _descriptions(folder: Path) -> dict[str, str]:
    import json

    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    found = {}
    for entry in data.get("documents") or []:
        text = description(str(entry.get("description") or ""))
        if text:
            found[str(entry["file"])] = text
    return found


def description(text: str) -> str:
    """A document's description as EDGAR takes it: printable ASCII, at most 255 characters."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = " ".join(text.split())
    return text if len(text) <= 255 else text[:252].rstrip() + "..."


def _registrant(registrant: Registrant, ccc: Secret) -> Filer:
    number = registrant.file_number.strip()
    egc = registrant.emerging_growth_company
    return Filer(
        cik=registrant.cik,
        ccc=ccc,
        file_number=number if FILE_NUMBER.fullmatch(number) else None,
        emerging_growth_company=egc,
        ex_transition_period=registrant.elected_not_to_use_extended_transition_period
        if egc
        else None,
    )


def default_contact(bundle: FilingBundle) -> Contact | None:
    """The filing's signatory and the registrant's telephone number, as EDGAR's contact."""
    signature = bundle.filing.signature
    signatory = bundle.company.signatory
    name = signature.name or (signatory.name if signatory else None)
    return Contact(
        name=contact_name(name) if name else None,
        phone=phone_number(bundle.company.telephone),
    )


def contact_name(name: str) -> str:
    """A contact's name in EDGAR's 30 printable ASCII characters."""
    text = description(name)
    if not text:
        raise EnvelopeError(f"the contact name {name!r} has no ASCII letters")
    if len(text) > 30:
        raise EnvelopeError(
            f"the contact name {text!r} is longer than EDGAR's 30 characters: give a shorter "
            "one with --contact-name"
        )
    return text


def phone_number(phone: str) -> str | None:
    """``(410) 555-0142`` -> ``410-555-0142``: EDGAR's contact phone has letters, digits and
    hyphens only, at most 20."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    text = "-".join(re.findall(r"[A-Za-z0-9]+", phone))
    return text[:20] or None


# --- checking ---------------------------------------------------------------------------------


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_errors(xml: bytes) -> list[str]:
    """What the envelope's schema finds wrong with ``xml`` ([] when it is valid).

    Messages may quote values: pass them through :func:`form8k.submission.secrets.redact`
    before showing them."""
    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def envelope_xml(envelope: Envelope) -> bytes:
    """The envelope's XML, checked against the schema; EnvelopeError if it does not pass."""
    from form8k.submission.secrets import redact

    xml = envelope.to_xml()
    errors = schema_errors(xml)
    if errors:
        raise EnvelopeError(
            "the envelope does not pass its schema: "
            + "; ".join(redact(e, envelope.secrets) for e in errors)
        )
    return xml


def documents_of(xml: bytes) -> dict[str, tuple[str, bytes]]:
    """The documents an envelope carries: name -> (EDGAR type, decoded bytes)."""
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    found = {}
    for document in root.iter(_com("document")):
        name = document.findtext(_com("conformedName")) or ""
        kind = document.findtext(_com("conformedDocumentType")) or ""
        found[name] = (kind, base64.b64decode(document.findtext(_com("contents")) or ""))
    return found


def summary(envelope: Envelope, size: int) -> str:
    """``8-K, Items 2.02, 9.01; 8 documents, 1.2 MB``."""
    items = ", ".join(envelope.items)
    count = len(envelope.documents)
    return (
        f"{envelope.submission_type}, Item{'s' * (len(envelope.items) != 1)} {items}; "
        f"{count} document{'s' * (count != 1)}, {_size(size)}"
    )


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


__all__ = [
    "Contact",
    "Document",
    "Envelope",
    "EnvelopeError",
    "Filer",
    "Mode",
    "build_envelope",
    "documents_of",
    "envelope_xml",
    "schema_errors",
]
