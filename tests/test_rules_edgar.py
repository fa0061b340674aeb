"""EDGAR's document rules, applied to HTML by parsing it: each fires, and our output passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from form8k.errors import SourceLocation
from form8k.rules import RULES, to_problems
from form8k.rules.edgar import Document, check_documents, check_submission_size

GOOD = (
    b'<html>\n<head>\n<title>t</title>\n</head>\n<body style="font-size:10pt">\n'
    b'<p>Caf&#233; &amp; <a href="ex-2.htm">exhibit</a> <a href="#top">top</a> '
    b'<a href="https://www.sec.gov/Archives/edgar/data/1/2/x.htm">old</a></p>\n'
    b'<img src="logo.jpg" alt="logo" />\n</body>\n</html>\n'
)


def findings(body: bytes, *, name: str = "ex-1.htm", head: bytes | None = None) -> list[str]:
    content = (head if head is not None else b"<html>\n<body>\n") + body + b"\n</body>\n</html>\n"
    document = Document(name, content, Path("out") / name)
    other = Document("ex-2.htm", GOOD, Path("out/ex-2.htm"))
    problems = to_problems(check_documents([document, other], graphics=["logo.jpg"]))
    return [p.display() for p in problems if p.location.path.name == name]


def test_valid_document_has_no_findings() -> None:
    assert findings(GOOD.split(b"<body")[1].split(b">", 1)[1].rsplit(b"</body>")[0]) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<style>p{}</style>", "out/ex-1.htm:3: error: html-element: <style> is not an element"),
        (
            b"<table><tbody><tr><td>x</td></tr></tbody></table>",
            "out/ex-1.htm:3: error: html-element: <tbody> is not an element EDGAR accepts in plain "
            "HTML documents",
        ),
        (b"<p><span>x</span></p>", "out/ex-1.htm:3: error: html-element: <span>"),
        (
            b"<script>alert(1)</script>",
            "out/ex-1.htm:3: error: html-active-content: <script> is active content",
        ),
        (
            b'<p onclick="x()">x</p>',
            "out/ex-1.htm:3: error: html-active-content: the onclick attribute is active content",
        ),
        (
            b'<a href="javascript:alert(1)">x</a>',
            "out/ex-1.htm:3: error: html-active-content: a javascript: href is active content",
        ),
        (
            b"<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>",
            "out/ex-1.htm:3: error: html-nested-table: a table inside a table",
        ),
        (
            b'<a href="https://example.com/">x</a>',
            "out/ex-1.htm:3: error: html-link: link to 'https://example.com/'",
        ),
        (
            b'<a href="mailto:ir@example.com">x</a>',
            "out/ex-1.htm:3: error: html-link: link to 'mailto:ir@example.com'",
        ),
        (b'<a href="ex-3.htm">x</a>', "out/ex-1.htm:3: error: html-link: link to 'ex-3.htm'"),
        (
            b'<img src="chart.png" />',
            "out/ex-1.htm:3: error: html-image: image 'chart.png': EDGAR accepts only .jpg and "
            ".gif",
        ),
        (
            b'<img src="data:image/gif;base64,R0lGOD" />',
            "out/ex-1.htm:3: error: html-image: image 'data:image/gif;base64,R0lGOD': data: URIs",
        ),
        (
            b'<img src="other.jpg" />',
            "out/ex-1.htm:3: error: html-image: image 'other.jpg': not a file of this submission",
        ),
        (
            "<p>caf\u00e9</p>".encode(),
            "out/ex-1.htm:3:7: error: html-characters: character '\u00c3' (byte 0xc3) is not in "
            "EDGAR's character table",
        ),
        (b"<p>x ^ y</p>", "out/ex-1.htm:3:6: error: html-characters: character '^'"),
        (
            b"<p>&there4;</p>",
            "out/ex-1.htm:3:4: error: html-characters: &there4; is not a character reference EDGAR "
            "accepts",
        ),
        (
            b'<p><meta http-equiv="refresh" content="0" /></p>',
            "out/ex-1.htm:3: error: html-attribute: <meta http-equiv=...> is not accepted",
        ),
    ],
)
def test_document_rule_fires_at_its_line(body: bytes, expected: str) -> None:
    assert any(line.startswith(expected) for line in findings(body)), findings(body)


def test_html_must_open_the_first_line() -> None:
    lines = findings(b"<p>x</p>", head=b"<!DOCTYPE html>\n<html>\n<body>\n")
    assert "out/ex-1.htm:1:1: error: html-structure: <html> must open the first line" in lines[0]


def test_file_names_follow_edgar_naming() -> None:
    assert findings(b"<p>x</p>", name="Exhibit 99.htm") == [
        "out/Exhibit 99.htm: error: file-name: document name 'Exhibit 99.htm' must be lower case, "
        "start with a letter or digit, hold only letters, digits, '.', '-' and '_', and end in "
        ".htm, .txt, .pdf, .fil, .jpg, .gif, .xsd or .xml"
    ]
    assert findings(b"<p>x</p>", name="a" * 30 + ".htm") == []  # length: rules.form


def test_submission_size_limit() -> None:
    where = SourceLocation(Path("out"))
    assert check_submission_size([100 * 1024 * 1024] * 2, where) == []
    (finding,) = check_submission_size([150 * 1024 * 1024] * 2, where)
    assert to_problems([finding])[0].display() == (
        "out: warning: submission-size: the submission is 300.0 MB; EDGAR refuses submissions "
        "over 200 MB"
    )


def test_a_template_that_breaks_a_rule_fails_the_build_and_writes_nothing(
    make_project, run_cli
) -> None:
    root = make_project()
    template = root / "templates" / "_signature.htm.j2"
    heading = '<p style="{{ css.signature.heading }}"'
    template.write_text(template.read_text().replace(heading, "<q>x</q>" + heading, 1))
    code, _, err = run_cli("--project", str(root), "build", "--format", "html")
    assert code == 1
    assert "output/example/exmp-20240301.htm:" in err
    assert "error: html-element: <q> is not an element EDGAR accepts in Inline XBRL" in err
    assert not (root / "output" / "example").exists()


def test_every_document_rule_is_in_the_table() -> None:
    for rule in (
        "html-element",
        "html-attribute",
        "html-active-content",
        "html-nested-table",
        "html-link",
        "html-image",
        "html-characters",
        "html-structure",
        "file-name",
        "file-name-length",
        "submission-size",
    ):
        assert rule in RULES


def test_control_characters_that_python_calls_line_breaks_are_caught() -> None:
    lines = findings(b"<p>x \x1c y</p>\n<p>\x0b</p>")
    assert lines[0].startswith(
        "out/ex-1.htm:3:6: error: html-characters: character '\\x1c' (byte 0x1c) is not in "
        "EDGAR's character table (printable ASCII but '^'); remove it (a control character)"
    )
    assert lines[1].startswith("out/ex-1.htm:4:4: error: html-characters: character '\\x0b'")


def test_a_malformed_inline_document_is_an_error_not_a_crash(make_project, run_cli) -> None:
    root = make_project()
    template = root / "templates" / "_signature.htm.j2"
    heading = '<p style="{{ css.signature.heading }}"'
    template.write_text(template.read_text().replace(heading, "<p><br>" + heading, 1))
    code, out, err = run_cli("--project", str(root), "check")
    assert code == 1
    assert "error: html-structure: does not parse:" in out
    assert "internal error" not in out + err
