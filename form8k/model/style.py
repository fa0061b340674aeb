"""The house style: wording and layout where real 8-Ks differ, with today's look as default.

A company keeps its style in company.yaml under ``style:``; a filing changes any part of it
under its own ``style:``. Texts are inline Markdown (``*see*`` prints in italics) with
``{placeholders}`` that the templates fill in; each field's docstring names its placeholders.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from form8k.model.base import Schema

Case = Literal["as-written", "upper"]


class CoverStyle(Schema):
    """Wording and layout of the cover page."""

    agency: list[str] = ["UNITED STATES", "SECURITIES AND EXCHANGE COMMISSION"]
    """The lines of the agency's name."""
    city: str = "Washington, D.C. 20549"
    """The agency's city line."""
    report: str = "CURRENT REPORT"
    """The report's name under the form type."""
    act: str = "Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934"
    """The statute line."""
    date_of_report: str = "Date of Report (Date of earliest event reported): {date}"
    """The date-of-report line; ``{date}`` is the date (tagged), ``{date_text}`` the same
    date untagged (to repeat it: "...: {date_text} ({date})")."""
    date_caption_below: bool = False
    """Print the date on a line of its own with the caption under it, as older covers do."""
    registrant_name: Case = "as-written"
    """How the registrant's name is printed: as written, or in capitals."""
    exact_name: str = "(Exact name of registrant as specified in its charter)"
    """Caption under the registrant's name."""
    jurisdiction: str = "(State or other jurisdiction of incorporation)"
    """Caption under the state of incorporation."""
    file_number: str = "(Commission File Number)"
    """Caption under the Commission File Number."""
    irs_number: str = "(IRS Employer Identification No.)"
    """Caption under the IRS Employer Identification No."""
    address_layout: Literal["columns", "line", "lines"] = "columns"
    """The address as two columns (address | zip code, each with a caption), as one line with
    one caption ("line"), or as its street lines and a "City, State Zip" line ("lines")."""
    address: str = "(Address of principal executive offices)"
    """Caption under the address (the only caption in the "line" and "lines" layouts, e.g.
    "(Address of principal executive offices) (Zip Code)")."""
    zip: str = "(Zip Code)"
    """Caption under the zip code in the "columns" layout."""
    telephone: str = "Registrant\u2019s telephone number, including area code: {telephone}"
    """The telephone line; ``{telephone}`` is the number."""
    area_code: Literal["digits", "with-parentheses"] = "digits"
    """Whether the Inline XBRL area code (dei:CityAreaCode) is the digits, with "(" and ")"
    printed around the tag, or the area code as written, parentheses and all."""
    telephone_caption: str | None = None
    """When given, the number prints on a line of its own with this caption under it
    instead, e.g. "(Registrant's telephone number, including area code)"."""
    former_name: str = "(Former name or former address, if changed since last report)"
    """Caption under the former name or address (printed when a registrant gives
    ``former_name_or_address``; ``""`` there prints the caption under an empty line)."""
    former_name_line: str | None = None
    """The former name on one line instead, e.g. "Former name or former address, if changed
    since last report: {value}"."""
    unchecked_box: str = "\u2610"
    """The empty check box of a cover that is not tagged (a tagged cover needs the ballot box
    characters, which EDGAR's transformation reads)."""
    checked_box: str = "\u2612"
    """The ticked check box of a cover that is not tagged."""
    check_boxes: str = (
        "Check the appropriate box below if the Form 8-K filing is intended to simultaneously "
        "satisfy the filing obligation of the registrant under any of the following provisions "
        "(*see* General Instruction A.2. below):"
    )
    """The sentence before the four check boxes."""
    section_12b: str = "Securities registered pursuant to Section 12(b) of the Act:"
    """The sentence before the Section 12(b) table."""
    section_12b_columns: list[str] = Field(
        default=[
            "Title of each class",
            "Trading Symbol(s)",
            "Name of each exchange on which registered",
        ],
        min_length=3,
        max_length=3,
    )
    """Headings of the table's three columns."""
    section_12b_registrant_column: str = "Registrant"
    """Heading of the first column, which a combined filing's table adds."""
    section_12g: str = "Securities registered pursuant to Section 12(g) of the Act: {value}"
    """The Section 12(g) line, printed when a registrant gives ``section_12g``."""
    emerging_growth: str = (
        "Indicate by check mark whether the registrant is an emerging growth company as defined "
        "in Rule 405 of the Securities Act of 1933 (\u00a7230.405 of this chapter) or Rule 12b-2 "
        "of the Securities Exchange Act of 1934 (\u00a7240.12b-2 of this chapter)."
    )
    """The emerging-growth-company question."""
    emerging_growth_box: str = "Emerging growth company {box}"
    """The emerging-growth-company answer; ``{box}`` is the check box."""
    transition_period: str = (
        "If an emerging growth company, indicate by check mark if the registrant has elected "
        "not to use the extended transition period for complying with any new or revised "
        "financial accounting standards provided pursuant to Section 13(a) of the Exchange "
        "Act. {box}"
    )
    """The transition-period election; ``{box}`` is the check box."""
    combined_columns: list[str] = Field(
        default=[
            "Commission File Number",
            "Exact Name of Registrant as Specified in Its Charter; State of Incorporation; "
            "Address of Principal Executive Offices; and Telephone Number",
            "IRS Employer Identification Number",
        ],
        min_length=3,
        max_length=3,
    )
    """Headings of the combined layout's registrant table (one row per registrant)."""
    combined_jurisdiction: str = "(a {jurisdiction} corporation)"
    """How the combined layout states a registrant's jurisdiction."""
    layout: Literal["auto", "single", "combined"] = "auto"
    """"single" prints one registrant's fields with captions; "combined" prints the table of
    registrants that combined filings use; "auto" chooses "combined" when the filing has
    co-registrants."""
    notes: dict[Literal["after_check_boxes", "after_section_12b", "end"], str] = {}
    """Free text (Markdown) at fixed places of the cover, e.g. ``after_check_boxes:
    "(Response applicable to each registrant)"``."""


