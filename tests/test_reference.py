"""The ImmunoGen example reproduces the real 8-K of September 7, 2005 (tests/fixtures)."""

from __future__ import annotations

import difflib
import re
import subprocess
import unicodedata
from pathlib import Path

import lxml.html
import pypdf
import pytest

from tests.conftest import FIXTURES

REFERENCE = FIXTURES / "immunogen-8k-2005-09-07.txt"
TYPOGRAPHY = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
    }
)


def words(text: str) -> list[str]:
    """Lower-case words, with typography, markup and punctuation normalised away."""
    text = unicodedata.normalize("NFKC", text).translate(TYPOGRAPHY)
    text = re.sub(r"</?u>|\*+", " ", text)
    return re.findall(r"[a-z0-9]+", text.lower())


def coverage(reference: list[str], produced: list[str]) -> float:
    """Share of the reference's words found in the produced text, in the same order."""
    matcher = difflib.SequenceMatcher(None, reference, produced, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(reference)


def pdf_text_in_content_order(path: Path) -> str:
    """Text in the order the PDF draws it (pypdf), which follows the document's own order."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdf_text(path: Path) -> str:
    """Text as laid out on the page (poppler's pdftotext), pages separated by form feeds."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def html_text(path: Path) -> str:
    """The text a browser shows: the body's text, a line break for each <br>."""
    body = lxml.html.fromstring(path.read_bytes()).find("body")
    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return body.text_content()


@pytest.fixture(scope="module")
def reference_words() -> list[str]:
    return words(REFERENCE.read_text(encoding="utf-8"))


def test_combined_pdf_reproduces_reference_words_in_order(
    immunogen: Path, reference_words: list[str]
) -> None:
    produced = words(pdf_text_in_content_order(immunogen / "imgn-20050906-combined.pdf"))
    assert coverage(reference_words, produced) >= 0.97


def test_html_documents_reproduce_reference_words_in_order(
    immunogen: Path, reference_words: list[str]
) -> None:
    text = html_text(immunogen / "imgn-20050906.htm") + html_text(immunogen / "imgn-ex99-1.htm")
    assert coverage(reference_words, words(text)) >= 0.97


def test_coverage_measure_can_fail(reference_words: list[str]) -> None:
    # The measure must notice a missing paragraph: drop the press release's body.
    half = reference_words[: len(reference_words) // 2]
    assert coverage(reference_words, half) < 0.97
    assert coverage(reference_words, list(reversed(reference_words))) < 0.5


@pytest.mark.parametrize(
    "phrase",
    [
        # cover page fields
        "Date of Report (Date of earliest event reported): September 6, 2005",
        "ImmunoGen, Inc.",
        "(Exact name of registrant as specified in its charter)",
        "Massachusetts",
        "0-17999",
        "04-2726691",
        "(Commission File Number)",
        "(IRS Employer Identification No.)",
        "128 Sidney Street, Cambridge, MA",
        "02139",
        "Registrant\u2019s telephone number, including area code: (617) 995-2500",
        "Written communications pursuant to Rule 425 under the Securities Act (17 CFR 230.425)",
        "Pre-commencement communications pursuant to Rule 13e-4(c) under the Exchange Act "
        "(17 CFR 240.13e-4(c))",
        # item headings
        "Item 8.01. Other Events.",
        "Item 9.01. Financial Statements and Exhibits.",
        # signature
        "SIGNATURES",
        "has duly caused this report to be signed on its behalf by the undersigned hereunto "
        "duly authorized.",
        "/s/ Karleen M. Oberton",
        "Senior Corporate Controller (Principal Accounting Officer)",
        # press release
        "Exhibit 99.1",
        "ImmunoGen, Inc. Initiates Clinical Testing of HuN901-DM1 for Treatment of Multiple "
        "Myeloma",
        "CAMBRIDGE, MA, September 7, 2005 \u2013 ImmunoGen, Inc. (Nasdaq: IMGN) today announced",
        "About ImmunoGen, Inc.",
        "###",
    ],
)
def test_pdf_shows_cover_items_signature_and_headline(immunogen: Path, phrase: str) -> None:
    text = " ".join(pdf_text(immunogen / "imgn-20050906-combined.pdf").split())
    assert phrase in text


def test_historical_cover_has_no_12b_table_or_emerging_growth_statements(immunogen: Path) -> None:
    text = " ".join(html_text(immunogen / "imgn-20050906.htm").split())
    assert "Section 12(b)" not in text
    assert "emerging growth company" not in text


def test_press_release_pages_end_with_more_except_the_last(immunogen: Path) -> None:
    pages = pdf_text(immunogen / "imgn-ex99-1.pdf").split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) == 2
    assert pages[0].split()[-1] == "-more-"
    assert "-more-" not in pages[-1]
    assert pages[-1].split()[-1] == "###"
