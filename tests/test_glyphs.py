"""Glyphs: the symbols print with the bundled fonts, no machine font is ever used, and a character
no bundled font has prints as a box and warns at the line of the content that wrote it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from fontTools.ttLib import TTFont

from form8k.errors import Severity, SourceLocation
from form8k.fontcover import (
    LAST_RESORT_FAMILY,
    bundled_fonts,
    coverage,
    covered_text,
    font_coverage,
    missing_characters,
    needs_glyph,
)
from form8k.glyphs import (
    GLYPH_MISSING,
    RULE,
    check_filing_glyphs,
    check_glyphs,
    describe,
    document_text,
    locate_characters,
    missing_in_documents,
)
from form8k.load import load_filing
from form8k.pdf import PdfRenderer, PrintDocument, _font_count
from form8k.render import Renderer
from form8k.rules import RULES, to_problems
from tests.conftest import REPO

TEMPLATES = REPO / "templates"
FONTS = TEMPLATES / "fonts"

#: The symbols a filing commonly uses; each must print with a bundled font.
SYMBOLS = "✓✔✗→←↑↓≈≠≤≥±×÷€£¥™®©°§¶•…‰′″½¼¾☐☑☒"
#: Which bundled family draws a few of them in running text (PDF font names).
DRAWN_WITH = {
    "✓": "Form8k-Symbols",
    "✔": "Form8k-Symbols",
    "✗": "Form8k-Symbols",
    "☐": "Form8k-Ballot-Boxes",
    "€": "Times-New-Roman",
    "≠": "Times-New-Roman",
    "½": "Times-New-Roman",
}
BUNDLED_FAMILIES = (
    "Times-New-Roman",
    "Courier-New",
    "Form8k-Ballot-Boxes",
    "Form8k-Symbols",
    "Form8k-Last-Resort",
)
#: Characters no bundled font has: an emoji, CJK, Devanagari, Thai.
UNDRAWABLE = "😀中文नमस्ते"


def html_page(body: str, *, title: str = "Test") -> str:
    """An ASCII document as the renderer makes them (non-ASCII as character references)."""
    text = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


@pytest.fixture(scope="module")
def printer() -> PdfRenderer:
    return PdfRenderer(templates=TEMPLATES, root=REPO)


def print_pdf(printer: PdfRenderer, body: str) -> tuple[bytes, list[str]]:
    document = PrintDocument("test.htm", html_page(body), "Test", "Tester", "A test", ["test"])
    printed = printer.print_filing([document], files={}, title="Test")
    return printed.documents["test.htm"], [problem.message for problem in printed.problems]


def family(base_font: object) -> str:
    """The bundled family a PDF font belongs to (``/ABCDEF+Times-New-Roman,-Bold``: Times New
    Roman), or its name when it is none of them."""
    name = str(base_font).split("+", 1)[-1]
    return next((f for f in BUNDLED_FAMILIES if name.startswith(f)), name)


def pdf_fonts(pdf: bytes) -> list[Any]:
    """The font dictionaries of every page."""
    fonts: list[Any] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        fonts += [font.get_object() for font in resources["/Font"].values()]
    return fonts


def embedded_fonts(pdf: bytes) -> set[str]:
    """The embedded fonts' families, e.g. ``Form8k-Symbols``."""
    names = set()
    for font in pdf_fonts(pdf):
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        names.add(family(font["/BaseFont"]))
    return names


def fonts_by_character(pdf: bytes) -> dict[str, set[str]]:
    """Each character of the PDF's text and the fonts it is drawn with."""
    drawn: dict[str, set[str]] = {}

    def visit(text: str, _cm: object, _tm: object, font: Any, _size: object) -> None:
        if font is None:
            return
        name = family(font["/BaseFont"])
        for char in text:
            if not char.isspace() and char != "\x00":
                drawn.setdefault(char, set()).add(name)

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return drawn


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True
    ).stdout.decode("utf-8")


# --- the fonts ---------------------------------------------------------------------------------


