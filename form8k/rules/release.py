"""Checks of the press releases: the fields they cannot do without, their date, and the
safe-harbor statement that forward-looking words call for."""

from __future__ import annotations

import re
from collections.abc import Iterator

from form8k.model import FilingBundle, PressRelease
from form8k.rules import Finding

FORWARD_LOOKING = re.compile(
    r"\b(expects?|expected|anticipates?|anticipated|intends?|plans? to|estimates?|outlook|"
    r"guidance|forecasts?|forward-looking|believes?)\b",
    re.IGNORECASE,
)
SAFE_HARBOR = re.compile(
    r"forward-looking statements|Private Securities Litigation Reform Act|safe harbor",
    re.IGNORECASE,
)


def check_press_releases(bundle: FilingBundle) -> Iterator[Finding]:
    filing, company = bundle.filing, bundle.company
    for source in bundle.exhibits.values():
        release = source.front_matter
        if not isinstance(release, PressRelease):
            continue
        if not release.headline:
            yield Finding(
                "release-fields", source.sources.locate(("headline",)), {"field": "headline"}
            )
        dateline = release.dateline
        if dateline is not None and not dateline.city:
            yield Finding(
                "release-fields", source.sources.locate(("dateline", "city")), {"field": "dateline"}
            )
        if (
            dateline is not None
            and dateline.date is not None
            and dateline.date > filing.filing_date
        ):
            yield Finding(
                "release-date",
                source.sources.locate(("dateline", "date")),
                {"date": dateline.date, "filing_date": filing.filing_date},
            )
        texts = [source.body, *(schedule.body for schedule in source.schedules)]
        words = sorted({m.group(0).lower() for m in FORWARD_LOOKING.finditer(source.body)})
        own = release.forward_looking_statements or (
            release.boilerplate and company.forward_looking_statements
        )
        has_safe_harbor = own or any(SAFE_HARBOR.search(text) for text in texts)
        if words and not has_safe_harbor:
            yield Finding(
                "safe-harbor-missing",
                source.sources.locate(("headline",)),
                {"words": ", ".join(repr(w) for w in words[:3])},
            )
