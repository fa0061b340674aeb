"""Draft proofs: DRAFT, the version and the time on every page of the PDFs, never in the filed
HTML; the manifest says so, and packaging refuses it."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from form8k.builder import FilingBuilder
from form8k.config import Config
from form8k.pipeline import Project, build
from form8k.review.draft import (
    PDF_KEY,
    DraftMark,
    DraftOutput,
    draft_of,
    mark_output,
    refuse_draft,
)
from form8k.write import write_filing

EASTERN = dt.timezone(dt.timedelta(hours=-5))
WHEN = dt.datetime(2024, 3, 1, 16, 5, tzinfo=EASTERN)
MARK = DraftMark("1a2b3c4d5e6f", True, WHEN)
LINE = "DRAFT \u2013 NOT FOR FILING \u2013 version 1a2b3c4d5e6f with uncommitted changes"
#: A release long enough for two pages, so that "every page" is more than one.
LONG_RELEASE = (
    "---\nheadline: Example Corp. Announces Something\n"
    'dateline: {city: "SPRINGFIELD, Ill.", date: 2024-03-01}\n---\n'
    + "\n\n".join(
        f"Paragraph {n}: Example Corp. today announced something that takes a few lines to "
        "say, so that the press release runs over more than one page of the proof."
        for n in range(40)
    )
    + "\n"
)


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    result = subprocess.run(
        ["git", *identity, "-C", str(root), *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def made(root: Path) -> tuple[dict[str, bytes], FilingBuilder]:
    """The default filing's output files, made in memory as a build makes them."""
    builder = FilingBuilder(Project(root), formats={"html", "pdf"}, config=Config())
    result, files = builder.make(root / "content/example", root / "output/example")
    assert files is not None, [p.display(root) for p in result.problems]
    return files, builder


