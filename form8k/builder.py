"""The work of building one filing: load, check, render, read back, print. Heavy to import.

``FilingBuilder`` holds what is worth keeping across filings (the Jinja environment, the print
stylesheet and its fonts) so that one process, or one worker of a parallel build, sets them up
once and reuses them for every filing it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from form8k.config import Config
from form8k.errors import Problem, Severity, SourceLocation
from form8k.glyphs import check_filing_glyphs
from form8k.load import LoadError, load_filing
from form8k.model import FilingBundle
from form8k.project import FILING_FILE, Project
from form8k.render import RenderedFiling, Renderer, RenderError, long_date
from form8k.results import FilingResult
from form8k.rules import check_filing, to_problems
from form8k.rules.edgar import Document, check_documents, check_submission_size
from form8k.rules.efm import validate_files
from form8k.xbrl.manifest import MANIFEST, manifest
from form8k.xbrl.readback import check_cover_facts, check_header

if TYPE_CHECKING:
    from form8k.efm import EdgarSetup
    from form8k.fingerprint import Inputs
    from form8k.pdf import PdfRenderer

#: How many times a filing is loaded again when loading it named files not hashed before.
RELOADS = 3


class FilingBuilder:
    """Builds filings of one project with one set of options; reusable across filings."""

    def __init__(
        self,
        project: Project,
        *,
        formats: set[str],
        config: Config,
        edgar: EdgarSetup | None = None,
    ) -> None:
        self.project = project
        self.formats = formats
        self.config = config
        self.edgar = edgar
        """Run EDGAR's own validation (the SEC's plugin) on each filing, with this setup."""
        self.renderer = Renderer(project.templates)
        self.printer: PdfRenderer | None = None
        if "pdf" in formats:
            from form8k.pdf import PdfRenderer

            self.printer = PdfRenderer(templates=project.templates, root=project.root)

    def make(
        self, folder: Path, target: Path, *, inputs: Inputs | None = None
    ) -> tuple[FilingResult, dict[str, bytes] | None]:
        """One filing's result and its output files in memory (None when it failed).

        With ``inputs`` (the files of the filing's folders, already hashed), every other file
        the content names (a logo elsewhere in the project, say) is hashed too before the
        filing is loaded from it: the filing is loaded again after hashing what it named.
        """
        result = FilingResult(self.project.key(folder))
        return result, self._files(folder, result, target, inputs)

    def _load(self, folder: Path, inputs: Inputs | None) -> FilingBundle:
        project = self.project
        bundle = load_filing(folder, content=project.content, root=project.root)
        for _ in range(RELOADS):
            if inputs is None or not inputs.take(named_files(bundle)):
                break
            bundle = load_filing(folder, content=project.content, root=project.root)
        return bundle

    def _files(
        self, folder: Path, result: FilingResult, target: Path, inputs: Inputs | None = None
    ) -> dict[str, bytes] | None:
        """Every file of one filing's output folder, in memory; None when it cannot be made.

        ``result`` collects the problems, the loaded filing and the files the output came from.
        """
        project, renderer, printer = self.project, self.renderer, self.printer
        formats, config = self.formats, self.config
        try:
            bundle = self._load(folder, inputs)
        except LoadError as error:
            result.problems += error.problems
            return None
        result.bundle = bundle
        result.inputs = named_files(bundle)
        result.problems += check_filing(bundle, config.severities)
        if any(p.severity is Severity.ERROR for p in result.problems):
            return None
        try:
            rendered = renderer.render_filing(bundle)
        except RenderError as error:
            result.problems.append(error.problem)
            return None
        result.problems += rendered.problems
        result.problems += to_problems(
            check_filing_glyphs(bundle, [d.html for d in rendered.documents], project.templates),
            config.severities,
        )
        result.inputs = sorted({*result.inputs, *(g.path for g in rendered.graphics)})
        html = {d.name: d.html.encode("ascii") for d in rendered.documents}
        graphics = {g.name: g.path.read_bytes() for g in rendered.graphics}
        inline = {d.name for d in rendered.documents if d.inline_xbrl}
        result.problems += _check_documents(
            html, graphics, rendered.taxonomy, inline, target, config
        )
        submission = {**html, **rendered.taxonomy, **graphics}
        submission[MANIFEST] = manifest(bundle, rendered)
        primary = bundle.primary_document
        if not any(p.rule == "html-structure" for p in result.problems):
            findings = check_header(
                submission[MANIFEST], html[primary], target / primary, tagged=primary in inline
            )
            if inline:
                schema = rendered.taxonomy.get(f"{bundle.document_stem}.xsd")
                findings += check_cover_facts(bundle, html[primary], schema, target / primary)
            result.problems += to_problems(findings, config.severities)
        if any(p.severity is Severity.ERROR for p in result.problems):
            return None
        if self.edgar is not None:
            result.problems += validate_files(
                bundle,
                submission,
                self.edgar,
                fact_locations=rendered.fact_locations,
                target=target,
            )
            if any(p.severity is Severity.ERROR for p in result.problems):
                return None
        files: dict[str, bytes] = {}
        if "html" in formats:
            files.update(submission)
        if printer is not None:
            pdfs = _print(bundle, rendered, printer, result)
            if pdfs is None:
                return None
            files.update(pdfs)
        return files


def named_files(bundle: FilingBundle) -> list[Path]:
    """Every file the filing's content names: its logo, exhibits, schedules and page images."""
    paths = [bundle.logo.path] if bundle.logo is not None else []
    for source in bundle.exhibits.values():
        paths.append(source.path)
        paths += [schedule.path for schedule in source.schedules]
        paths += [page.path for page in source.pages]
    return sorted({path for path in paths if path.is_file()})


def _check_documents(
    html: dict[str, bytes],
    graphics: dict[str, bytes],
    taxonomy: dict[str, bytes],
    inline: set[str],
    target: Path,
    config: Config,
) -> list[Problem]:
    """EDGAR's document rules on the files exactly as they will be written."""
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
