"""Exhibit documents written in Markdown: the front matter of a press release or of any other
exhibit (an agreement, a plan, a letter)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import field_validator

from form8k.model.base import Markdown, Schema
from form8k.model.registrant import Contact
from form8k.model.style import ReleaseStyle

#: Regulation S-K Item 601(b)(10)(iv) (Release 33-10618, 2019): a redacted exhibit states on
#: its first page that identified information was excluded, and why (verify the current
#: wording against the rule before relying on the default).
REDACTION_LEGEND = (
    "Certain identified information has been excluded from this exhibit because it is both "
    "(i) not material and (ii) the type that the registrant treats as private or "
    "confidential. Information that has been omitted has been noted in this document with a "
    "placeholder identified by the mark \u201c[***]\u201d."
)


class Dateline(Schema):
    """The dateline that opens a press release's first paragraph."""

    city: str
    """City and state as printed, e.g. "CAMBRIDGE, MA" or "ST. PAUL, Minn."."""
    date: dt.date | None = None
    """Release date; a dateline without one prints the city only."""
    wire: str | None = None
    """The wire service that carried the release, e.g. "PRNewswire"."""
    format: str | None = None
    """The whole dateline as a pattern, when the house style's does not fit: ``{city}``,
    ``{date}`` and ``{wire}``, e.g. "{city} ({date}) \u2013"."""


class PressRelease(Schema):
    """Front matter of a press release furnished as an exhibit.

    Every setting left out comes from the company's ``style.release``.
    """

    headline: str
    """Headline."""
    subheadline: str | None = None
    """One sub-headline printed under the headline."""
    subheadlines: list[str] = []
    """Several sub-headlines (or bullet-like deck lines), in order."""
    dateline: Dateline | None = None
    """City (and date) that open the first paragraph; none for a release without one."""
    release_time: str | None = None
    """Release instruction, e.g. "For Immediate Release" or "For release at 4:05 p.m. ET";
    ``""`` for none."""
    contacts: list[Contact] | None = None
    """Contacts; the company's when left out, none with ``[]``."""
    contacts_position: Literal["top", "end", "none"] | None = None
    """Where the contacts print (see the house style)."""
    letterhead: Literal["logo-address", "logo", "text", "none"] | None = None
    """The top of the release (see the house style)."""
    letterhead_lines: list[str] | None = None
    """Lines of a text letterhead."""
    exhibit_marker: bool | None = None
    """Print "Exhibit 99.1" above the letterhead."""
    end_mark: str | None = None
    """The end-of-release mark; ``""`` for none."""
    closing: list[Literal["about", "forward_looking", "end_mark", "contacts", "notice"]] | None = (
        None
    )
    """The order of what follows the text."""
    contacts_heading: str | None = None
    """The label of the contacts ("Contact:"); ``""`` for none."""
    release_time_first: bool | None = None
    """Print the release instruction above the contacts."""
    boilerplate: bool = True
    """Append the company's "About" and forward-looking-statements paragraphs."""
    about: Markdown | None = None
    """This release's "About" paragraph, when not the company's."""
    forward_looking_statements: Markdown | None = None
    """This release's safe-harbor paragraph, when not the company's."""
    legal_notice: Markdown | None = None
    """This release's legal notice (trademarks, copyright), when not the company's."""
    schedules: list[str] = []
    """Markdown files of the filing folder printed after the closing (financial statements,
    reconciliations), in order."""

    @field_validator("subheadlines", "schedules", mode="before")
    @classmethod
    def _one_is_a_list(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @property
    def all_subheadlines(self) -> list[str]:
        """The sub-headlines, the single one first."""
        return ([self.subheadline] if self.subheadline else []) + self.subheadlines

    def settings(self, defaults: ReleaseStyle) -> ReleaseStyle:
        """The company's release style with what this release sets itself."""
        update: dict[str, object] = {
            name: getattr(self, name)
            for name in (
                "release_time",
                "contacts_position",
                "letterhead",
                "letterhead_lines",
                "exhibit_marker",
                "end_mark",
                "closing",
                "contacts_heading",
                "release_time_first",
            )
            if name in self.model_fields_set
        }
        for name in ("release_time", "end_mark"):
            if update.get(name) == "":
                update[name] = None
        return defaults.model_copy(update=update)


class ExhibitDocument(Schema):
    """Front matter of any other exhibit document (an agreement, a plan, a letter)."""

    title: str | None = None
    """Title printed at the top of the exhibit; none when the text carries its own."""
    exhibit_marker: bool = True
    """Print "Exhibit 10.1" at the top."""
    redacted: bool = False
    """Portions are omitted under Item 601(b)(10)(iv): the legend prints on the first page
    and the exhibit index marks the exhibit."""
    legend: str | None = None
    """The redaction legend, when not the default wording."""

    @property
    def redaction_legend(self) -> str | None:
        """The legend to print, if any."""
        if not self.redacted:
            return None
        return self.legend or REDACTION_LEGEND
