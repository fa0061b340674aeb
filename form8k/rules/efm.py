"""EDGAR's own validation of a filing (``--edgar``): the submission as EDGAR receives it, the
header EDGAR passes, and each message of the SEC's plugin as a problem at the content line
that caused it where that can be traced (else at the document and line).

The header comes from the same model as the documents: form type, CIKs, period of report and
items are never typed twice.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from form8k.efm import (
    EdgarSetup,
    EfmMessage,
    SubmissionDocument,
    SubmissionHeader,
    validate_submission,
)
from form8k.errors import Problem, Severity, SourceLocation
from form8k.model import FilingBundle
from form8k.model.registrant import month_day
from form8k.xbrl.manifest import MANIFEST

RULE = "edgar-efm"


@dataclass(frozen=True)
class FalsePositive:
    """A message of the SEC's plugin that EDGAR itself does not raise on accepted filings."""

    code: str
    pattern: str
    """A regular expression the message's text matches."""
    why: str


#: Calibrated on EDGAR-accepted submissions (../shared/reference/real-filings): the plain-HTML
#: part of the plugin ("validateHtm") lists no <a> or <span> although EDGAR accepts both (and
#: Item 601 asks for exhibit-index hyperlinks).
FALSE_POSITIVES = (
    FalsePositive(
        "EFM.5.02.02.03.unrecognizedElement",
        r"<(a|span)>",
        "validateHtm's element list lacks <a> and <span>, which EDGAR accepts",
    ),
)


def submission_header(
    bundle: FilingBundle, documents: list[SubmissionDocument]
) -> SubmissionHeader:
    """The header EDGAR would carry for this filing, from the filing's own model."""
    fiscal = bundle.company.fiscal_year_end
    parsed = month_day(fiscal) if fiscal else None
    return SubmissionHeader(
        form_type=bundle.filing.form_type,
        cik=bundle.company.cik,
        period=bundle.filing.date_of_report,
        items=[item.number for item in bundle.filing.sorted_items],
        documents=documents,
        co_registrant_ciks=[co.cik for co in bundle.co_registrants],
        fiscal_year_end=f"{parsed[0]:02d}/{parsed[1]:02d}" if parsed else None,
    )


def validate_files(
    bundle: FilingBundle,
    files: Mapping[str, bytes],
    setup: EdgarSetup,
    *,
    fact_locations: Mapping[str, SourceLocation],
    target: Path,
) -> list[Problem]:
    """Run EDGAR's validation on the submission's ``files`` (the manifest names them) and
    return its messages as problems: a fact's at the content line it came from, the rest at
    ``target``/document:line."""
    import json

    manifest = json.loads(files[MANIFEST])
    documents = [
        SubmissionDocument(d["file"], d["type"], bool(d.get("inline_xbrl")))
        for d in manifest["documents"]
    ]
    with tempfile.TemporaryDirectory(prefix="form8k-edgar-") as folder:
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        messages = validate_submission(Path(folder), submission_header(bundle, documents), setup)
    return [
        message_problem(message, fact_locations, target)
        for message in messages
        if not _false_positive(message)
    ]


def _false_positive(message: EfmMessage) -> bool:
    return any(
        message.code == known.code and re.search(known.pattern, message.text)
        for known in FALSE_POSITIVES
    )


def message_problem(
    message: EfmMessage, fact_locations: Mapping[str, SourceLocation], target: Path
) -> Problem:
    """One message of EDGAR's validation as a problem, where the user can fix it."""
    where = SourceLocation(target / message.document, message.line)
    traced = [fact_locations[f] for f in message.fact_ids if f in fact_locations]
    text = f"EDGAR {message.code}: {message.text}"
    if traced:
        text += f" ({message.document}" + (f":{message.line})" if message.line else ")")
        where = traced[0]
    severity = Severity.ERROR if message.severity == "error" else Severity.WARNING
    return Problem(where, text, severity, RULE)
