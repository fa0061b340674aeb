"""The item catalog and the cover-page editions: the form's own words, in the form's order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest

from form8k.editions import COVER_PARTS, CoverPart, cover_edition
from form8k.items import BY_NUMBER, CATALOG, CURRENT_STRUCTURE, SECTIONS, find_item
from tests.conftest import COMPANY_YAML, FILING_YAML

MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]

#: Every item of Form 8-K with its official title, as ../shared/reference/form-8k.md lists them.
OFFICIAL_ITEMS = {
    "1.01": "Entry into a Material Definitive Agreement",
    "1.02": "Termination of a Material Definitive Agreement",
    "1.03": "Bankruptcy or Receivership",
    "1.04": "Mine Safety \u2013 Reporting of Shutdowns and Patterns of Violations",
    "1.05": "Material Cybersecurity Incidents",
    "2.01": "Completion of Acquisition or Disposition of Assets",
    "2.02": "Results of Operations and Financial Condition",
    "2.03": "Creation of a Direct Financial Obligation or an Obligation under an Off-Balance "
    "Sheet Arrangement of a Registrant",
    "2.04": "Triggering Events That Accelerate or Increase a Direct Financial Obligation or an "
    "Obligation under an Off-Balance Sheet Arrangement",
    "2.05": "Costs Associated with Exit or Disposal Activities",
    "2.06": "Material Impairments",
    "3.01": "Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard; "
    "Transfer of Listing",
    "3.02": "Unregistered Sales of Equity Securities",
    "3.03": "Material Modification to Rights of Security Holders",
    "4.01": "Changes in Registrant's Certifying Accountant",
    "4.02": "Non-Reliance on Previously Issued Financial Statements or a Related Audit Report or "
    "Completed Interim Review",
    "5.01": "Changes in Control of Registrant",
    "5.02": "Departure of Directors or Certain Officers; Election of Directors; Appointment of "
    "Certain Officers; Compensatory Arrangements of Certain Officers",
    "5.03": "Amendments to Articles of Incorporation or Bylaws; Change in Fiscal Year",
    "5.04": "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans",
    "5.05": "Amendments to the Registrant's Code of Ethics, or Waiver of a Provision of the Code "
    "of Ethics",
    "5.06": "Change in Shell Company Status",
    "5.07": "Submission of Matters to a Vote of Security Holders",
    "5.08": "Shareholder Director Nominations",
    "6.01": "ABS Informational and Computational Material",
    "6.02": "Change of Servicer or Trustee",
    "6.03": "Change in Credit Enhancement or Other External Support",
    "6.04": "Failure to Make a Required Distribution",
    "6.05": "Securities Act Updating Disclosure",
    "6.06": "Static Pool",
    "7.01": "Regulation FD Disclosure",
    "8.01": "Other Events",
    "9.01": "Financial Statements and Exhibits",
}

OFFICIAL_SECTIONS = {
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

TWELVE_B = "Securities registered pursuant to Section 12(b) of the Act:"
EMERGING = "Indicate by check mark whether the registrant is an emerging growth company"
TRANSITION = "If an emerging growth company, indicate by check mark"


FURNISHED = 'The information in this item shall not be deemed "filed".'


def item_block(number: str) -> str:
    body = f"Body of {number}."
    if BY_NUMBER[number].furnished:  # General Instruction B.2's statement, to keep rules quiet
        body += " " + FURNISHED
    return f"  - number: \"{number}\"\n    body: '{body}'\n"


def dated_project(
    make_project: MakeProject, numbers: list[str], date: dt.date, **files: str
) -> Path:
    """The default project with these items, reported, filed and released on ``date``."""
    head, _, rest = FILING_YAML.partition("items:\n")
    _, _, exhibits = rest.partition("exhibits:\n")
    head = head.replace("date_of_report: 2024-03-01", f"date_of_report: {date}")
    head = head.replace("filing_date: 2024-03-04", f"filing_date: {date}")
    items = "".join(item_block(number) for number in numbers)
    release = f"---\nheadline: H\ndateline:\n  city: X\n  date: {date}\n---\nText.\n"
    return make_project(
        {
            "content/example/filing.yaml": f"{head}items:\n{items}exhibits:\n{exhibits}",
            "content/example/press-release.md": release,
            **files,
        }
    )


def render_8k(run_cli: RunCli, root: Path) -> lxml.html.HtmlElement:
    code, out, err = run_cli("--project", str(root), "build", "--format", "html")
    assert (code, err) == (0, ""), out
    (document,) = (root / "output" / "example").glob("exmp-2*.htm")
    return lxml.html.fromstring(document.read_bytes())


def cover_text(tree: lxml.html.HtmlElement) -> str:
    (cover,) = tree.xpath("//div[@id='cover']")
    return " ".join(cover.text_content().split())


# --- the catalog ------------------------------------------------------------------------------


def test_catalog_has_every_item_of_the_form_with_its_official_title() -> None:
    assert {spec.number: spec.title for spec in CATALOG} == OFFICIAL_ITEMS


def test_catalog_lists_items_in_numeric_order_once_each() -> None:
    numbers = [spec.number for spec in CATALOG]
    assert numbers == list(OFFICIAL_ITEMS)
    assert sorted(CATALOG, key=lambda spec: spec.sort_key) == list(CATALOG)
    assert len(BY_NUMBER) == len(CATALOG)


def test_catalog_sections_have_the_official_titles() -> None:
    assert SECTIONS == OFFICIAL_SECTIONS
    assert BY_NUMBER["2.02"].section == "Financial Information"
    assert BY_NUMBER["9.01"].section == "Financial Statements and Exhibits"


def test_sort_key_is_numeric_not_textual() -> None:
    assert BY_NUMBER["1.05"].sort_key < BY_NUMBER["2.01"].sort_key < BY_NUMBER["9.01"].sort_key
    assert BY_NUMBER["5.08"].sort_key == (5, 8)


def test_find_item_returns_the_entry_or_none() -> None:
    assert find_item("8.01") is BY_NUMBER["8.01"]
    assert find_item("8.1") is None
    assert find_item("10.01") is None


def test_items_added_after_2004_carry_their_start_date() -> None:
    later = {spec.number: spec.since for spec in CATALOG if spec.since != CURRENT_STRUCTURE}
    assert later == {
        "1.04": dt.date(2012, 1, 27),
        "1.05": dt.date(2023, 12, 18),
        "5.07": dt.date(2010, 2, 28),
        "5.08": dt.date(2011, 9, 20),
        "6.01": dt.date(2005, 3, 8),
        "6.02": dt.date(2005, 3, 8),
        "6.03": dt.date(2005, 3, 8),
        "6.04": dt.date(2005, 3, 8),
        "6.05": dt.date(2005, 3, 8),
        "6.06": dt.date(2014, 11, 24),
    }


def test_items_202_and_701_are_furnished_and_701_and_801_have_no_deadline() -> None:
    assert {spec.number for spec in CATALOG if spec.furnished} == {"2.02", "7.01"}
    assert not BY_NUMBER["7.01"].four_day_deadline
    assert not BY_NUMBER["8.01"].four_day_deadline
    assert BY_NUMBER["1.01"].four_day_deadline
    assert BY_NUMBER["5.07"].four_day_deadline


# --- items in the rendered 8-K ----------------------------------------------------------------


def test_items_print_in_numeric_order_whatever_the_yaml_order(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    numbers = ["9.01", "8.01", "5.02", "2.02", "1.01", "5.07", "7.01"]
    root = dated_project(make_project, numbers, dt.date(2024, 3, 1))
    tree = render_8k(run_cli, root)
    blocks = tree.xpath("//div[starts-with(@id, 'item-')]")
    assert [block.get("id") for block in blocks] == [
        "item-1-01",
        "item-2-02",
        "item-5-02",
        "item-5-07",
        "item-7-01",
        "item-8-01",
        "item-9-01",
    ]
    headings = [" ".join(block.xpath("string(p[1])").split()) for block in blocks]
    assert headings == [
        f"Item {number}. {OFFICIAL_ITEMS[number]}."
        for number in ["1.01", "2.02", "5.02", "5.07", "7.01", "8.01", "9.01"]
    ]
    bodies = [" ".join(block.xpath("string(p[2])").split()) for block in blocks]
    assert [body.split(" The information")[0] for body in bodies] == [
        f"Body of {number}." for number in ["1.01", "2.02", "5.02", "5.07", "7.01", "8.01", "9.01"]
    ]


def test_item_titles_print_exactly_including_non_ascii_dashes(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    root = dated_project(make_project, ["9.01", "1.04"], dt.date(2024, 3, 1))
    tree = render_8k(run_cli, root)
    (heading,) = tree.xpath("//div[@id='item-1-04']/p[1]")
    assert heading.text_content() == (
        "Item 1.04. Mine Safety \u2013 Reporting of Shutdowns and Patterns of Violations."
    )
    (document,) = (root / "output" / "example").glob("exmp-2*.htm")
    assert b"Mine Safety &#8211; Reporting" in document.read_bytes()


# --- cover-page editions ----------------------------------------------------------------------


def test_cover_parts_have_the_dates_of_their_releases() -> None:
    assert {part.key: part.since for part in COVER_PARTS} == {
        "emerging_growth_company": dt.date(2017, 4, 12),
        "section_12b_securities": dt.date(2019, 5, 2),
    }


@pytest.mark.parametrize("part", COVER_PARTS, ids=lambda part: part.key)
def test_cover_edition_turns_each_part_on_at_its_date(part: CoverPart) -> None:
    assert cover_edition(part.since - dt.timedelta(days=1))[part.key] is False
    assert cover_edition(part.since)[part.key] is True
    assert cover_edition(part.since + dt.timedelta(days=1))[part.key] is True


def test_2005_cover_has_no_12b_table_and_no_emerging_growth_statements(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    root = dated_project(make_project, ["8.01", "9.01"], dt.date(2005, 9, 7))
    tree = render_8k(run_cli, root)
    cover = cover_text(tree)
    assert "September 7, 2005" in cover
    assert TWELVE_B not in cover
    assert "Trading Symbol(s)" not in cover
    assert EMERGING not in cover
    assert TRANSITION not in cover
    assert cover.count("\u2610") == 4  # the four Rule 425 / 14a-12 / 14d-2(b) / 13e-4(c) boxes
    assert cover.endswith("(17 CFR 240.13e-4(c))")


def test_2025_cover_has_12b_table_and_emerging_growth_statements(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    company = COMPANY_YAML + (
        "section_12b_securities:\n"
        "  - title: Common Stock, $0.01 par value\n"
        "    trading_symbol: EXMP\n"
        "    exchange: The Nasdaq Stock Market LLC\n"
        "emerging_growth_company: true\n"
    )
    root = dated_project(
        make_project, ["8.01", "9.01"], dt.date(2025, 11, 6), **{"content/company.yaml": company}
    )
    tree = render_8k(run_cli, root)
    cover = cover_text(tree)
    assert (
        f"{TWELVE_B} Title of each class Trading Symbol(s) Name of each exchange on which "
        "registered Common Stock, $0.01 par value EXMP The Nasdaq Stock Market LLC"
    ) in cover
    assert EMERGING in cover
    assert "Emerging growth company \u2612" in cover
    assert TRANSITION in cover
    assert cover.endswith("Section 13(a) of the Exchange Act. \u2610")


@pytest.mark.parametrize(
    ("filing_date", "twelve_b", "emerging"),
    [
        (dt.date(2017, 4, 11), False, False),
        (dt.date(2017, 4, 12), False, True),
        (dt.date(2019, 5, 1), False, True),
        (dt.date(2019, 5, 2), True, True),
    ],
)
def test_cover_parts_appear_from_their_boundary_dates(
    make_project: MakeProject,
    run_cli: RunCli,
    filing_date: dt.date,
    twelve_b: bool,
    emerging: bool,
) -> None:
    since = {part.key: part.since for part in COVER_PARTS}
    assert (filing_date >= since["section_12b_securities"]) is twelve_b
    assert (filing_date >= since["emerging_growth_company"]) is emerging
    root = dated_project(make_project, ["8.01", "9.01"], filing_date)
    cover = cover_text(render_8k(run_cli, root))
    assert (TWELVE_B in cover) is twelve_b
    assert (EMERGING in cover) is emerging
    assert (TRANSITION in cover) is emerging
    if twelve_b:  # a company with no 12(b) securities says so
        assert (
            f"{TWELVE_B} Title of each class Trading Symbol(s) Name of each exchange on "
            "which registered None None None"
        ) in cover
