"""build(project, out, ...) -> report: load, check, render, print and write each filing.

A filing with an error is reported and skipped; the others still build. Nothing is written for
a filing until every one of its files has been made in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from form8k.config import Config, load_config
from form8k.errors import Problem, Severity, SourceLocation, UsageError
from form8k.load import FILING_FILE, LoadError, find_filings, load_filing
from form8k.model import FilingBundle
from form8k.render import RenderedFiling, Renderer, RenderError, long_date
from form8k.rules import check_filing, to_problems
from form8k.rules.edgar import Document, check_documents, check_submission_size
from form8k.write import write_filing
from form8k.xbrl.manifest import MANIFEST, manifest
from form8k.xbrl.readback import check_cover_facts

if TYPE_CHECKING:
    from form8k.pdf import PdfRenderer

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Project:
    """A project folder: content/ (the input), templates/ (the look)."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project at ``root``, or a UsageError naming what is missing."""
        root = root.resolve()
        for folder in ("content", "templates"):
            if not (root / folder).is_dir():
                raise UsageError(f"{root}: no {folder}/ folder here; is this a form8k project?")
        return cls(root)


@dataclass
class FilingResult:
    """What became of one filing."""

    key: str
    bundle: FilingBundle | None = None
    """The loaded filing, when it loaded."""
    written: list[str] = field(default_factory=list)
    """Files written into the filing's output folder; empty when it failed."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.written)


@dataclass
class BuildReport:
    """Every filing's result, in order."""

    results: list[FilingResult]
    out: Path

    @property
    def problems(self) -> list[Problem]:
        return [problem for result in self.results for problem in result.problems]

    def count(self, severity: Severity) -> int:
        return sum(1 for problem in self.problems if problem.severity is severity)

    @property
    def failed(self) -> int:
        return sum(1 for result in self.results if not result.ok)


def select_filings(project: Project, paths: Sequence[Path]) -> list[Path]:
    """Filing folders under content/: all of them, or those at or below ``paths``."""
    if not paths:
        return find_filings(project.content)
    folders: list[Path] = []
    for path in paths:
        resolved = path.resolve()
        if resolved.name == FILING_FILE:
            resolved = resolved.parent
        if not resolved.exists():
            raise UsageError(f"{path}: no such file or folder")
        if not resolved.is_relative_to(project.content):
            raise UsageError(f"{path}: not inside {project.content}")
        found = find_filings(resolved)
        if not found:
            raise UsageError(f"{path}: no {FILING_FILE} at or below this folder")
        folders += [folder for folder in found if folder not in folders]
    return folders


def check_out(project: Project, out: Path) -> Path:
    """Refuse an output folder that would overwrite the project's own files."""
    out = out.resolve()
    if out == project.root:
        raise UsageError(f"{out}: the output folder may not be the project folder itself")
    for protected in (project.content, project.templates):
        if out.is_relative_to(protected):
            raise UsageError(f"{out}: the output folder may not be {protected.name}/ or inside it")
    return out


def build(
    project: Project,
    *,
    out: Path,
    paths: Sequence[Path] = (),
    formats: Iterable[str] = FORMATS,
    strict: bool = False,
    write: bool = True,
) -> BuildReport:
    """Build the selected filings of ``project`` into ``out``/<filing>/.

    With ``write=False`` every filing is loaded, checked and rendered, and nothing is written:
    that is ``check``.
    """
    out = check_out(project, out)
    formats = set(formats)
    folders = select_filings(project, paths)
    try:
        config = load_config(project.root)
    except LoadError as error:
        raise UsageError(error.problems) from None
    try:
        renderer = Renderer(project.templates)
    except RenderError as error:
        raise UsageError([error.problem]) from None
    printer: PdfRenderer | None = None
    if "pdf" in formats:
        from form8k.pdf import PdfRenderer

        printer = PdfRenderer(templates=project.templates, root=project.root)
    results = []
    for folder in folders:
        key = folder.relative_to(project.content).as_posix()
        result = FilingResult(key)
        results.append(result)
        files = _make_filing(project, folder, result, renderer, printer, formats, config, out / key)
        fatal = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        if files is None or any(problem.severity in fatal for problem in result.problems):
            continue
        if write:
            write_filing(out / key, files)
        result.written = sorted(files)
    return BuildReport(results, out)


