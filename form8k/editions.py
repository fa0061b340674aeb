"""Editions of the Form 8-K cover page, as data: which parts a filing of a given date shows.

A historical filing rebuilds with the cover page of its own date (the 2005 example has no
Section 12(b) table and no emerging-growth statements). A correction is a one-line change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CoverPart:
    """A part of the cover page that the form gained on a given date."""

    key: str
    """Name the templates test, e.g. ``edition.section_12b_securities``."""
    since: dt.date
    """Effective date of the release that added it."""
    source: str
    """The release, and whether the date is confirmed."""


COVER_PARTS: tuple[CoverPart, ...] = (
    CoverPart(
        "emerging_growth_company",
        dt.date(2017, 4, 12),
        "Release 33-10332 (JOBS Act technical amendments), effective April 12, 2017",
    ),
    CoverPart(
        "section_12b_securities",
        dt.date(2019, 5, 2),
        "Release 33-10618 (FAST Act), cover-page amendments effective May 2, 2019",
    ),
)


def cover_edition(filing_date: dt.date) -> dict[str, bool]:
    """Which optional cover-page parts the form had on ``filing_date``."""
    return {part.key: filing_date >= part.since for part in COVER_PARTS}
