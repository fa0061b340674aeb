"""The HTML we write follows EDGAR's document rules: checked by parsing the written files."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from tests.conftest import REPO

# EDGAR Filer Manual Vol. II 5.2.2 and the SEC's validator (see ../shared/reference/edgar.md).
RECOGNISED = set(
    "a address b big blockquote body br caption center cite code dd dfn dir div dl dt em font "
    "h1 h2 h3 h4 h5 h6 head hr html i img kbd li menu meta ol p pre samp small strike strong "
    "sub sup table td th title tr tt u ul var".split()
)
NAMED_ENTITIES_WE_USE = {"amp", "lt", "gt", "quot"}
EDGAR_LINK = re.compile(r"^https?://www\.sec\.gov/(ix\?doc=/)?Archives/edgar/data/")
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*(\.(htm|jpg|gif|pdf|xsd)|_(lab|pre|def)\.xml)$")


def documents(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.htm"))


@pytest.fixture(params=["immunogen", "lumen_ridge"])
def folder(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


def test_documents_are_ascii_and_open_with_html_on_the_first_line(folder: Path) -> None:
    for path in documents(folder):
        data = path.read_bytes()
        assert data.isascii(), path.name
        assert data.startswith(b"<html"), path.name
        entities = set(re.findall(rb"&([A-Za-z][A-Za-z0-9]*);", data))
        assert {e.decode() for e in entities} <= NAMED_ENTITIES_WE_USE, path.name


def test_documents_use_only_elements_and_attributes_edgar_accepts(folder: Path) -> None:
    for path in documents(folder):
        if b"http://www.xbrl.org/2013/inlineXBRL" in path.read_bytes():
            continue  # Inline XBRL: XHTML rules, tested in test_xbrl.py
        tree = lxml.html.fromstring(path.read_bytes())
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            assert element.tag in RECOGNISED, f"{path.name}: <{element.tag}>"
            for name in element.attrib:
                assert not name.lower().startswith(("on", "xmlns")), f"{path.name}: @{name}"
                assert name.lower() != "http-equiv"
        assert not tree.xpath("//style|//script|//thead|//tbody|//tfoot|//span|//link")
        assert not tree.xpath("//table//table"), f"{path.name}: nested table"
        assert tree.xpath("//body//*[@style]"), "styles are style attributes"


def test_documents_are_well_formed_xml_for_inline_xbrl(folder: Path) -> None:
    for path in documents(folder):
        lxml.etree.fromstring(path.read_bytes(), lxml.etree.XMLParser(resolve_entities=False))


def test_links_and_images_stay_inside_the_submission(folder: Path) -> None:
    names = {path.name for path in folder.iterdir()}
    for path in documents(folder):
        tree = lxml.html.fromstring(path.read_bytes())
        for href in tree.xpath("//a/@href"):
            assert href in names or EDGAR_LINK.match(href), f"{path.name}: {href}"
        for src in tree.xpath("//img/@src"):
            assert src in names and src.endswith((".jpg", ".gif")), f"{path.name}: {src}"


def test_file_names_follow_edgar_rules(folder: Path) -> None:
    for path in folder.iterdir():
        if path.name == "manifest.json":  # for the filing agent; not filed
            continue
        assert FILE_NAME.match(path.name) and len(path.name) <= 32, path.name


def test_exhibit_index_links_each_exhibit_to_its_document(lumen_ridge: Path) -> None:
    tree = lxml.html.fromstring((lumen_ridge / "lrsy-20251106.htm").read_bytes())
    rows = [
        (row.xpath("string(td[1])").strip(), row.xpath("td[1]/a/@href"))
        for row in tree.xpath("//div[@id='item-9-01']//tr")[1:]
    ]
    assert rows == [("99.1", ["lrsy-ex99-1.htm"]), ("99.2", ["lrsy-ex99-2.htm"]), ("104", [])]


def test_items_print_in_numeric_order_with_official_titles(lumen_ridge: Path) -> None:
    tree = lxml.html.fromstring((lumen_ridge / "lrsy-20251106.htm").read_bytes())
    headings = [
        " ".join(div.xpath("string(p[1])").split())
        for div in tree.xpath("//div[starts-with(@id, 'item-')]")
    ]
    assert headings == [
        "Item 2.02. Results of Operations and Financial Condition.",
        "Item 5.02. Departure of Directors or Certain Officers; Election of Directors; "
        "Appointment of Certain Officers; Compensatory Arrangements of Certain Officers.",
        "Item 9.01. Financial Statements and Exhibits.",
    ]


def test_modern_cover_page_shows_12b_table_and_emerging_growth_boxes(lumen_ridge: Path) -> None:
    tree = lxml.html.fromstring((lumen_ridge / "lrsy-20251106.htm").read_bytes())
    cover = tree.xpath("//div[@id='cover']")[0]
    text = " ".join(cover.text_content().split())
    assert "Securities registered pursuant to Section 12(b) of the Act:" in text
    assert (
        "Class A Common Stock, par value $0.0001 per share LRSY The Nasdaq Stock Market LLC" in text
    )
    assert "Emerging growth company \u2612" in text
    assert text.endswith("Section 13(a) of the Exchange Act. \u2610")
    assert text.count("\u2610") == 5  # four Rule boxes and the transition-period election


def test_markdown_tables_render_without_thead_or_tbody(lumen_ridge: Path) -> None:
    tree = lxml.html.fromstring((lumen_ridge / "lrsy-ex99-1.htm").read_bytes())
    tables = tree.xpath("//table")
    statement = next(t for t in tables if "Gross profit" in t.text_content())
    first_row = [" ".join(c.text_content().split()) for c in statement.xpath("tr[1]/*")]
    assert first_row[1] == "Three months ended Sept. 30, 2025"
    assert statement.xpath("tr/td[contains(@style, 'text-align:right')]")


AMENDMENT = """\
form_type: 8-K/A
amendment_number: 1
explanatory_note: This amendment corrects the date of the press release.
date_of_report: 2024-03-01
filing_date: 2024-03-08
items:
  - number: "9.01"
  - number: "8.01"
    body: Something happened.