def _make_filing(
    project: Project,
    folder: Path,
    result: FilingResult,
    renderer: Renderer,
    printer: PdfRenderer | None,
    formats: set[str],
    config: Config,
    target: Path,
) -> dict[str, bytes] | None:
    """Every file of one filing's output folder, in memory; None when it cannot be made."""
    try:
        bundle = load_filing(folder, content=project.content, root=project.root)
    except LoadError as error:
        result.problems += error.problems
        return None
    result.bundle = bundle
    result.problems += check_filing(bundle, config.severities)
    if any(p.severity is Severity.ERROR for p in result.problems):
        return None
    try:
        rendered = renderer.render_filing(bundle)
    except RenderError as error:
        result.problems.append(error.problem)
        return None
    result.problems += rendered.problems
    html = {d.name: d.html.encode("ascii") for d in rendered.documents}
    graphics = {g.name: g.path.read_bytes() for g in rendered.graphics}
    inline = {d.name for d in rendered.documents if d.inline_xbrl}
    result.problems += _check_documents(html, graphics, rendered.taxonomy, inline, target, config)
    if inline:
        schema = rendered.taxonomy.get(f"{bundle.document_stem}.xsd")
        primary = bundle.primary_document
        findings = check_cover_facts(bundle, html[primary], schema, target / primary)
        result.problems += to_problems(findings, config.severities)
    if any(p.severity is Severity.ERROR for p in result.problems):
        return None
    files: dict[str, bytes] = {}
    if "html" in formats:
        files.update(html)
        files.update(rendered.taxonomy)
        files.update(graphics)
        files[MANIFEST] = manifest(bundle, rendered)
    if printer is not None:
        pdfs = _print(bundle, rendered, printer, result)
        if pdfs is None:
            return None
        files.update(pdfs)
    return files


def _check_documents(
    html: dict[str, bytes],
    graphics: dict[str, bytes],
    taxonomy: dict[str, bytes],
    inline: set[str],
    target: Path,
    config: Config,
) -> list[Problem]:
    """EDGAR's document rules, and the cover-page facts read back, on the files as written."""
    documents = [
        Document(name, content, target / name, inline_xbrl=name in inline)
        for name, content in html.items()
    ]
    findings = check_documents(documents, graphics=[*graphics, *taxonomy])
    findings += check_submission_size(
        [len(content) for content in (*html.values(), *graphics.values(), *taxonomy.values())],
        SourceLocation(target),
    )
    return to_problems(findings, config.severities)


def _print(
    bundle: FilingBundle, rendered: RenderedFiling, printer: PdfRenderer, result: FilingResult
) -> dict[str, bytes] | None:
    from form8k.pdf import PrintDocument

    documents = [
        PrintDocument(
            name=d.name,
            html=d.html,
            title=d.meta.title,
            author=d.meta.author,
            description=d.meta.description,
            keywords=d.meta.keywords,
        )
        for d in rendered.documents
    ]
    printed = printer.print_filing(
        documents,
        files={g.name: g.path for g in rendered.graphics},
        title=f"{bundle.company.name} - Form {bundle.filing.form_type} - "
        f"{long_date(bundle.filing.date_of_report)} (with exhibits)",
    )
    # WeasyPrint's messages concern a rendered document: point at the filing, name the document.
    for problem in printed.problems:
        result.problems.append(
            Problem(
                SourceLocation(bundle.folder / FILING_FILE),
                f"{problem.location.path.name}: {problem.message}",
                problem.severity,
            )
        )
    if not printed.documents:
        return None
    pdfs = {Path(name).with_suffix(".pdf").name: data for name, data in printed.documents.items()}
    pdfs[f"{bundle.document_stem}-combined.pdf"] = printed.combined
    return pdfs