def test_print_css_declares_the_bundled_fonts_and_the_last_resort() -> None:
    fonts = {font.path.name: font.family for font in bundled_fonts(TEMPLATES)}
    assert fonts == {
        "LiberationSerif-Regular.ttf": "Times New Roman",
        "LiberationSerif-Bold.ttf": "Times New Roman",
        "LiberationSerif-Italic.ttf": "Times New Roman",
        "LiberationSerif-BoldItalic.ttf": "Times New Roman",
        "LiberationMono-Regular.ttf": "Courier New",
        "DejaVuSans-BallotBoxes.ttf": "Form8k Ballot Boxes",
        "DejaVuSans-Symbols.ttf": "Form8k Symbols",
        "DejaVuSans-LastResort.ttf": LAST_RESORT_FAMILY,
    }
    assert all(font.path.is_file() for font in bundled_fonts(TEMPLATES))


def test_bundled_fonts_cover_the_common_symbols() -> None:
    covered = coverage(TEMPLATES)
    assert [char for char in SYMBOLS if ord(char) not in covered] == []
    # The check marks and ✗ come from the symbol subset, which Liberation lacks them for.
    liberation = font_coverage(FONTS / "LiberationSerif-Regular.ttf")
    symbols = font_coverage(FONTS / "DejaVuSans-Symbols.ttf")
    assert {char for char in SYMBOLS if ord(char) not in liberation} == set("✓✔✗☐☑☒")
    assert {char for char in "✓✔✗" if ord(char) in symbols} == set("✓✔✗")
    assert [char for char in UNDRAWABLE if needs_glyph(char) and ord(char) in covered] == []


def test_added_fonts_are_small_and_the_last_resort_draws_a_box() -> None:
    assert (FONTS / "DejaVuSans-Symbols.ttf").stat().st_size < 200_000
    assert (FONTS / "DejaVuSans-LastResort.ttf").stat().st_size < 4_000
    font = TTFont(FONTS / "DejaVuSans-LastResort.ttf")
    assert font.getBestCmap() == {0x20: "space"}
    notdef = font["glyf"][".notdef"]
    notdef.recalcBounds(font["glyf"])
    assert notdef.numberOfContours == 2  # a box: an outer and an inner contour
    assert notdef.xMax - notdef.xMin < 0.4 * font["head"].unitsPerEm


def test_fonts_readme_names_every_font_file_with_its_licence() -> None:
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    for path in FONTS.glob("*.ttf"):
        name = path.name
        assert name in readme or name.startswith("LiberationSerif-"), name
    assert "LICENSE-DejaVu.txt" in readme and (FONTS / "LICENSE-DejaVu.txt").is_file()


# --- printing: only the bundled fonts ----------------------------------------------------------


def test_font_configuration_holds_the_bundled_fonts_only(printer: PdfRenderer) -> None:
    from weasyprint.text.ffi import ffi, fontconfig

    system = fontconfig.FcConfigGetFonts(printer.font_config._config, fontconfig.FcSetSystem)
    assert system == ffi.NULL or system.nfont == 0
    assert _font_count(printer.font_config) == len(bundled_fonts(TEMPLATES))


def test_symbols_print_with_bundled_fonts_and_copy_out_as_themselves(
    printer: PdfRenderer,
) -> None:
    spaced = " ".join(SYMBOLS)
    pdf, problems = print_pdf(
        printer,
        f"<p>{spaced}</p><p><b>{spaced}</b></p><p><i>{spaced}</i></p><pre>{spaced}</pre>",
    )
    assert problems == []
    assert embedded_fonts(pdf) <= set(BUNDLED_FAMILIES) - {"Form8k-Last-Resort"}
    text = pdftotext(pdf)
    assert "".join(text.split()).count(SYMBOLS) == 4, text  # pdftotext drops some spaces
    drawn = fonts_by_character(pdf)
    for char, family in DRAWN_WITH.items():
        assert family in drawn[char], (char, drawn[char])
    for char in SYMBOLS:
        assert drawn[char] <= set(BUNDLED_FAMILIES) - {"Form8k-Last-Resort"}, char


