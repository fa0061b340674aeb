"""Markdown -> EDGAR-safe HTML: no raw HTML, styles inline, links only where EDGAR allows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml

from form8k.errors import Severity, SourceLocation
from form8k.markdown import MarkdownRenderer
from tests.conftest import COMPANY_YAML, FILING_YAML, REPO

MakeProject = Callable[..., Path]
RunCli = Callable[..., tuple[int, str, str]]

STYLES = yaml.safe_load((REPO / "templates" / "styles.yaml").read_text(encoding="utf-8"))[
    "markdown"
]
P = STYLES["p"]
ROOT = Path("/project")
BASE = SourceLocation(ROOT / "content/example/press-release.md", 7)
EDGAR = "https://www.sec.gov/Archives/edgar/data/1234567/000123456724000001/exmp-10k.htm"
DROPPED = (
    "written as plain text: EDGAR accepts links only to documents of the same submission "
    "or to EDGAR's archives"
)


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(STYLES)


def submission_links(href: str) -> str | None:
    """The policy render.py applies: this submission's documents and EDGAR's archives."""
    if href in {"exmp-20240301.htm", "exmp-ex99-1.htm"} or href.startswith(
        "https://www.sec.gov/Archives/edgar/data/"
    ):
        return href
    return None


def render(renderer: MarkdownRenderer, text: str, **options: object) -> tuple[str, list[str]]:
    html, problems = renderer.render(text, base=BASE, links=submission_links, **options)  # type: ignore[arg-type]
    return str(html), [problem.display(ROOT) for problem in problems]


def build_html(run_cli: RunCli, root: Path) -> tuple[int, str, str]:
    return run_cli("--project", str(root), "build", "--format", "html")


# --- raw HTML ---------------------------------------------------------------------------------


def test_raw_html_block_is_escaped(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "<script>alert(1)</script>\n")
    assert html == f'<p style="{P}">&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    assert problems == []


def test_inline_html_is_escaped(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "Hi <img src=x onerror=alert(1)> there\n")
    assert html == f'<p style="{P}">Hi &lt;img src=x onerror=alert(1)&gt; there</p>'


def test_html_in_code_is_escaped(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "Use `<br>` here\n")
    assert html == f'<p style="{P}">Use <code>&lt;br&gt;</code> here</p>'


def test_html_in_a_yaml_headline_is_escaped_in_the_press_release(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    release = """\
        ---
        headline: "<script>alert('x')</script> & <b>Co</b>"
        dateline:
          city: SPRINGFIELD, Ill.
          date: 2024-03-01
        ---
        Example Corp. today announced <i>something</i>.
        """
    root = make_project({"content/example/press-release.md": release})
    code, _, err = build_html(run_cli, root)
    assert (code, err) == (0, "")
    data = (root / "output/example/exmp-ex99-1.htm").read_bytes()
    assert b"<script" not in data and b"<b>Co</b>" not in data
    tree = lxml.html.fromstring(data)
    assert not tree.xpath("//script")
    (headline,) = tree.xpath("//p[@id='headline']")
    assert headline.text_content() == "<script>alert('x')</script> & <b>Co</b>"
    assert not len(headline)  # text only, no child elements
    assert tree.findtext(".//title") == "Exhibit 99.1 - <script>alert('x')</script> & <b>Co</b>"
    (first,) = tree.xpath("//p[@id='headline']/following-sibling::p[1]")
    assert first.text_content() == (
        "SPRINGFIELD, Ill., March 1, 2024 \u2013 Example Corp. today announced <i>something</i>."
    )
    assert not first.xpath(".//i")


# --- tables -----------------------------------------------------------------------------------


def test_table_has_no_thead_or_tbody_and_styled_cells(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "| Metric | Q3 |\n|:--|--:|\n| Revenue | 10 |\n")
    assert "thead" not in html and "tbody" not in html
    table = lxml.html.fragment_fromstring(html)
    assert table.tag == "table"
    assert table.get("style") == STYLES["table"]
    assert [child.tag for child in table] == ["tr", "tr"]
    assert [cell.get("style") for cell in table.xpath("tr[1]/th")] == [
        f"{STYLES['th']};text-align:left",
        f"{STYLES['th']};text-align:right",
    ]
    assert [cell.get("style") for cell in table.xpath("tr[2]/td")] == [
        f"{STYLES['td']};text-align:left",
        f"{STYLES['td']};text-align:right",
    ]
    assert [cell.text for cell in table.iter("th", "td")] == ["Metric", "Q3", "Revenue", "10"]


def test_table_without_alignment_gets_only_the_style_table(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "| A | B |\n|---|---|\n| 1 | 2 |\n")
    table = lxml.html.fragment_fromstring(html)
    assert {cell.get("style") for cell in table.iter("td")} == {STYLES["td"]}


def test_renderer_uses_the_style_table_it_is_given() -> None:
    html, _ = MarkdownRenderer({"p": "color:red"}).render("Text\n\n- item\n", base=BASE)
    assert str(html) == '<p style="color:red">Text</p>\n<ul>\n<li>item</li>\n</ul>'


# --- typography -------------------------------------------------------------------------------


def test_smart_quotes_and_dashes_are_applied(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "\"Hello,\" she said -- it's 'fine' --- really...\n")
    assert html == (
        f'<p style="{P}">\u201cHello,\u201d she said \u2013 it\u2019s \u2018fine\u2019 '
        "\u2014 really\u2026</p>"
    )


def test_legal_citations_and_marks_are_left_alone(renderer: MarkdownRenderer) -> None:
    text = "Rule 13e-4(c) and Rule 14d-2(b); Acme(r) and Widget(tm) (c) 2024; 0-17999\n"
    html, _ = render(renderer, text)
    assert html == f'<p style="{P}">{text.strip()}</p>'


def test_strikethrough_is_not_rendered(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "Revenue was ~~$10~~ $12 million.\n")
    assert html == f'<p style="{P}">Revenue was ~~$10~~ $12 million.</p>'
    assert "<s>" not in html and "<del>" not in html


# --- links ------------------------------------------------------------------------------------


def test_link_to_another_site_becomes_text_with_a_warning_at_its_line(
    renderer: MarkdownRenderer,
) -> None:
    html, problems = render(renderer, "First.\n\nVisit [our site](https://example.com/).\n")
    assert html == f'<p style="{P}">First.</p>\n<p style="{P}">Visit our site.</p>'
    assert problems == [
        f"content/example/press-release.md:9: warning: link to 'https://example.com/' {DROPPED}"
    ]


def test_link_warning_is_a_warning_not_an_error(renderer: MarkdownRenderer) -> None:
    _, problems = renderer.render("[x](http://example.com)\n", base=BASE)
    assert [(p.severity, p.rule) for p in problems] == [(Severity.WARNING, None)]


def test_link_warning_points_at_the_line_of_the_link_inside_a_paragraph(
    renderer: MarkdownRenderer,
) -> None:
    _, problems = render(renderer, "A paragraph\nthat links to\n[a site](https://example.com/).\n")
    assert problems == [
        f"content/example/press-release.md:9: warning: link to 'https://example.com/' {DROPPED}"
    ]


def test_links_to_submission_documents_and_edgar_archives_are_kept(
    renderer: MarkdownRenderer,
) -> None:
    html, problems = render(
        renderer, f"See [Exhibit 99.1](exmp-ex99-1.htm) and [the 10-K]({EDGAR}).\n"
    )
    assert html == (
        f'<p style="{P}">See <a href="exmp-ex99-1.htm">Exhibit 99.1</a> and '
        f'<a href="{EDGAR}">the 10-K</a>.</p>'
    )
    assert problems == []


def test_link_text_keeps_its_emphasis_when_the_link_is_dropped(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "[**bold** site](https://example.com/)\n")
    assert html == f'<p style="{P}"><strong>bold</strong> site</p>'


def test_without_a_link_policy_every_link_is_dropped() -> None:
    html, problems = MarkdownRenderer({}).render("[x](exmp-ex99-1.htm)\n", base=BASE)
    assert str(html) == "<p>x</p>"
    assert [p.message for p in problems] == [f"link to 'exmp-ex99-1.htm' {DROPPED}"]


def test_images_edgar_cannot_take_are_left_out_with_a_warning(
    renderer: MarkdownRenderer,
) -> None:
    html, problems = render(renderer, "Intro.\n\n![chart](chart.png)\n")
    assert html == f'<p style="{P}">Intro.</p>\n<p style="{P}"></p>'
    assert problems == [
        "content/example/press-release.md:9: warning: image 'chart.png' left out: "
        "it is not a usable .jpg or .gif file"
    ]


def test_images_are_renamed_by_the_image_policy(renderer: MarkdownRenderer) -> None:
    html, problems = renderer.render(
        "![Chart](chart.gif)\n", base=BASE, images=lambda src: "exmp-chart.gif"
    )
    assert str(html) == (
        f'<p style="{P}"><img src="exmp-chart.gif" alt="Chart" style="{STYLES["img"]}" /></p>'
    )
    assert problems == []


def test_cli_warns_about_a_dropped_link_at_its_press_release_line(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    release = f"""\
        ---
        headline: Example Corp. Announces Something
        dateline:
          city: SPRINGFIELD, Ill.
          date: 2024-03-01
        ---
        Example Corp. today announced something.

        Visit [our site](https://example.com/) or read [the 10-K]({EDGAR}).
        """
    root = make_project({"content/example/press-release.md": release})
    code, out, err = build_html(run_cli, root)
    assert code == 0
    assert err.splitlines() == [
        f"content/example/press-release.md:9: warning: link to 'https://example.com/' {DROPPED}"
    ]
    assert out.splitlines()[-1] == "1 built, 0 failed; 0 errors, 1 warning"
    tree = lxml.html.fromstring((root / "output/example/exmp-ex99-1.htm").read_bytes())
    assert tree.xpath("//a/@href") == [EDGAR]


def test_cli_strict_fails_on_a_dropped_link(make_project: MakeProject, run_cli: RunCli) -> None:
    text = FILING_YAML.replace("Something happened.", "See [this](https://example.com/).")
    root = make_project({"content/example/filing.yaml": text})
    code, out, _ = run_cli("--project", str(root), "build", "--format", "html", "--strict")
    assert code == 1
    assert out.splitlines()[-1] == (
        "0 built, 1 failed; 0 errors, 1 warning (--strict: warnings are errors)"
    )


def test_cli_warns_about_a_dropped_link_in_an_item_at_its_filing_yaml_line(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    text = FILING_YAML.replace("Something happened.", "See [this](https://example.com/).")
    root = make_project({"content/example/filing.yaml": text})
    _, _, err = build_html(run_cli, root)
    assert err.splitlines() == [
        f"content/example/filing.yaml:6: warning: link to 'https://example.com/' {DROPPED}"
    ]


def test_cli_warns_about_a_dropped_link_in_a_block_scalar_at_its_line(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    text = FILING_YAML.replace(
        "    body: Something happened.\n",
        "    body: |\n      Something happened.\n\n      See [this](https://example.com/).\n",
    )
    root = make_project({"content/example/filing.yaml": text})
    _, _, err = build_html(run_cli, root)
    assert err.splitlines() == [
        f"content/example/filing.yaml:9: warning: link to 'https://example.com/' {DROPPED}"
    ]


def test_cli_warns_about_a_dropped_link_in_company_boilerplate_at_company_yaml(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    company = COMPANY_YAML + "about: Visit [us](https://example.com/about).\n"
    root = make_project({"content/company.yaml": company})
    _, _, err = build_html(run_cli, root)
    assert err.splitlines() == [
        f"content/company.yaml:16: warning: link to 'https://example.com/about' {DROPPED}"
    ]


# --- the dateline lead ------------------------------------------------------------------------


def test_lead_opens_the_first_paragraph(renderer: MarkdownRenderer) -> None:
    html, _ = render(
        renderer, "Example Corp. announced.\n\nMore.\n", lead="SPRINGFIELD, Ill., March 1 \u2013 "
    )
    assert html == (
        f'<p style="{P}">SPRINGFIELD, Ill., March 1 \u2013 Example Corp. announced.</p>\n'
        f'<p style="{P}">More.</p>'
    )


def test_lead_goes_into_the_first_paragraph_after_a_heading(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "# Highlights\n\nRevenue grew.\n", lead="CITY \u2013 ")
    assert html == (
        f'<h1 style="{STYLES["h1"]}">Highlights</h1>\n<p style="{P}">CITY \u2013 Revenue grew.</p>'
    )


def test_lead_is_escaped_text(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "Body.\n", lead="A & B <i>x</i> \u2013 ")
    assert html == f'<p style="{P}">A &amp; B &lt;i&gt;x&lt;/i&gt; \u2013 Body.</p>'


def test_lead_of_a_body_without_paragraphs_is_a_styled_paragraph(
    renderer: MarkdownRenderer,
) -> None:
    html, _ = render(renderer, "| A |\n|---|\n| 1 |\n", lead="CITY \u2013 ")
    assert html.startswith(f'<p style="{P}">CITY \u2013 </p>')


def test_inline_rendering_drops_the_paragraph(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "A *short* note.\n", inline=True)
    assert html == "A <em>short</em> note."


# --- EDGAR-safe output ------------------------------------------------------------------------

#: The elements EDGAR accepts in plain HTML (../shared/reference/edgar.md).
EDGAR_ELEMENTS = frozenset(
    "a address b big blockquote body br caption center cite code dd dfn dir div dl dt em font "
    "h1 h2 h3 h4 h5 h6 head hr html i img kbd li menu meta ol p pre samp small strike strong "
    "sub sup table td th title tr tt u ul var".split()
)


def edgar_fragment(html: str) -> lxml.etree._Element:
    """``html`` parsed as XML (it must be well-formed XHTML) and checked against EDGAR's rules."""
    root = lxml.etree.fromstring(f"<div>{html}</div>")
    for element in root.iter():
        assert element.tag in EDGAR_ELEMENTS, f"<{element.tag}>"
        assert "class" not in element.attrib, f"<{element.tag} class=...>"
    assert not root.xpath("//table//table"), "nested table"
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"
    assert "\u21a9" not in html
    return root


# --- footnotes --------------------------------------------------------------------------------

FN_REF = STYLES["footnote_ref"]
FOOTNOTE = STYLES["footnote"]
FN_RULE = STYLES["footnote_rule"]


def test_footnote_reference_and_note(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "Revenue grew.[^1]\n\n[^1]: Unaudited.\n", id_prefix="")
    assert html == (
        f'<p style="{P}">Revenue grew.<sup style="{FN_REF}">'
        '<a href="#fn-1" id="fnref-1">1</a></sup></p>\n'
        f'<hr style="{FN_RULE}" />\n'
        f'<p style="{FOOTNOTE}" id="fn-1"><sup style="{FN_REF}"><a href="#fnref-1">1</a></sup> '
        "Unaudited.</p>"
    )
    assert problems == []
    edgar_fragment(html)


def test_footnotes_are_numbered_in_order_of_first_reference(renderer: MarkdownRenderer) -> None:
    text = (
        "Cloud[^cloud] and license[^lic] revenue; cloud again[^cloud].\n\n"
        "[^lic]: License revenue.\n\n"
        "[^cloud]: Cloud services and license support.\n"
    )
    html, problems = render(renderer, text, id_prefix="q3-")
    assert problems == []
    root = edgar_fragment(html)
    first = root[0]
    assert [a.text for a in first.iter("a")] == ["1", "2", "1"]
    assert [a.get("href") for a in first.iter("a")] == ["#q3-fn-1", "#q3-fn-2", "#q3-fn-1"]
    assert [a.get("id") for a in first.iter("a")] == ["q3-fnref-1", "q3-fnref-2", "q3-fnref-1-2"]
    assert [child.tag for child in root] == ["p", "hr", "p", "p"]
    notes = root[2:]
    assert [note.get("id") for note in notes] == ["q3-fn-1", "q3-fn-2"]
    assert [note.xpath("string(.)") for note in notes] == [
        "1 Cloud services and license support.",
        "2 License revenue.",
    ]
    assert [note.xpath("sup/a/@href") for note in notes] == [["#q3-fnref-1"], ["#q3-fnref-2"]]


def test_a_note_of_several_paragraphs_opens_with_its_number_once(
    renderer: MarkdownRenderer,
) -> None:
    text = "Text.[^1]\n\n[^1]: First paragraph.\n\n    Second paragraph.\n"
    html, _ = render(renderer, text, id_prefix="")
    root = edgar_fragment(html)
    notes = root.xpath("hr/following-sibling::p")
    assert [(p.get("id"), p.get("style"), p.xpath("string(.)")) for p in notes] == [
        ("fn-1", FOOTNOTE, "1 First paragraph."),
        (None, FOOTNOTE, "Second paragraph."),
    ]


def test_a_note_that_starts_with_a_list_gets_a_paragraph_for_its_number(
    renderer: MarkdownRenderer,
) -> None:
    html, _ = render(renderer, "Text.[^1]\n\n[^1]:\n    - one\n    - two\n", id_prefix="")
    root = edgar_fragment(html)
    assert [child.tag for child in root] == ["p", "hr", "p", "ul"]
    assert root[2].get("id") == "fn-1"
    assert root[2].xpath("string(.)").strip() == "1"


def test_footnote_ids_default_to_the_fragments_file_and_line(renderer: MarkdownRenderer) -> None:
    text = "A.[^1]\n\n[^1]: Note.\n"
    first, _ = renderer.render(text, base=SourceLocation(ROOT / "content/x/filing.yaml", 6, 11))
    second, _ = renderer.render(text, base=SourceLocation(ROOT / "content/x/filing.yaml", 9, 11))
    release, _ = renderer.render(text, base=SourceLocation(ROOT / "content/x/99-1.md", 7))
    ids = [lxml.etree.fromstring(f"<div>{html}</div>").xpath("//@id") for html in (first, second)]
    assert ids == [
        ["filing-6-11-fnref-1", "filing-6-11-fn-1"],
        ["filing-9-11-fnref-1", "filing-9-11-fn-1"],
    ]
    edgar_fragment(f"{first}{second}{release}")  # one document: no id twice
    assert 'id="md-99-1-7-fn-1"' in str(release)  # an XML id starts with a letter


def test_default_ids_of_a_fragment_without_a_line() -> None:
    html, _ = MarkdownRenderer({}).render(
        "A[^1]\n\n[^1]: B\n", base=SourceLocation(ROOT / "about.md")
    )
    assert 'id="about-fn-1"' in str(html)


def test_a_reference_to_a_missing_note_is_text_with_a_warning(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "Intro.\n\nGrew[^1] and\nfell[^2].\n\n[^1]: Note.\n")
    assert html.startswith(f'<p style="{P}">Intro.</p>\n<p style="{P}">Grew<sup')
    assert "fell[^2].</p>" in html
    assert problems == [
        "content/example/press-release.md:10: warning: footnote reference [^2] written as text: "
        "no note [^2]: ... is defined in the same Markdown text"
    ]


def test_a_footnote_without_any_notes_warns(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "Grew[^1].\n")
    assert html == f'<p style="{P}">Grew[^1].</p>'
    assert len(problems) == 1 and "[^1] written as text" in problems[0]


def test_a_note_nobody_references_is_left_out_with_a_warning(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "Text.\n\n[^old]: Forgotten.\n")
    assert html == f'<p style="{P}">Text.</p>'
    assert problems == [
        "content/example/press-release.md:9: warning: footnote [^old] is never referenced: "
        "it is left out"
    ]


def test_a_note_defined_twice_warns(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "A.[^1]\n\n[^1]: One.\n\n[^1]: Two.\n", id_prefix="")
    assert "Two." in html and "One." not in html
    assert problems == [
        "content/example/press-release.md:11: warning: footnote [^1] is defined twice: "
        "the last one is used"
    ]


def test_links_in_notes_follow_the_link_policy(renderer: MarkdownRenderer) -> None:
    text = (
        "A.[^1]\n\n[^1]: See [the 10-K](exmp-ex99-1.htm) and\n    [a site](https://example.com/).\n"
    )
    html, problems = render(renderer, text, id_prefix="")
    assert edgar_fragment(html).xpath("//p[@id='fn-1']/a/@href") == ["exmp-ex99-1.htm"]
    assert problems == [
        f"content/example/press-release.md:10: warning: link to 'https://example.com/' {DROPPED}"
    ]


def test_footnote_syntax_in_code_or_escaped_stays_literal(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "Write `[^1]` or \\[^1].\n")
    assert html == f'<p style="{P}">Write <code>[^1]</code> or [^1].</p>'
    assert problems == []


def test_the_lead_never_goes_into_a_note(renderer: MarkdownRenderer) -> None:
    text = "```table\n| A[^1] |\n|---|\n| 1 |\n```\n\n[^1]: Note.\n"
    html, _ = render(renderer, text, lead="CITY \u2013 ", id_prefix="")
    root = edgar_fragment(html)
    assert [child.tag for child in root] == ["p", "table", "hr", "p"]
    assert root[0].text == "CITY \u2013 "
    assert root[3].xpath("string(.)") == "1 Note."


def test_cli_footnotes_of_two_items_have_distinct_ids_in_the_8k(
    make_project: MakeProject, run_cli: RunCli
) -> None:
    text = FILING_YAML.replace(
        "    body: Something happened.\n",
        "    body: |\n      Something happened.[^1]\n\n      [^1]: First item's note.\n"
        '  - number: "1.01"\n'
        "    body: |\n      Also this.[^1]\n\n      [^1]: Second item's note.\n",
    )
    root = make_project({"content/example/filing.yaml": text})
    code, _, err = build_html(run_cli, root)
    assert (code, err) == (0, "")
    data = (root / "output/example/exmp-20240301.htm").read_bytes()
    tree = lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False))
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    refs = tree.xpath("//*[local-name()='sup']/*[local-name()='a']/@href")
    assert len(refs) == 4 and len(set(refs)) == 4
    for href in refs:
        assert len(tree.xpath(f"//*[@id='{href[1:]}']")) == 1