@pytest.fixture
def drafted(make_project: Callable[..., Path]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    root = make_project({"content/example/press-release.md": LONG_RELEASE})
    files, builder = made(root)
    return files, mark_output(files, MARK, builder.printer)


def test_every_page_of_every_pdf_carries_the_mark(
    drafted: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    files, draft = drafted
    pdfs = [name for name in draft if name.endswith(".pdf")]
    assert len(pdfs) == 3  # the 8-K, the release, the combined PDF
    pages = 0
    for name in pdfs:
        reader = PdfReader(io.BytesIO(draft[name]))
        for number, page in enumerate(reader.pages, start=1):
            text = " ".join(page.extract_text().split())
            assert LINE in text, (name, number)
            assert "built 2024-03-01 16:05 (UTC-05:00)" in text, (name, number)
            pages += 1
        assert reader.metadata is not None and str(reader.metadata[PDF_KEY]).startswith(LINE)
        # The proof is still the document: its own text, its bookmarks.
        original = PdfReader(io.BytesIO(files[name]))
        assert len(reader.pages) == len(original.pages)
        assert len(reader.outline) == len(original.outline)
        assert original.pages[0].extract_text().split()[0] in reader.pages[0].extract_text()
    assert pages > len(pdfs)  # some PDF has several pages


def test_the_filed_html_never_carries_it(
    drafted: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    files, draft = drafted
    for name, data in draft.items():
        if name.endswith((".htm", ".xsd", ".xml", ".jpg", ".gif")):
            assert data == files[name], name
            assert b"DRAFT" not in data and b"1a2b3c4d5e6f" not in data, name
    manifest = json.loads(draft["manifest.json"])
    assert manifest["draft"] == {
        "revision": "1a2b3c4d5e6f",
        "uncommitted_changes": True,
        "built": "2024-03-01T16:05:00-05:00",
    }
    assert "draft" not in json.loads(files["manifest.json"])
    # Nothing else of the manifest changed: the same documents to file.
    del manifest["draft"]
    assert manifest == json.loads(files["manifest.json"])


def test_same_content_and_time_same_bytes(make_project: Callable[..., Path]) -> None:
    root = make_project()
    files, builder = made(root)
    first = mark_output(files, MARK, builder.printer)
    again, other_builder = made(root)
    second = mark_output(again, MARK, other_builder.printer)
    assert first == second
    later = DraftMark(MARK.revision, MARK.dirty, WHEN + dt.timedelta(minutes=1))
    third = mark_output(files, later, builder.printer)
    pdf = "exmp-20240301.pdf"
    assert third[pdf] != first[pdf] and third["exmp-20240301.htm"] == first["exmp-20240301.htm"]


def test_package_refuses_draft_output(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    report = build(Project(root), out=root / "output", jobs=1)
    assert not report.failed
    final = root / "output/example"
    assert draft_of(final) is None
    refuse_draft(final)  # a build to file: nothing to refuse
    files, builder = made(root)
    folder = tmp_path / "draft-output"
    write_filing(folder, mark_output(files, MARK, builder.printer))
    assert draft_of(folder) == {
        "revision": "1a2b3c4d5e6f",
        "uncommitted_changes": True,
        "built": "2024-03-01T16:05:00-05:00",
    }
    with pytest.raises(DraftOutput, match=r"draft build .* never packaged or submitted"):
        refuse_draft(folder)


def test_the_version_is_the_git_revision(make_project: Callable[..., Path]) -> None:
    root = make_project()
    outside = DraftMark.current(root, now=WHEN)
    if outside.revision is None:
        assert outside.version == "not under version control"
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft")
    head = git(root, "rev-parse", "--short=12", "HEAD").strip()
    clean = DraftMark.current(root, now=WHEN)
    assert (clean.revision, clean.dirty, clean.time) == (head, False, WHEN)
    assert clean.line.startswith(f"DRAFT \u2013 NOT FOR FILING \u2013 version {head} \u2013")
    (root / "content/example/press-release.md").write_text("changed", encoding="utf-8")
    dirty = DraftMark.current(root, now=WHEN)
    assert dirty.dirty and "with uncommitted changes" in dirty.line
    assert dirty.fingerprint() == {"revision": head, "dirty": True}


@pytest.mark.skipif(
    "draft" not in inspect.signature(build).parameters,
    reason="build --draft is not wired into form8k/cli.py and form8k/pipeline.py yet",
)
def test_build_draft_command(
    make_project: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    root = make_project()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    code, out, err = run_cli("--project", str(root), "build", "--draft", "--jobs", "1")
    assert code == 0, out + err
    assert 'draft: every PDF page says "DRAFT \u2013 NOT FOR FILING \u2013 version ' in out
    assert out.rstrip().endswith(
        "package and submit refuse this output until it is built without --draft"
    )
    folder = root / "output/example"
    for pdf in folder.glob("*.pdf"):
        for page in PdfReader(pdf).pages:
            assert "DRAFT \u2013 NOT FOR FILING" in page.extract_text()
    for html in folder.glob("*.htm"):
        assert b"DRAFT" not in html.read_bytes()
    assert draft_of(folder) is not None
    code, out, err = run_cli("--project", str(root), "build", "--jobs", "1")
    assert code == 0, out + err
    assert draft_of(folder) is None
    for pdf in folder.glob("*.pdf"):
        assert "DRAFT" not in PdfReader(pdf).pages[0].extract_text()


def test_the_previews_pdfs_are_drafts(make_project: Callable[..., Path], tmp_path: Path) -> None:
    from form8k.pipeline import Project
    from form8k.serve.printer import PdfProcess

    root = make_project()
    printer = PdfProcess(Project.at(root), temp=tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    try:
        report = printer([root / "content/example"], out=tmp_path / "pdf", formats=("pdf",))
    finally:
        printer.close()
    assert not report.failed
    pdfs = sorted((tmp_path / "pdf/example").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        for page in PdfReader(pdf).pages:
            assert "DRAFT \u2013 NOT FOR FILING" in page.extract_text()
