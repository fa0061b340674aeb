"""form8k compare: blacklines between git revisions, folders, and an 8-K/A and its original."""

from __future__ import annotations

import io
import json
import os
import subprocess
import textwrap
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from form8k.cli import cli
from form8k.review.blackline import Marks, render_entries
from form8k.review.blocks import read_document
from form8k.review.cli import register
from form8k.review.diff import compare_blocks, diff_units

register(cli)  # what form8k/cli.py's one line does

RELEASE_V1 = """\
---
headline: Example Corp. Announces Preliminary Results
dateline:
  city: SPRINGFIELD, Ill.
  date: 2024-03-01
---
Example Corp. today announced preliminary results for the quarter.

The board approved a dividend of $0.10 per share, payable on April 15, 2024.

Management will discuss the results on a conference call with investors and analysts at
5:00 p.m. Eastern Time.

| Item | 2024 | 2023 |
|:--|--:|--:|
| Revenue | $1,200 | $1,000 |
| Net income | 200 | 150 |
"""

#: The second draft: a word replaced, a paragraph moved to the end, a table cell changed.
RELEASE_V2 = """\
---
headline: Example Corp. Announces Preliminary Results
dateline:
  city: SPRINGFIELD, Ill.
  date: 2024-03-01
---
Example Corp. today announced final results for the quarter.

The board approved a dividend of $0.10 per share, payable on April 15, 2024.

| Item | 2024 | 2023 |
|:--|--:|--:|
| Revenue | $1,200 | $1,000 |
| Net income | 210 | 150 |

Management will discuss the results on a conference call with investors and analysts at
5:00 p.m. Eastern Time.
"""

MOVED = "conference call with investors and analysts"
TEMPLATE_NOTE = "Prepared for the board by the template of revision two"
RELEASE = "content/example/press-release.md"
COMPANY = "content/company.yaml"
COVER = "templates/_cover.htm.j2"

#: Fill colours of the blackline's marks in the PDF (blackline.css).
RED = (0.75, 0.0, 0.0)
BLUE = (0.0, 0.2, 0.8)
GREEN = (0.0, 0.44, 0.24)