exhibits:
  - number: "10.1"
    description: Credit Agreement dated February 28, 2024
    previously_filed: https://www.sec.gov/Archives/edgar/data/1234567/000123456724000001/ex10-1.htm
  - number: "99.1"
    description: Press release dated March 1, 2024
    source: press-release.md
  - number: "99.2"
    description: Investor presentation
    source: presentation.md
    kind: document
signature:
  name: John Roe
  title: Chief Financial Officer
"""


def test_amendment_cover_note_and_every_kind_of_exhibit(make_project, run_cli) -> None:
    root = make_project(
        {
            "content/example/filing.yaml": AMENDMENT,
            "content/example/presentation.md": "---\ntitle: Investor Presentation\n---\n"
            "# Highlights\n\n1. First\n2. Second\n\n> A quoted remark.\n",
        }
    )
    code, _, err = run_cli("--project", str(root), "build", "--format", "html")
    assert (code, err) == (0, "")
    out = root / "output" / "example"
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".htm") == [
        "exmp-20240301.htm",
        "exmp-ex99-1.htm",
        "exmp-ex99-2.htm",
    ]
    tree = lxml.html.fromstring((out / "exmp-20240301.htm").read_bytes())
    text = " ".join(" ".join(tree.find("body").itertext()).split())
    assert "FORM 8-K/A (Amendment No. 1) CURRENT REPORT" in text
    assert "EXPLANATORY NOTE This amendment corrects the date of the press release." in text
    assert text.index("EXPLANATORY NOTE") < text.index("Item 8.01. Other Events.")
    assert text.index("Item 8.01") < text.index("Item 9.01")
    assert "Date: March 8, 2024 By: /s/ John Roe John Roe Chief Financial Officer" in text
    links = [
        (row.xpath("string(td[1])"), row.xpath("string(td[1]/a/@href)"))
        for row in tree.xpath("//div[@id='item-9-01']//tr")[1:]
    ]
    assert links == [
        ("10.1", "https://www.sec.gov/Archives/edgar/data/1234567/000123456724000001/ex10-1.htm"),
        ("99.1", "exmp-ex99-1.htm"),
        ("99.2", "exmp-ex99-2.htm"),
        ("104", ""),  # the cover page's Inline XBRL: a row of the index, never a file
    ]
    document = lxml.html.fromstring((out / "exmp-ex99-2.htm").read_bytes())
    assert [p.text_content() for p in document.xpath("//body/div/p")[:2]] == [
        "Exhibit 99.2",
        "Investor Presentation",
    ]
    assert document.xpath("//h1")[0].text_content() == "Highlights"
    assert len(document.xpath("//ol/li")) == 2
    assert document.xpath("//blockquote/p")[0].text_content() == "A quoted remark."


def test_headline_and_body_cannot_inject_html(make_project, run_cli) -> None:
    root = make_project(
        {
            "content/example/press-release.md": "---\n"
            "headline: '<script>alert(1)</script> & <b onclick=x>'\n"
            "dateline: {city: X, date: 2024-03-01}\n---\n"
            'Text <img src=x onerror=alert(1)> and <a href="javascript:alert(1)">y</a>.\n'
            "[z](javascript:alert(2))\n"
        }
    )
    code, _, _ = run_cli("--project", str(root), "build", "--format", "html")
    assert code == 0
    html = (root / "output" / "example" / "exmp-ex99-1.htm").read_text()
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script|//*[@onclick]|//*[@onerror]|//a[starts-with(@href, 'java')]")
    assert tree.xpath("//p[@id='headline']")[0].text_content() == (
        "<script>alert(1)</script> & <b onclick=x>"
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b onclick=x&gt;" in html


def test_two_images_whose_names_shorten_alike_stay_two_files(make_project, run_cli) -> None:
    jpeg = (REPO / "content" / "lumen-ridge" / "logo.jpg").read_bytes()
    root = make_project(
        {
            "content/example/press-release.md": "---\nheadline: H\ndateline:\n  city: X\n"
            "  date: 2024-03-01\n---\nText.\n\n![a](quarterly-revenue-2025.jpg)\n\n"
            "![b](quarterly-revenue-2024.jpg)\n"
        }
    )
    folder = root / "content" / "example"
    (folder / "quarterly-revenue-2025.jpg").write_bytes(jpeg)
    (folder / "quarterly-revenue-2024.jpg").write_bytes(jpeg + b"\0")
    code, _, err = run_cli("--project", str(root), "build", "--format", "html")
    assert (code, err) == (0, "")
    tree = lxml.html.fromstring((root / "output" / "example" / "exmp-ex99-1.htm").read_bytes())
    sources = tree.xpath("//img/@src")
    assert sources == ["exmp-quarterlyrevenue.jpg", "exmp-quarterlyrevenue2.jpg"]
    written = root / "output" / "example"
    assert (written / sources[0]).read_bytes() != (written / sources[1]).read_bytes()


def test_the_address_reads_with_a_space_after_each_comma(lumen_ridge: Path) -> None:
    import lxml.html

    text = " ".join(
        lxml.html.document_fromstring((lumen_ridge / "lrsy-20251106.htm").read_bytes())
        .text_content()
        .split()
    )
    assert "1200 Harbor Point Drive, Suite 400, Baltimore, Maryland 21231" in text
