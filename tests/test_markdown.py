"""Markdown -> EDGAR-safe HTML: no raw HTML, styles inline, links only where EDGAR allows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
