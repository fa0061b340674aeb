"""The checks of the content model, in the order they report: what is filed (items, exhibits,
dates), who files, the press releases, and what the Inline XBRL cover page needs."""

from __future__ import annotations

from form8k.model import FilingBundle
from form8k.rules import Finding
from form8k.rules.checks import Check
from form8k.rules.filing import (
    check_amendment,
    check_dates,
    check_exhibits,
    check_items,
    check_signature,
)
from form8k.rules.registrant import check_registrants
from form8k.rules.release import check_press_releases
from form8k.rules.tagging import check_document_names, check_tagging

CHECKS: tuple[Check, ...] = (
    check_items,
    check_exhibits,
    check_amendment,
    check_dates,
    check_registrants,
    check_press_releases,
    check_signature,
    check_document_names,
    check_tagging,
)


def check_model(bundle: FilingBundle) -> list[Finding]:
    """Every finding of the model checks, in check order."""
    return [finding for check in CHECKS for finding in check(bundle)]