def test_characters_no_bundled_font_has_print_as_a_box_from_no_machine_font(
    printer: PdfRenderer,
) -> None:
    pdf, problems = print_pdf(
        printer,
        f"<p>Smile {UNDRAWABLE} now</p><p><b>Bold 😀</b></p><pre>code 😀</pre>"
        '<p><img alt="😀" src="x" style="display:none"/>✔️ done</p>',
    )
    assert problems == []  # the glyph-missing check reports them, with the content's line
    assert embedded_fonts(pdf) <= set(BUNDLED_FAMILIES)
    drawn = fonts_by_character(pdf)
    for char in "😀中文":
        assert drawn[char] == {"Form8k-Last-Resort"}, (char, drawn[char])
    assert drawn["✔"] == {"Form8k-Symbols"}  # its variation selector needs no glyph
    assert drawn["S"] == {"Times-New-Roman"}
    text = pdftotext(pdf)
    assert "Smile 😀中文" in text and "Bold 😀" in text and "code 😀" in text
    # The box is the last resort's .notdef, embedded with its outline.
    for font in pdf_fonts(pdf):
        if "Form8k-Last-Resort" in str(font["/BaseFont"]):
            descendant = font["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_data()
            subset = TTFont(io.BytesIO(data))
            assert subset["glyf"][".notdef"].numberOfContours == 2


def test_the_machine_has_fonts_the_pdf_does_not_use() -> None:
    """The tests above mean something: this machine has fonts for characters the bundled ones
    lack (DejaVu Sans has U+1F600), and they stay out of the PDF."""
    listed = subprocess.run(
        ["fc-list", ":charset=1f600", "file"], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0 or not listed.stdout.strip():
        pytest.skip("no font on this machine has U+1F600: nothing to fall back to anyway")
    assert all(not line.startswith(str(FONTS)) for line in listed.stdout.splitlines())


def test_a_stylesheet_without_fonts_is_refused(tmp_path: Path) -> None:
    from form8k.render import RenderError

    (tmp_path / "print.css").write_text("body { font-family: serif; }\n", encoding="utf-8")
    with pytest.raises(RenderError, match="loads no font"):
        PdfRenderer(templates=tmp_path, root=tmp_path)


_PRINT_SCRIPT = """
import sys
from pathlib import Path
from form8k.pdf import PdfRenderer, PrintDocument
repo = Path(sys.argv[1])
html = sys.stdin.read()
printer = PdfRenderer(templates=repo / "templates", root=repo)
printed = printer.print_filing(
    [PrintDocument("test.htm", html, "Test", "Tester", "A test", ["test"])],
    files={}, title="Test",
)
sys.stdout.buffer.write(printed.documents["test.htm"])
"""


def print_in_process(html: str, env: dict[str, str]) -> bytes:
    return subprocess.run(
        [sys.executable, "-c", _PRINT_SCRIPT, str(REPO)],
        input=html.encode("ascii"),
        capture_output=True,
        check=True,
        env={**os.environ, **env},
        cwd=REPO,
    ).stdout


def test_pdf_bytes_are_the_same_in_two_runs_and_without_the_machines_fonts(
    tmp_path: Path, printer: PdfRenderer
) -> None:
    html = html_page(f"<p>{' '.join(SYMBOLS)}</p><p>Smile {UNDRAWABLE}</p><pre>✓ 😀</pre>")
    first = print_in_process(html, {"PYTHONHASHSEED": "1"})
    second = print_in_process(html, {"PYTHONHASHSEED": "2"})
    assert first == second
    # Another machine: Fontconfig finds no font at all (an empty configuration file).
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    bare = print_in_process(
        html, {"FONTCONFIG_FILE": str(empty), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    )
    assert bare == first
    # And the same bytes in this process, with a renderer that has printed other things.
    document = PrintDocument("test.htm", html, "Test", "Tester", "A test", ["test"])
    assert printer.print_filing([document], files={}, title="Test").documents["test.htm"] == first


# --- finding the characters and where the content wrote them -----------------------------------


def test_needs_glyph_leaves_out_what_is_never_drawn() -> None:
    for char in "\n\t\u00a0\u200b\u200d\ufe0f\u00ad\u3000\u2028":
        assert not needs_glyph(char), repr(char)
    for char in "a€✓😀中\u0301":
        assert needs_glyph(char), repr(char)


def test_missing_characters_and_runs() -> None:
    covered = coverage(TEMPLATES)
    text = "Café ✓ 😀️ and 中文, again 😀 \u200b"
    assert missing_characters(text, covered) == ["😀", "中", "文"]
    assert covered_text("ok 😀\ufe0f\u200d😀 中 ✓", covered) == [
        ("ok ", True),
        ("😀\ufe0f\u200d😀", False),
        (" ", True),
        ("中", False),
        (" ✓", True),
    ]
    assert covered_text("", covered) == []


def test_document_text_is_what_prints() -> None:
    document = html_page(
        '<p title="&#x1F600;">A &#x1F600; &amp; &hearts;</p><script>x = "中"</script>',
        title="中文",
    )
    assert document_text(document) == "A 😀 & ♥"
    assert missing_in_documents([document, html_page("<p>文 😀</p>")], TEMPLATES) == ["😀", "文"]


def test_describe_names_the_character() -> None:
    assert describe("😀") == "U+1F600 (GRINNING FACE)"
    assert describe("中") == "U+4E2D (CJK UNIFIED IDEOGRAPH-4E2D)"
    assert describe("\ue000") == "U+E000 (private use)"


def test_locate_characters_finds_literals_references_and_yaml_escapes(tmp_path: Path) -> None:
    markdown = tmp_path / "release.md"
    markdown.write_text("Intro\nWe are 😀 happy 😀\nAlso &#x1F600; and &#128512; and 中\n")
    yaml = tmp_path / "filing.yaml"
    yaml.write_text('a: "\\U0001F600"\nb: "\\u4e2d"\n# 😀\n')
    other = tmp_path / "other.md"
    other.write_text('Not a YAML escape: "\\u4e2d"\n')
    assert locate_characters([markdown, yaml, other, markdown, tmp_path / "none"], "😀中") == [
        (markdown, 2, 8, "😀"),
        (markdown, 2, 16, "😀"),
        (markdown, 3, 6, "😀"),
        (markdown, 3, 20, "😀"),
        (markdown, 3, 34, "中"),
        (yaml, 1, 5, "😀"),
        (yaml, 2, 5, "中"),
        (yaml, 3, 3, "😀"),
    ]
    assert locate_characters([markdown], "") == []


def test_check_glyphs_reports_each_line_once_and_unlocated_characters_at_the_fallback(
    tmp_path: Path,
) -> None:
    source = tmp_path / "release.md"
    source.write_text("😀 and 😀\n\n中\n")
    fallback = SourceLocation(tmp_path / "filing.yaml")
    findings = check_glyphs(
        [html_page("<p>😀 and 😀</p><p>中</p><p>文</p>")], TEMPLATES, [source], fallback
    )
    assert [(f.location, f.arguments["character"]) for f in findings] == [
        (SourceLocation(source, 1, 1), "U+1F600 (GRINNING FACE)"),
        (SourceLocation(source, 3, 1), "U+4E2D (CJK UNIFIED IDEOGRAPH-4E2D)"),
        (fallback, "U+6587 (CJK UNIFIED IDEOGRAPH-6587)"),
    ]
    assert check_glyphs([html_page("<p>✓ fine</p>")], TEMPLATES, [source], fallback) == []


def test_templates_are_searched_only_for_what_the_content_does_not_write(tmp_path: Path) -> None:
    content = tmp_path / "release.md"
    content.write_text("x 😀\n")
    template = tmp_path / "release.htm.j2"
    template.write_text("{{ body }}\n<p>😀 中</p>\n")
    fallback = SourceLocation(tmp_path / "filing.yaml")
    findings = check_glyphs(
        [html_page("<p>x 😀</p><p>😀 中</p>")], TEMPLATES, [content], fallback, then=[template]
    )
    assert [f.location for f in findings] == [
        SourceLocation(content, 1, 3),
        SourceLocation(template, 2, 6),
    ]


def test_an_emoji_in_a_press_release_warns_at_its_line(make_project: Callable[..., Path]) -> None:
    from tests.conftest import PRESS_RELEASE_MD

    release = PRESS_RELEASE_MD.replace(
        "Example Corp. today announced something.",
        "Example Corp. today announced something.\n\nWe are thrilled 😀 and so is 中村.",
    )
    root = make_project({"content/example/press-release.md": release})
    folder = root / "content" / "example"
    bundle = load_filing(folder, content=root / "content", root=root)
    rendered = Renderer(root / "templates").render_filing(bundle)
    findings = check_filing_glyphs(
        bundle, [document.html for document in rendered.documents], root / "templates"
    )
    problems = to_problems(findings)
    assert [problem.display(root) for problem in problems] == [
        "content/example/press-release.md:9:17: warning: glyph-missing: U+1F600 (GRINNING FACE) "
        "has no glyph in the bundled fonts: the PDF shows a box; EDGAR's HTML shows whatever "
        "the reader's browser has",
        "content/example/press-release.md:9:29: warning: glyph-missing: U+4E2D (CJK UNIFIED "
        "IDEOGRAPH-4E2D) has no glyph in the bundled fonts: the PDF shows a box; EDGAR's HTML "
        "shows whatever the reader's browser has",
        "content/example/press-release.md:9:30: warning: glyph-missing: U+6751 (CJK UNIFIED "
        "IDEOGRAPH-6751) has no glyph in the bundled fonts: the PDF shows a box; EDGAR's HTML "
        "shows whatever the reader's browser has",
    ]
    assert all(problem.severity is Severity.WARNING for problem in problems)
    # A project may turn it off or make it an error.
    assert to_problems(findings, {RULE: None}) == []
    assert {p.severity for p in to_problems(findings, {RULE: Severity.ERROR})} == {Severity.ERROR}


def test_yaml_values_are_located_too(make_project: Callable[..., Path]) -> None:
    from tests.conftest import FILING_YAML

    root = make_project(
        {
            "content/example/filing.yaml": FILING_YAML.replace(
                "Something happened.", '"Done \\u2714 \\U0001F680"'
            )
        }
    )
    folder = root / "content" / "example"
    bundle = load_filing(folder, content=root / "content", root=root)
    rendered = Renderer(root / "templates").render_filing(bundle)
    findings = check_filing_glyphs(bundle, [d.html for d in rendered.documents], root / "templates")
    assert [(f.location.display(root), f.arguments["character"]) for f in findings] == [
        ("content/example/filing.yaml:6:24", "U+1F680 (ROCKET)")
    ]


def test_the_build_warns_of_a_character_no_bundled_font_has(
    make_project: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    assert RULES[RULE] == GLYPH_MISSING  # a rule of the table, like every other
    from tests.conftest import PRESS_RELEASE_MD

    release = PRESS_RELEASE_MD + "\nWe are thrilled 😀.\n"
    root = make_project({"content/example/press-release.md": release})
    code, out, err = run_cli("--project", str(root), "check")
    assert "content/example/press-release.md:9:17: warning: glyph-missing: U+1F600" in out + err
    assert code == 0
    code, out, err = run_cli("--project", str(root), "build", "--strict")
    assert "press-release.md:9:17: warning: glyph-missing" in out + err
    assert code == 1


def test_the_examples_print_every_character_they_have() -> None:
    documents = []
    for folder in ("immunogen/2005-09-07-hun901", "lumen-ridge/2025-11-06-q3-results"):
        root = REPO / "content"
        bundle = load_filing(root / folder, content=root, root=REPO)
        documents += [d.html for d in Renderer(TEMPLATES).render_filing(bundle).documents]
    assert missing_in_documents(documents, TEMPLATES) == []


def test_only_printed_text_counts_whether_parsed_or_not() -> None:
    # A document none of whose characters is missing is not parsed; one that holds a missing
    # character anywhere is, and only its printed text counts.
    plain = "<html><body><p>Caf&eacute; &#8220;quoted&#8221; &amp; &#x2014;</p></body></html>"
    assert missing_in_documents([plain], TEMPLATES) == []
    hidden = (
        '<html><head><title>&#128512;</title></head><body><p title="&#128512;">Text</p>'
        "</body></html>"
    )
    assert missing_in_documents([hidden], TEMPLATES) == []
    shown = "<html><body><p>Smile &#128512; and &#x1F600;</p></body></html>"
    assert missing_in_documents([plain, hidden, shown], TEMPLATES) == ["\U0001f600"]