def git(root: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return result.stdout


@pytest.fixture
def repository(make_project: Callable[..., Path]) -> Path:
    """A filings repository with two commits: the first draft, then the second (a word, a
    moved paragraph, a table cell, the company's city on the cover, a template's text)."""
    root = make_project({RELEASE: RELEASE_V1})
    (root / ".gitignore").write_text("/output/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "First draft")
    (root / RELEASE).write_text(RELEASE_V2, encoding="utf-8")
    company = (root / COMPANY).read_text(encoding="utf-8")
    (root / COMPANY).write_text(company.replace("city: Springfield", "city: Shelbyville"))
    cover = (root / COVER).read_text(encoding="utf-8")
    rule = '<hr style="{{ css.cover.rule }}" />\n{{ line("cover.report"'
    assert rule in cover
    (root / COVER).write_text(
        cover.replace(rule, f'<p style="margin:0">{TEMPLATE_NOTE}</p>\n{rule}'), encoding="utf-8"
    )
    git(root, "commit", "-q", "-a", "-m", "Second draft: final results")
    return root


class _Colours:
    """Collects a page's text by the fill colour it is drawn in (pypdf's visitors)."""

    def __init__(self, found: dict[tuple[float, ...], str]) -> None:
        self.found = found
        self.fill: tuple[float, ...] = (0.0, 0.0, 0.0)

    def before(self, operator: bytes, args: list[object], *_: object) -> None:
        if operator == b"rg" and len(args) == 3:
            self.fill = tuple(round(float(a), 2) for a in args)  # type: ignore[arg-type]
        elif operator == b"g" and args:
            self.fill = (round(float(args[0]), 2),) * 3  # type: ignore[arg-type]

    def text(self, value: str, *_: object) -> None:
        self.found[self.fill] += value + " "


def colours(pdf: bytes) -> dict[tuple[float, ...], str]:
    """The PDF's text by the colour it is drawn in."""
    found: dict[tuple[float, ...], str] = defaultdict(str)
    for page in PdfReader(io.BytesIO(pdf)).pages:
        visitor = _Colours(found)
        page.extract_text(visitor_operand_before=visitor.before, visitor_text=visitor.text)
    return found


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_compare_two_git_revisions(
    repository: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = run_cli("--project", str(repository), "compare", "HEAD~1", "HEAD", "-j", "1")
    assert code == 0, out + err
    assert "compared HEAD (" in out and "with HEAD~1 (" in out
    folder = repository / "output" / ".blackline" / "example"
    assert "blackline example -> " in out and "exmp-20240301-blackline.pdf" in out
    assert "1 cover fact changed" in out and "1 paragraph moved" in out
    html = (folder / "exmp-20240301-blackline.htm").read_text(encoding="utf-8")
    summary, documents = html.split('class="bl-document"', 1)

    # Words deleted and inserted, in place.
    assert '<del class="bl-del">preliminary</del> <ins class="bl-ins">final</ins>' in documents
    # The changed cover fact: in the summary's table and marked where the cover shows it.
    assert "Entity Address, City or Town" in summary
    assert '<del class="bl-del">Springfield</del>' in summary
    assert '<ins class="bl-ins">Shelbyville</ins>' in summary
    assert '<del class="bl-del">Springfield</del> <ins class="bl-ins">Shelbyville</ins>' in (
        documents
    )
    assert 'class="bl-fact-mark" href="#bl-fact-1"' in documents
    # The changed table cell, shaded.
    assert 'class="bl-cell"><del class="bl-del">200</del> <ins class="bl-ins">210</ins>' in (
        documents
    )
    # The moved paragraph: once, as moved, with a note where it was.
    assert squeeze(documents).count(MOVED) == 1
    moved = squeeze(documents).split(MOVED)[0].rsplit("<p", 1)[1]
    assert "bl-moved" in moved and "[Moved from above]" in moved
    assert "[Moved to change" in documents
    # A template's change shows, as the rendered text it made.
    assert f'<ins class="bl-ins">{TEMPLATE_NOTE}</ins>' in documents
    # The summary counts what changed and says where.
    assert "Cover Page" in summary and "Exhibit 99.1" in summary

    pdf = (folder / "exmp-20240301-blackline.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert "Changes by document" in reader.pages[0].extract_text()  # the summary comes first
    drawn = colours(pdf)
    red, blue, green = drawn[RED], drawn[BLUE], drawn[GREEN]
    for word in ("preliminary", "Springfield", "200"):
        assert word in red, (word, red)
    for word in ("final", "Shelbyville", "210", "revision two"):
        assert word in blue, (word, blue)
    assert MOVED in squeeze(green)
    assert "preliminary" not in blue and "final" not in red


def test_blackline_is_never_part_of_the_submission(
    repository: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = run_cli("--project", str(repository), "compare", "HEAD~1", "-j", "1")
    assert code == 0, out + err
    blackline = repository / "output" / ".blackline" / "example"
    made = sorted(path.name for path in blackline.iterdir())
    assert made == ["exmp-20240301-blackline.htm", "exmp-20240301-blackline.pdf"]
    code, out, err = run_cli("--project", str(repository), "build", "--jobs", "1")
    assert code == 0, out + err
    output = repository / "output" / "example"
    assert not any("blackline" in path.name for path in output.iterdir())
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert not any("blackline" in doc["file"] for doc in manifest["documents"])
    # The build left the blacklines alone, and comparing wrote nothing into the repository.
    assert sorted(path.name for path in blackline.iterdir()) == made
    assert git(repository, "status", "--porcelain") == ""


def test_working_tree_against_a_revision(
    repository: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    release = repository / RELEASE
    release.write_text(
        release.read_text(encoding="utf-8").replace("final results", "audited results")
    )
    code, out, err = run_cli(
        "--project", str(repository), "compare", "HEAD", str(repository / "content/example")
    )
    assert code == 0, out + err
    assert "with uncommitted changes" in out
    html = (repository / "output/.blackline/example/exmp-20240301-blackline.htm").read_text()
    assert '<del class="bl-del">final</del> <ins class="bl-ins">audited</ins>' in html
    assert "1 word inserted, 1 word deleted" in out


def test_unchanged_filing_gets_no_blackline_unless_asked(
    repository: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, _ = run_cli("--project", str(repository), "compare", "HEAD", "--format", "html")
    assert code == 0
    assert "same      example: no changes" in out
    assert not (repository / "output" / ".blackline").exists()
    code, out, _ = run_cli(
        "--project", str(repository), "compare", "HEAD", "--all", "--format", "html"
    )
    assert code == 0
    html = (repository / "output/.blackline/example/exmp-20240301-blackline.htm").read_text()
    assert "No changes." in html


def test_two_project_folders(
    make_project: Callable[..., Path],
    tmp_path: Path,
    run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    root = make_project({RELEASE: RELEASE_V1})
    earlier = tmp_path / "earlier"
    subprocess.run(["cp", "-r", str(root), str(earlier)], check=True)
    (root / RELEASE).write_text(RELEASE_V2, encoding="utf-8")
    out = tmp_path / "blacklines"
    code, text, err = run_cli(
        "--project", str(root), "compare", str(earlier), str(root), "--out", str(out)
    )
    assert code == 0, text + err
    html = (out / "example/exmp-20240301-blackline.htm").read_text(encoding="utf-8")
    assert '<del class="bl-del">preliminary</del> <ins class="bl-ins">final</ins>' in html
    assert (out / "example/exmp-20240301-blackline.pdf").is_file()


def test_amendment_against_the_filing_it_amends(
    make_project: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    root = make_project()
    code, out, err = run_cli(
        "--project", str(root), "new", "amendment", str(root / "content/example")
    )
    assert code == 0, out + err
    amendment = root / "content" / "example-amendment-1"
    filing = (amendment / "filing.yaml").read_text(encoding="utf-8")
    filing = filing.replace("Something happened.", "Something else happened.")
    filing = __import__("re").sub(
        r"explanatory_note: .*?(?=\n\S)",
        "explanatory_note: This amendment corrects Item 8.01.",
        filing,
        flags=__import__("re").S,
    )
    filing = __import__("re").sub(r"filing_date: .*", "filing_date: 2024-03-05", filing)
    (amendment / "filing.yaml").write_text(filing, encoding="utf-8")
    code, out, err = run_cli(
        "--project", str(root), "compare", "--amendment", str(amendment), "--format", "html"
    )
    assert code == 0, out + err
    assert "Amendment No. 1" in out
    html = (root / "output/.blackline/example-amendment-1/exmp-20240301-blackline.htm").read_text()
    summary, documents = html.split('class="bl-document"', 1)
    assert "Form 8-K/A" in summary
    assert '<ins class="bl-ins">This amendment corrects Item 8.01.</ins>' in documents
    assert '<ins class="bl-ins">else</ins>' in documents
    # The cover's facts: the form type and the amendment flag changed.
    assert "Document Type" in summary and "Amendment Flag" in summary


def test_usage_errors(repository: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = run_cli("--project", str(repository), "compare")
    assert code == 2 and "earlier version" in err
    code, _, err = run_cli("--project", str(repository), "compare", "no-such-revision")
    assert code == 2 and "not a revision" in err
    code, _, err = run_cli(
        "--project", str(repository), "compare", "HEAD~1", "HEAD", "content/nothing"
    )
    assert code == 2 and "no filing" in err


def test_a_version_that_does_not_build_fails_with_its_problems(
    repository: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    filing = repository / "content/example/filing.yaml"
    filing.write_text(filing.read_text().replace('number: "8.01"', 'number: "8.99"'))
    code, out, err = run_cli("--project", str(repository), "compare", "HEAD", "--format", "html")
    assert code == 1
    assert "failed    example: no blackline" in out
    assert "does not build in the later version" in err and "8.99" in err


# --- the comparison itself, on documents written here -----------------------------------------


def page(body: str) -> bytes:
    return (
        f"<html><head><title>T</title></head><body>{textwrap.dedent(body)}</body></html>".encode()
    )


def blackline(old: str, new: str) -> str:
    entries = compare_blocks(
        read_document("a.htm", page(old), side="old").blocks,
        read_document("a.htm", page(new), side="new").blocks,
    )
    return str(
        render_entries(
            entries, prefix="d", marks=Marks(), links={}, image_url=lambda side, name: name
        )
    )


def test_words_keep_their_formatting() -> None:
    html = blackline(
        '<p style="text-align:center">The <b>quick</b> brown fox.</p>',
        '<p style="text-align:center">The <b>slow</b> brown fox jumps.</p>',
    )
    assert html.startswith('<p style="text-align:center" ')
    assert 'class="bl-bar bl-changed"' in html and 'id="d-1"' in html
    assert '<b><del class="bl-del">quick</del> <ins class="bl-ins">slow</ins></b>' in html
    assert 'fox <ins class="bl-ins">jumps</ins>.' in html


def test_short_common_words_between_changes_are_folded_in() -> None:
    html = blackline("<p>alpha of the beta gamma</p>", "<p>delta of the epsilon gamma</p>")
    assert '<del class="bl-del">alpha of the beta</del>' in html
    assert '<ins class="bl-ins">delta of the epsilon</ins> gamma' in html


def test_moved_paragraph_shown_once() -> None:
    one = "<p>First paragraph stays where it is.</p>"
    two = "<p>Second paragraph is the one that moves down the page.</p>"
    three = "<p>Third paragraph also stays where it is.</p>"
    four = "<p>Fourth paragraph, like the first, stays.</p>"
    html = blackline(one + two + three + four, one + three + four + two)
    assert html.count("Second paragraph is the one that moves") == 1
    assert "bl-moved-away" in html and "[Moved from above]" in html
    assert "bl-del" not in html and "bl-ins" not in html


def test_rows_deleted_and_inserted_stay_in_their_table() -> None:
    table = '<table style="width:100%">{}</table>'
    row = "<tr><td>{}</td><td>{}</td></tr>"
    old = table.format(row.format("Revenue", "1") + row.format("Costs", "2"))
    new = table.format(row.format("Revenue", "1") + row.format("Taxes", "3"))
    html = blackline(old, new)
    assert html.count("<table") == 1
    assert 'class="bl-bar bl-deleted"' in html and 'class="bl-bar bl-inserted"' in html


def test_a_new_look_is_a_change_too() -> None:
    html = blackline('<p style="font-weight:bold">Same words</p>', "<p>Same words</p>")
    assert "bl-restyled" in html


def test_diff_of_nothing() -> None:
    assert diff_units(None, None) == []
