"""form8k import: a Word document made here becomes Markdown that builds, with a report of
what could not be kept."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from form8k.cli import cli
from form8k.pipeline import Project, build
from form8k.review.cli import register
from form8k.review.docx import import_docx

register(cli)  # what form8k/cli.py's one line does

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
VML = "urn:schemas-microsoft-com:vml"
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
#: A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def run(text: str, *, deleted: bool = False) -> object:
    element = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    element.append(t)
    return element


def tracked(paragraph: object, kind: str, text: str, ident: int) -> None:
    """A tracked insertion (``ins``) or deletion (``del``) by Jane Counsel, not accepted."""
    change = OxmlElement(f"w:{kind}")
    change.set(qn("w:id"), str(ident))
    change.set(qn("w:author"), "Jane Counsel")
    change.set(qn("w:date"), "2024-02-28T10:00:00Z")
    change.append(run(text, deleted=kind == "del"))
    paragraph._p.append(change)  # type: ignore[attr-defined]


def footnote(document: object, paragraph: object, text: str) -> None:
    """A footnote reference at the end of ``paragraph``, and the footnotes part with its note
    (python-docx writes neither: the part is added to the package here)."""
    reference = parse_xml(
        f'<w:r xmlns:w="{W}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>'
    )
    paragraph._p.append(reference)  # type: ignore[attr-defined]
    notes = (
        f'<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    ).encode()
    part_of = document.part  # type: ignore[attr-defined]
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES, notes, part_of.package)
    part_of.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def text_box(paragraph: object, text: str) -> None:
    box = parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:v="{VML}"><w:pict><v:shape style="width:100pt;height:40pt">'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></w:r>"
    )
    paragraph._p.append(box)  # type: ignore[attr-defined]


def press_release() -> bytes:
    """A press release as counsel sends it: release time, Title, Subtitle, the dateline in the
    first paragraph, bold and italics, tracked changes, a footnote, a heading, bulleted and
    numbered lists, a table, a comment, an image, a text box, a page header, an end mark."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Acme Corp. - Confidential draft"
    document.add_paragraph("FOR IMMEDIATE RELEASE")
    document.add_paragraph("Acme Corp. Reports Record Fourth Quarter", style="Title")
    document.add_paragraph("Revenue up 20%; outlook raised", style="Subtitle")
    first = document.add_paragraph(
        "SPRINGFIELD, Ill., March 1, 2024 /PRNewswire/ -- Acme Corp. (NYSE: ACME) today announced "
    )
    first.add_run("record").bold = True
    first.add_run(" results for the ")
    first.add_run("fourth").italic = True
    first.add_run(" quarter.")
    second = document.add_paragraph("Revenue grew ")
    tracked(second, "ins", "approximately ", 11)
    tracked(second, "del", "nearly ", 12)
    second.add_run("20% to $12 million.")
    footnote(document, second, "Excludes one-time items.")
    document.add_heading("Highlights", level=2)
    document.add_paragraph("Revenue of $12 million", style="List Bullet")
    document.add_paragraph("Net income of $2 million", style="List Bullet")
    document.add_paragraph("Open two plants", style="List Number")
    document.add_paragraph("Hire 100 people", style="List Number")
    table = document.add_table(rows=3, cols=3)
    rows = [
        ["", "2023", "2022"],
        ["Revenue", "$12,000", "$10,000"],
        ["Net income", "2,000", "1,500"],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    call = document.add_paragraph("Acme will hold a conference call today at 5:00 p.m.")
    document.add_comment(call.runs, text="Confirm the time", author="Jane Counsel", initials="JC")
    underlined = document.add_paragraph("Investors may ")
    underlined.add_run("listen online").underline = True
    underlined.add_run(".")
    document.add_picture(io.BytesIO(PNG))
    boxed = document.add_paragraph("See the call details. ")
    text_box(boxed, "Dial 800-555-0100")
    document.add_paragraph("###")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def agreement() -> bytes:
    document = docx.Document()
    document.add_heading("Amended and Restated Employment Agreement", level=1)
    document.add_paragraph("This Agreement is made as of March 1, 2024.")
    document.add_heading("1. Term", level=2)
    document.add_paragraph("The term is three years.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_press_release_becomes_markdown_with_front_matter() -> None:
    imported = import_docx(press_release())
    assert imported.kind == "press-release"
    assert imported.front["headline"] == "Acme Corp. Reports Record Fourth Quarter"
    assert imported.front["subheadline"] == "Revenue up 20%; outlook raised"
    assert imported.front["dateline"] == {
        "city": "SPRINGFIELD, Ill.",
        "date": __import__("datetime").date(2024, 3, 1),
        "wire": "PRNewswire",
    }
    assert imported.front["release_time"] == "FOR IMMEDIATE RELEASE"
    assert imported.front["end_mark"] == "###"
    body = imported.markdown.split("\n---\n", 1)[1]
    # The dateline left the first paragraph; its bold and italics stay.
    assert body.startswith(
        "Acme Corp. (NYSE: ACME) today announced **record** results for the *fourth* quarter.\n"
    )
    # Tracked changes as if accepted, with the footnote.
    assert "Revenue grew approximately 20% to $12 million.[^1]" in body
    assert "nearly" not in body
    assert "[^1]: Excludes one-time items." in body
    assert "## Highlights" in body
    assert "- Revenue of $12 million\n- Net income of $2 million" in body
    assert "1. Open two plants\n2. Hire 100 people" in body
    assert "```table\n| | 2023 | 2022 |\n|:--|--:|--:|\n| Revenue | $12,000 | $10,000 |" in body
    assert "Dial 800-555-0100" in body  # the text box's text, where it was
    assert "###" not in body and "FOR IMMEDIATE RELEASE" not in body


def test_the_report_lists_what_could_not_be_kept() -> None:
    imported = import_docx(press_release())
    changes = [loss.detail for loss in imported.tracked_changes]
    assert changes == [
        'insertion by Jane Counsel on 2024-02-28: "approximately" (kept)',
        'deletion by Jane Counsel on 2024-02-28: "nearly" (left out)',
    ]
    assert all("Revenue grew" in loss.where for loss in imported.tracked_changes)
    kinds = {loss.kind: loss for loss in imported.losses}
    assert 'by Jane Counsel: "Confirm the time"' in kinds["comment"].detail
    assert "conference call" in kinds["comment"].where
    assert "image" in kinds
    assert "Dial 800-555-0100" in kinds["text box"].detail
    assert "Confidential draft" in kinds["header/footer"].detail
    assert "underlining" in kinds["formatting"].detail


def test_import_command_writes_markdown_and_report_that_build(
    make_project: Callable[..., Path],
    tmp_path: Path,
    run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    root = make_project()
    source = tmp_path / "Acme Q4 Release FINAL.docx"
    source.write_bytes(press_release())
    target = root / "content/example/press-release.md"
    target.unlink()
    code, out, err = run_cli("import", str(source), "--out", str(target))
    assert code == 0, out + err
    report = root / "content/example/press-release.import-report.txt"
    assert report.is_file() and target.is_file()
    printed = report.read_text(encoding="utf-8")
    assert printed in out  # printed, and written beside the Markdown
    assert "Tracked changes not accepted or rejected in Word" in printed
    assert 'deletion by Jane Counsel on 2024-02-28: "nearly" (left out)' in printed
    assert "Comments (not imported): 1" in printed
    # The Markdown builds, clean.
    report_of_build = build(Project(root), out=root / "output", jobs=1)
    assert not report_of_build.problems, [p.display(root) for p in report_of_build.problems]
    release = (root / "output/example/exmp-ex99-1.htm").read_text(encoding="ascii")
    assert "Acme Corp. Reports Record Fourth Quarter" in release
    assert "/PRNewswire/" in release
    assert "<sup" in release and "Excludes one-time items." in release
    assert "<strong" in release or "<b" in release
    # Nothing is overwritten.
    code, _, err = run_cli("import", str(source), "--out", str(target))
    assert code == 2 and "already exists" in err


def test_default_name_beside_the_document(
    tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    source = tmp_path / "Acme Q4 Release FINAL.docx"
    source.write_bytes(press_release())
    code, _, _ = run_cli("import", str(source))
    assert code == 0
    assert (tmp_path / "acme-q4-release-final.md").is_file()
    assert (tmp_path / "acme-q4-release-final.import-report.txt").is_file()


def test_an_exhibit_document(
    make_project: Callable[..., Path], tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    source = tmp_path / "agreement.docx"
    source.write_bytes(agreement())
    imported = import_docx(source)
    assert imported.kind == "document"
    assert imported.front == {"title": "Amended and Restated Employment Agreement"}
    assert "## 1\\. Term" in imported.markdown or "## 1. Term" in imported.markdown
    root = make_project(
        {
            "content/example/filing.yaml": (
                "form_type: 8-K\ndate_of_report: 2024-03-01\nfiling_date: 2024-03-04\n"
                'items:\n  - number: "5.02"\n    body: An officer was appointed.\n'
                '  - number: "9.01"\nexhibits:\n  - number: "10.1"\n'
                "    description: Employment Agreement\n    kind: document\n"
                "    source: agreement.md\n"
            )
        }
    )
    (root / "content/example/press-release.md").unlink()
    code, out, err = run_cli("import", str(source), "--out", str(root / "content/example"))
    assert code == 0, out + err
    report = build(Project(root), out=root / "output", jobs=1)
    assert not report.failed, [p.display(root) for p in report.problems]


def test_not_a_word_document(tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    source = tmp_path / "release.docx"
    source.write_text("plain text", encoding="utf-8")
    code, _, err = run_cli("import", str(source))
    assert code == 2 and "not a Word document" in err
    code, _, err = run_cli("import", str(tmp_path / "release.doc"))
    assert code == 2


@pytest.mark.parametrize(
    ("opening", "city", "date", "wire"),
    [
        (
            "ST. PAUL, Minn., March 8, 2024 /PRNewswire/ -- ",
            "ST. PAUL, Minn.",
            (2024, 3, 8),
            "PRNewswire",
        ),
        ("NEW YORK, Jan. 5, 2024 (GLOBE NEWSWIRE) -- ", "NEW YORK", (2024, 1, 5), "GLOBE NEWSWIRE"),
        ("AUSTIN, Texas, June 13, 2022 \u2013 ", "AUSTIN, Texas", (2022, 6, 13), None),
        ("CAMBRIDGE, MA \u2014 ", "CAMBRIDGE, MA", None, None),
    ],
)
def test_datelines_as_wires_write_them(
    opening: str, city: str, date: tuple[int, int, int] | None, wire: str | None
) -> None:
    document = docx.Document()
    document.add_paragraph("Acme Announces a Thing", style="Title")
    document.add_paragraph(opening + "Acme Corp. today announced a thing.")
    out = io.BytesIO()
    document.save(out)
    imported = import_docx(out.getvalue())
    dateline = imported.front["dateline"]
    assert dateline["city"] == city
    expected = __import__("datetime").date(*date) if date else None
    assert dateline.get("date") == expected
    assert dateline.get("wire") == wire
    assert imported.markdown.rstrip().endswith("\nAcme Corp. today announced a thing.")