class ItemStyle(Schema):
    """How item headings print."""

    heading: str = "Item {number}. {title}."
    """An item's heading; ``{number}`` and ``{title}`` (the form's title of the item)."""
    section_captions: bool = False
    """Print the form's section caption (e.g. "Section 2 - Financial Information") before
    the first item of each section."""
    section_caption: str = "Section {section}\u2014{title}"
    """A section caption; ``{section}`` is its number, ``{title}`` its name."""


class ExhibitIndexStyle(Schema):
    """The exhibit index under Item 9.01."""

    intro: str | None = None
    """A sentence before the table, e.g. "The following is furnished as an exhibit to this
    report:"."""
    columns: list[str] | None = Field(
        default=["Exhibit No.", "Description"], min_length=2, max_length=2
    )
    """Headings of the two columns; empty for a table without a heading row."""
    exhibit_104: str | None = (
        "Cover Page Interactive Data File (embedded within the Inline XBRL document)"
    )
    """The row for Exhibit 104 that a tagged cover page adds; its wording must contain
    "Inline" (SEC C&DI 101.01). Empty to leave the row out (a filing may list 104 itself)."""
    marks: dict[Literal["filed", "furnished"], str] = {}
    """A mark after the number of a filed or furnished exhibit, e.g. ``furnished: "*"``."""
    mark_notes: dict[Literal["filed", "furnished"], str] = {}
    """The note under the table that explains each mark, e.g. ``furnished: "* Furnished
    herewith."``."""


class SignatureStyle(Schema):
    """The signature block."""

    heading: str = "SIGNATURES"
    """Heading ("SIGNATURE" or "SIGNATURES")."""
    statement: str = (
        "Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant "
        "has duly caused this report to be signed on its behalf by the undersigned hereunto "
        "duly authorized."
    )
    """The statutory sentence."""
    registrant_name: Case = "as-written"
    """How each registrant's name is printed over its signature."""
    registrant_suffix: str | None = None
    """A line under the registrant's name, e.g. "(Registrant)"."""
    before: str | None = None
    """A line before the heading, e.g. "*****"."""
    date_label: str = "Date:"
    """The label before the date of signing ("Dated:", "DATE:", or empty for none)."""
    date_position: Literal["first", "last", "beside"] = "first"
    """Whether the date comes before the signature, after it, or beside it (in the left
    column of the signature's line)."""
    by_label: str = "By:"
    """The label before the conformed signature."""
    conformed: str = "/s/ {name}"
    """The conformed signature; ``{name}`` is the signer's name, ``{NAME}`` it in capitals."""
    typed_name: bool = True
    """Print the signer's name again under the signature."""
    name_label: str = ""
    """The label before the typed name, e.g. "Name:"."""
    title_label: str = ""
    """The label before the title, e.g. "Title:"."""
    new_page: bool = False
    """Start the signature block on a new page."""


class ReleaseStyle(Schema):
    """A company's defaults for its press releases; a release's front matter overrides them."""

    letterhead: Literal["logo-address", "logo", "text", "none"] = "logo-address"
    """The top of the release: the logo (or the name) beside the address and telephone, the
    logo alone, the lines of ``letterhead_lines``, or nothing."""
    letterhead_lines: list[str] = []
    """The lines of a text letterhead (``{company}`` is the company's name)."""
    exhibit_marker: bool = True
    """Print "Exhibit 99.1" above the letterhead."""
    release_time: str | None = "For Immediate Release"
    """The release instruction; empty for none."""
    release_time_first: bool = False
    """Print the release instruction above the contacts rather than under them."""
    contacts_position: Literal["top", "end", "none"] = "top"
    """Where the contacts print: under the letterhead, after the text, or not at all."""
    contacts_heading: str = "Contacts:"
    """The label of the contacts."""
    dateline: str = "{city}, {date} \u2013"
    """How the dateline opens the first paragraph: ``{city}`` and ``{date}``."""
    dateline_without_date: str = "{city} \u2013"
    """The dateline of a release that gives no date."""
    dateline_with_wire: str = "{city}, {date} /{wire}/ --"
    """The dateline of a release that names a wire service (``{wire}``)."""
    about_heading: str = "About {company}"
    """Heading of the "About" paragraph."""
    end_mark: str | None = "###"
    """The end-of-release mark ("###", "# # #"); empty for none."""
    closing: list[Literal["about", "forward_looking", "end_mark", "contacts", "notice"]] = [
        "about",
        "forward_looking",
        "end_mark",
        "notice",
    ]
    """The order of what follows the text (contacts only when ``contacts_position`` is
    "end"; "notice" is the legal notice, e.g. trademarks)."""
    schedule_new_page: bool = False
    """Start each schedule (financial statements after the release) on a new page."""


class HouseStyle(Schema):
    """Wording and layout where real filings differ."""

    cover: CoverStyle = CoverStyle()
    """The cover page."""
    items: ItemStyle = ItemStyle()
    """Item headings."""
    exhibit_index: ExhibitIndexStyle = ExhibitIndexStyle()
    """The exhibit index."""
    signature: SignatureStyle = SignatureStyle()
    """The signature block."""
    release: ReleaseStyle = ReleaseStyle()
    """Press-release defaults."""