# --- superscript and subscript ----------------------------------------------------------------


def test_superscript_and_subscript(renderer: MarkdownRenderer) -> None:
    html, problems = render(renderer, "1^st^ quarter; CO~2~ emissions; 10^6^ tons.\n")
    sup, sub = STYLES["sup"], STYLES["sub"]
    assert html == (
        f'<p style="{P}">1<sup style="{sup}">st</sup> quarter; CO<sub style="{sub}">2</sub> '
        f'emissions; 10<sup style="{sup}">6</sup> tons.</p>'
    )
    assert problems == []
    edgar_fragment(html)


def test_a_caret_or_tilde_without_a_partner_stays_literal(renderer: MarkdownRenderer) -> None:
    text = "2^10 bytes; a ^ b; x^y z^; about ~5% to ~6%; x\\^2^; H\\~2~O.\n"
    html, _ = render(renderer, text)
    assert html == f'<p style="{P}">2^10 bytes; a ^ b; x^y z^; about ~5% to ~6%; x^2^; H~2~O.</p>'


def test_superscript_next_to_a_footnote_reference(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "E = mc^2^[^1]\n\n[^1]: Einstein.\n", id_prefix="")
    root = edgar_fragment(html)
    assert [(s.text, s.xpath("string(.)")) for s in root[0].iter("sup")] == [
        ("2", "2"),
        (None, "1"),
    ]


# --- code blocks ------------------------------------------------------------------------------


def test_code_blocks_get_the_pre_style_and_no_class(renderer: MarkdownRenderer) -> None:
    html, _ = render(renderer, "```python\nx = 1 < 2\n```\n\n    indented\n")
    pre = STYLES["pre"]
    assert html == (
        f'<pre style="{pre}"><code>x = 1 &lt; 2\n</code></pre>\n'
        f'<pre style="{pre}"><code>indented\n</code></pre>'
    )
