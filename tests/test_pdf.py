"""PDFs: pages, metadata, bundled fonts, bookmarks, links; the renderer reads only the project."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pypdf
import pytest

from form8k.pdf import SUBMISSION_BASE, FetchRefused, PdfRenderer, PrintDocument, _make_fetcher
from tests.conftest import REPO

BUNDLED_FAMILIES = ("Times-New-Roman", "Form8k-Ballot-Boxes", "Courier-New")


def outline(reader: pypdf.PdfReader) -> list[object]:
    def walk(items: list[object]) -> list[object]:
        result: list[object] = []
        for item in items:
            if isinstance(item, list):
                result.append(walk(item))
            else:
                result.append(item.title)  # type: ignore[attr-defined]
        return result

    return walk(reader.outline)


def fonts(reader: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            names.add(str(font["/BaseFont"]))
    return names


def uri_links(reader: pypdf.PdfReader) -> list[str]:
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def test_pdfs_have_pages_on_us_letter(immunogen: Path) -> None:
    counts = {}
    for name in ("imgn-20050906.pdf", "imgn-ex99-1.pdf", "imgn-20050906-combined.pdf"):
        reader = pypdf.PdfReader(immunogen / name)
        counts[name] = len(reader.pages)
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    assert counts == {
        "imgn-20050906.pdf": 2,  # the cover; the items with the signature (no forced page)
        "imgn-ex99-1.pdf": 2,
        "imgn-20050906-combined.pdf": 4,
    }


def test_pdf_metadata_names_registrant_form_and_document(immunogen: Path) -> None:
    meta = pypdf.PdfReader(immunogen / "imgn-20050906.pdf").metadata
    assert meta.title == "ImmunoGen, Inc. - Form 8-K - September 6, 2005"
    assert meta.author == "ImmunoGen, Inc."
    assert meta.subject == (
        "Current report on Form 8-K: Item 8.01 Other Events; "
        "Item 9.01 Financial Statements and Exhibits"
    )
    assert meta["/Keywords"] == "Form 8-K, Item 8.01, Item 9.01"
    assert "/CreationDate" not in meta and "/ModDate" not in meta
    exhibit = pypdf.PdfReader(immunogen / "imgn-ex99-1.pdf").metadata
    assert exhibit.title.startswith("Exhibit 99.1 - ImmunoGen, Inc. Initiates Clinical Testing")


def test_pdf_embeds_only_the_bundled_fonts(immunogen: Path, lumen_ridge: Path) -> None:
    for path in (
        immunogen / "imgn-20050906-combined.pdf",
        lumen_ridge / "lrsy-20251106-combined.pdf",
    ):
        names = fonts(pypdf.PdfReader(path))
        assert names
        for name in names:
            assert name.split("+", 1)[1].startswith(BUNDLED_FAMILIES), name


def test_combined_pdf_bookmarks_cover_items_signature_and_each_exhibit(lumen_ridge: Path) -> None:
    reader = pypdf.PdfReader(lumen_ridge / "lrsy-20251106-combined.pdf")
    assert outline(reader) == [
        "Form 8-K",
        ["Cover Page", "Item 2.02", "Item 5.02", "Item 9.01", "Signatures"],
        "Exhibit 99.1",
        ["Lumen Ridge Systems Reports Third Quarter 2025 Results"],
        "Exhibit 99.2",
        ["Lumen Ridge Systems Names Daniel R. Whitaker Chief Operating Officer"],
    ]


def test_exhibit_index_links_jump_to_exhibits_in_combined_pdf_only(lumen_ridge: Path) -> None:
    single = pypdf.PdfReader(lumen_ridge / "lrsy-20251106.pdf")
    assert uri_links(single) == []
    assert not any(page.get("/Annots") for page in single.pages)

    combined = pypdf.PdfReader(lumen_ridge / "lrsy-20251106-combined.pdf")
    assert uri_links(combined) == []
    targets = []
    for page in combined.pages:
        for annotation in page.get("/Annots", []):
            destination = annotation.get_object()["/Dest"]  # [page, /Fit]
            targets.append(combined.get_page_number(destination[0].get_object()))
    form = len(pypdf.PdfReader(lumen_ridge / "lrsy-20251106.pdf").pages)
    first_pages = {  # page indexes: Exhibit 99.1 starts right after the 8-K
        "99.1": form,
        "99.2": form + len(pypdf.PdfReader(lumen_ridge / "lrsy-ex99-1.pdf").pages),
    }
    assert targets == [first_pages["99.1"], first_pages["99.2"]]


def test_pdf_pages_are_numbered(immunogen: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(immunogen / "imgn-20050906.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = [page.split() for page in text.split("\f") if page.strip()]
    assert [page[-1] for page in pages] == ["1", "2"]


def test_letterhead_logo_is_drawn_from_the_submission(lumen_ridge: Path) -> None:
    page = pypdf.PdfReader(lumen_ridge / "lrsy-ex99-1.pdf").pages[0]
    assert len(page.images) == 1


def test_fetcher_refuses_files_outside_the_project_and_the_network() -> None:
    fetcher = _make_fetcher([REPO], {"logo.jpg": REPO / "content" / "lumen-ridge" / "logo.jpg"})
    assert fetcher.fetch(SUBMISSION_BASE + "logo.jpg").read()[:2] == b"\xff\xd8"
    for url in (
        "file:///etc/passwd",
        (REPO / ".." / "shared").resolve().as_uri(),
        "https://example.com/x.jpg",
        "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        SUBMISSION_BASE + "other.jpg",
    ):
        with pytest.raises((FetchRefused, ValueError)):
            fetcher.fetch(url)


def test_document_referring_outside_the_project_fails_to_print(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"\xff\xd8 not really")
    renderer = PdfRenderer(templates=REPO / "templates", root=REPO)
    html = f'<html><body><p>x</p><img src="{secret.as_uri()}" /></body></html>'
    printed = renderer.print_filing(
        [PrintDocument("x.htm", html, "t", "a", "d", ())], files={}, title="t"
    )
    assert printed.documents == {}
    assert [p.message for p in printed.problems] == [
        f"PDF: {secret.as_uri()} is outside the project and its templates"
    ]


def test_modern_cover_page_fits_on_its_first_page(lumen_ridge: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(lumen_ridge / "lrsy-20251106.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text = " ".join(text.split())
    assert "Securities registered pursuant to Section 12(b) of the Act:" in text
    assert "Section 13(a) of the Exchange Act." in text  # the cover's last statement
    assert "Item 2.02" not in text  # the items start on the next page


def test_combined_pdf_keeps_each_documents_own_links_where_names_repeat() -> None:
    """Two exhibits with the same anchor names (as every press release has "headline"): in the
    combined PDF each one's footnote link jumps into its own pages, the bookmarks follow the
    documents in order, and joining again gives the same bytes."""
    renderer = PdfRenderer(templates=REPO / "templates", root=REPO)

    def exhibit(number: str) -> PrintDocument:
        html = (
            f'<html><body><h1 id="headline">Exhibit {number}</h1>'
            '<p>Said<a href="#note">1</a></p>'
            '<p style="page-break-before:always">filler</p>'
            f'<p id="note">1. The note of exhibit {number}.</p></body></html>'
        )
        return PrintDocument(f"ex{number}.htm", html, f"Exhibit {number}", "a", "d", ())

    documents = [exhibit("99.1"), exhibit("99.2")]
    printed = renderer.print_filing(documents, files={}, title="Both")
    assert printed.problems == []
    combined = pypdf.PdfReader(io.BytesIO(printed.combined))
    first = len(pypdf.PdfReader(io.BytesIO(printed.documents["ex99.1.htm"])).pages)
    assert len(combined.pages) == 2 * first == 4
    jumps = []
    for number, page in enumerate(combined.pages):
        for annotation in page.get("/Annots", []):
            destination = annotation.get_object()["/Dest"]
            jumps.append((number, combined.get_page_number(destination[0].get_object())))
    assert jumps == [(0, 1), (2, 3)]  # each note is on its own exhibit's second page
    assert outline(combined) == ["Exhibit 99.1", "Exhibit 99.2"]
    assert [combined.get_destination_page_number(item) for item in combined.outline] == [0, 2]
    assert combined.metadata is not None and combined.metadata.title == "Both"
    again = renderer.print_filing(documents, files={}, title="Both")
    assert again.combined == printed.combined
