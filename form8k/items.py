"""The Form 8-K item catalog, kept as data: number, official title, section and timing rules.

Sources: Form 8-K and its General Instructions (17 CFR 249.308); SEC Release 33-8400 (2004,
the current item structure) and the releases named in ``since_source`` for later items.
A correction is a one-line change to ``CATALOG``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SECTIONS = {
    "1": "Registrant's Business and Operations",
    "2": "Financial Information",
    "3": "Securities and Trading Markets",
    "4": "Matters Related to Accountants and Financial Statements",
    "5": "Corporate Governance and Management",
    "6": "Asset-Backed Securities",
    "7": "Regulation FD",
    "8": "Other Events",
    "9": "Financial Statements and Exhibits",
}

#: Release 33-8400 took effect on this date and set today's numbering (1.01 to 9.01).
CURRENT_STRUCTURE = date(2004, 8, 23)


@dataclass(frozen=True)
class ItemSpec:
    """One item of Form 8-K as the form defines it."""

    number: str
    """Item number as the form writes it, e.g. ``"2.02"``."""
    title: str
    """Official title."""
    since: date = CURRENT_STRUCTURE
    """First day the item exists on the form."""
    since_source: str = "Release 33-8400"
    """The release that added the item."""
    four_day_deadline: bool = True
    """Whether General Instruction B.1's four-business-day deadline applies."""
    furnished: bool = False
    """Whether General Instruction B.2 treats the item's information as furnished, not filed."""

    @property
    def section(self) -> str:
        """The section title this item belongs to."""
        return SECTIONS[self.number.split(".")[0]]

    @property
    def sort_key(self) -> tuple[int, int]:
        """Numeric order: 1.01 < 1.02 < ... < 9.01."""
        major, minor = self.number.split(".")
        return int(major), int(minor)


CATALOG: tuple[ItemSpec, ...] = (
    ItemSpec("1.01", "Entry into a Material Definitive Agreement"),
    ItemSpec("1.02", "Termination of a Material Definitive Agreement"),
    ItemSpec("1.03", "Bankruptcy or Receivership"),
    ItemSpec(
        "1.04",
        "Mine Safety \u2013 Reporting of Shutdowns and Patterns of Violations",
        since=date(2012, 1, 27),
        since_source="Release 33-9286 (Dodd-Frank Act section 1503)",
    ),
    ItemSpec(
        "1.05",
        "Material Cybersecurity Incidents",
        since=date(2023, 12, 18),
        since_source="Release 33-11216 (effective September 5, 2023; "
        "compliance from December 18, 2023)",
    ),
    ItemSpec("2.01", "Completion of Acquisition or Disposition of Assets"),
    ItemSpec("2.02", "Results of Operations and Financial Condition", furnished=True),
    ItemSpec(
        "2.03",
        "Creation of a Direct Financial Obligation or an Obligation under an Off-Balance "
        "Sheet Arrangement of a Registrant",
    ),
    ItemSpec(
        "2.04",
        "Triggering Events That Accelerate or Increase a Direct Financial Obligation or an "
        "Obligation under an Off-Balance Sheet Arrangement",
    ),
    ItemSpec("2.05", "Costs Associated with Exit or Disposal Activities"),
    ItemSpec("2.06", "Material Impairments"),
    ItemSpec(
        "3.01",
        "Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard; "
        "Transfer of Listing",
    ),
    ItemSpec("3.02", "Unregistered Sales of Equity Securities"),
    ItemSpec("3.03", "Material Modification to Rights of Security Holders"),
    ItemSpec("4.01", "Changes in Registrant's Certifying Accountant"),
    ItemSpec(
        "4.02",
        "Non-Reliance on Previously Issued Financial Statements or a Related Audit Report "
        "or Completed Interim Review",
    ),
    ItemSpec("5.01", "Changes in Control of Registrant"),
    ItemSpec(
        "5.02",
        "Departure of Directors or Certain Officers; Election of Directors; Appointment of "
        "Certain Officers; Compensatory Arrangements of Certain Officers",
    ),
    ItemSpec("5.03", "Amendments to Articles of Incorporation or Bylaws; Change in Fiscal Year"),
    ItemSpec("5.04", "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans"),
    ItemSpec(
        "5.05",
        "Amendments to the Registrant's Code of Ethics, or Waiver of a Provision of the "
        "Code of Ethics",
    ),
    ItemSpec("5.06", "Change in Shell Company Status"),
    ItemSpec(
        "5.07",
        "Submission of Matters to a Vote of Security Holders",
        since=date(2010, 2, 28),
        since_source="Release 33-9089",
    ),
    ItemSpec(
        "5.08",
        "Shareholder Director Nominations",
        since=date(2011, 9, 20),
        since_source="Release 33-9136 (stayed in October 2010; in force from September 20, 2011)",
    ),
    ItemSpec(
        "6.01",
        "ABS Informational and Computational Material",
        since=date(2005, 3, 8),
        since_source="Release 33-8518 (Regulation AB)",
    ),
    ItemSpec(
        "6.02",
        "Change of Servicer or Trustee",
        since=date(2005, 3, 8),
        since_source="Release 33-8518 (Regulation AB)",
    ),
    ItemSpec(
        "6.03",
        "Change in Credit Enhancement or Other External Support",
        since=date(2005, 3, 8),
        since_source="Release 33-8518 (Regulation AB)",
    ),
    ItemSpec(
        "6.04",
        "Failure to Make a Required Distribution",
        since=date(2005, 3, 8),
        since_source="Release 33-8518 (Regulation AB)",
    ),
    ItemSpec(
        "6.05",
        "Securities Act Updating Disclosure",
        since=date(2005, 3, 8),
        since_source="Release 33-8518 (Regulation AB)",
    ),
    ItemSpec(
        "6.06",
        "Static Pool",
        since=date(2014, 11, 24),
        since_source="Release 33-9638 (Regulation AB II)",
    ),
    ItemSpec("7.01", "Regulation FD Disclosure", four_day_deadline=False, furnished=True),
    ItemSpec("8.01", "Other Events", four_day_deadline=False),
    # 9.01 accompanies the items it supports; it sets no deadline of its own (its financial
    # statements of an acquired business may follow within 71 days, Item 9.01(a)(3)).
    ItemSpec("9.01", "Financial Statements and Exhibits", four_day_deadline=False),
)

BY_NUMBER: dict[str, ItemSpec] = {spec.number: spec for spec in CATALOG}


def find_item(number: str) -> ItemSpec | None:
    """The catalog entry for ``number`` (``"8.01"``), or None if the form has no such item."""
    return BY_NUMBER.get(number)
