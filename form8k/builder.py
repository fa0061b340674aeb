"""The work of building one filing: load, check, render, read back, print. Heavy to import.

``FilingBuilder`` holds what is worth keeping across filings (the Jinja environment, the print
stylesheet and its fonts) so that one process, or one worker of a parallel build, sets them up
once and reuses them for every filing it is given.

A document's PDF is printed again only when what it is printed from changed: with the last
build's record of the filing (``Previous``), a document whose HTML, metadata and graphics are
the ones its PDF in the output folder was printed from (and whose print stylesheet, fonts, code
and libraries are the same, which the caller checks) keeps that PDF, read back and checked
against the digest the build recorded. The combined PDF is always joined again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from form8k.config import Config
from form8k.errors import Problem, Severity, SourceLocation
from form8k.glyphs import check_filing_glyphs
from form8k.load import LoadError, limits, load_filing
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
    from form8k.fingerprint import Hasher, Inputs, Stamp
    from form8k.pdf import PdfRenderer, PrintDocument, PrintedFiling, Reused
    from form8k.review.draft import DraftMark

#: How many times a filing is loaded again when loading it named files not hashed before.
RELOADS = 3


class PrintJob(Protocol):
    """A filing's documents on their way to PDF: ``result`` waits for them."""

    def result(self) -> PrintedFiling: ...

    def cancel(self) -> None: ...


class PrintService(Protocol):
    """Prints filings elsewhere (another process) while the builder goes on checking."""

    def submit(
        self,
        documents: list[PrintDocument],
        files: dict[str, bytes],
        title: str,
        reuse: dict[str, Reused],
    ) -> PrintJob: ...


@dataclass
class Previous:
    """The last build's record of one filing, given when its PDFs may be used again (the caller
    has checked that the print stylesheet, fonts, code and libraries are the same)."""

    stamp: Stamp
    folder: Path
    """The filing's output folder."""
    hasher: Hasher
    """Digests the files a document's print read beyond its graphics (rare)."""

    def reused(self, name: str, basis: Any) -> Reused | None:
        """The earlier PDF of the document ``name`` (a submission name) when it was printed
        from the same ``basis`` (a function of the files it read beyond its graphics), and is in
        the output folder as the build wrote it."""
        from form8k.pdf import PrintRecord, Reused

        pdf_name = Path(name).with_suffix(".pdf").name
        entry = self.stamp.documents.get(pdf_name)
        if not isinstance(entry, dict):
            return None
        record = PrintRecord.from_json(entry)
        if record is None:
            return None
        fetched = {path: self.hasher.digest(Path(path)) for path, _ in record.fetched}
        if entry.get("basis") != basis(fetched):
            return None
        data = self.stamp.output_bytes(self.folder, pdf_name)
        return None if data is None else Reused(data, record)


def _basis(
    document: PrintDocument, graphics: dict[str, str], fetched: dict[str, str] | None
) -> str:
    """The digest of what a document's PDF is printed from besides the print stylesheet and its
    fonts: the HTML, the metadata, the graphics (all of the filing's, by digest), other project
    files the print read (by digest), and the fixed time fontTools stamps fonts with."""
    data = {
        "name": document.name,
        "html": hashlib.sha256(document.html.encode("utf-8")).hexdigest(),
        "meta": [document.title, document.author, document.description, list(document.keywords)],
        "graphics": graphics,
        "fetched": fetched or {},
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", "0"),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


class FilingBuilder:
    """Builds filings of one project with one set of options; reusable across filings."""

    def __init__(
        self,
        project: Project,
        *,
        formats: set[str],
        config: Config,
        edgar: EdgarSetup | None = None,
        service: PrintService | None = None,
    ) -> None:
        self.project = project
        self.formats = formats
        self.config = config
        self.edgar = edgar
        """Run EDGAR's own validation (the SEC's plugin) on each filing, with this setup."""
        self.renderer = Renderer(project.templates)
        _cache_compiled_templates(self.renderer)
        self.printer: PdfRenderer | None = None
        self.service = service
        """Prints the PDFs in another process, when given (then no renderer is loaded here)."""
        if "pdf" in formats and service is None:
            from form8k.pdf import PdfRenderer

            self.printer = PdfRenderer(templates=project.templates, root=project.root)

    def make(
        self,
        folder: Path,
        target: Path,
        *,
        inputs: Inputs | None = None,
        previous: Previous | None = None,
        draft: DraftMark | None = None,
    ) -> tuple[FilingResult, dict[str, bytes] | None]:
        """One filing's result and its output files in memory (None when it failed).

        With ``inputs`` (the files of the filing's folders, already hashed), every other file
        the content names (a logo elsewhere in the project, say) is hashed too before the
        filing is loaded from it: the filing is loaded again after hashing what it named.
        With ``previous``, a document printed before from the same HTML keeps its PDF. With
        ``draft``, every page of the PDFs carries the draft mark, and the manifest says so.
        """
        result = FilingResult(self.project.key(folder))
        files = self._files(folder, result, target, inputs, previous)
        if files is not None and draft is not None:
            from form8k.review.draft import mark_output

            files = mark_output(files, draft, self._draft_printer())
        return result, files

    def _draft_printer(self) -> PdfRenderer | None:
        """The renderer that draws a draft's marks (this process's), when PDFs are made."""
        if "pdf" not in self.formats:
            return None
        if self.printer is None:
            from form8k.pdf import PdfRenderer

            self.printer = PdfRenderer(templates=self.project.templates, root=self.project.root)
        return self.printer

    def _load(self, folder: Path, inputs: Inputs | None) -> FilingBundle:
        project = self.project
        bundle = load_filing(folder, content=project.content, root=project.root)
        for _ in range(RELOADS):
            if inputs is None or not inputs.take(named_files(bundle)):
                break
            bundle = load_filing(folder, content=project.content, root=project.root)
        return bundle

    def _files(
        self,
        folder: Path,
        result: FilingResult,
        target: Path,
        inputs: Inputs | None = None,
        previous: Previous | None = None,
    ) -> dict[str, bytes] | None:
        """Every file of one filing's output folder, in memory; None when it cannot be made.

        ``result`` collects the problems, the loaded filing and the files the output came from.
        The filing is rendered before it is checked (a rendering that fails counts only if the
        checks find no error), so that a print service prints while the checks run; what is
        reported and written is what checking first would give.
        """
        renderer, formats = self.renderer, self.formats
        try:
            bundle = self._load(folder, inputs)
        except LoadError as error:
            result.problems += error.problems
            return None
        result.bundle = bundle
        result.inputs = named_files(bundle)
        job: _Printing | None = None
        try:
            rendered: RenderedFiling | None = renderer.render_filing(bundle)
            failure: Exception | None = None
        except Exception as error:  # judged after the checks: content with an error may not render
            rendered, failure = None, error
        if rendered is not None:
            # A document too big to print is an error before anything is printed.
            too_big = [
                problem
                for d in rendered.documents
                if (problem := limits.document_problem(d.html, SourceLocation(target / d.name)))
            ]
            if too_big:
                result.problems += too_big
                return None
        try:
            if rendered is not None and (self.printer is not None or self.service is not None):
                job = self._submit(bundle, rendered, previous)
            files = self._checked(bundle, rendered, failure, result, target)
            if files is None or job is None:
                return files
            pdfs = job.finish(result)
            job = None
            if pdfs is None:
                return None
            if "html" not in formats:
                files = {}
            files.update(pdfs)
            return files
        finally:
            if job is not None:
                job.cancel()

    def _checked(
        self,
        bundle: FilingBundle,
        rendered: RenderedFiling | None,
        failure: Exception | None,
        result: FilingResult,
        target: Path,
    ) -> dict[str, bytes] | None:
        """The checks of a rendered filing; its submission's files, or None on an error."""
        project, config = self.project, self.config
        result.problems += check_filing(bundle, config.severities)
        if any(p.severity is Severity.ERROR for p in result.problems):
            return None
        if failure is not None:
            if isinstance(failure, RenderError):
                result.problems.append(failure.problem)
                return None
            raise failure
        assert rendered is not None
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
        return dict(submission)

    def _submit(
        self, bundle: FilingBundle, rendered: RenderedFiling, previous: Previous | None
    ) -> _Printing:
        """Start printing the filing's documents (or, printing here, prepare to)."""
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
        # The graphics as read once here: the PDFs show the bytes the submission holds.
        files = {g.name: g.path.read_bytes() for g in rendered.graphics}
        digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
        reuse: dict[str, Reused] = {}
        if previous is not None:
            for document in documents:
                found = previous.reused(
                    document.name,
                    lambda fetched, document=document: _basis(document, digests, fetched),
                )
                if found is not None:
                    reuse[document.name] = found
        title = (
            f"{bundle.company.name} - Form {bundle.filing.form_type} - "
            f"{long_date(bundle.filing.date_of_report)} (with exhibits)"
        )
        job: PrintJob
        if self.service is not None:
            job = self.service.submit(documents, files, title, reuse)
        else:
            assert self.printer is not None
            job = _LocalPrint(self.printer, documents, files, title, reuse)
        return _Printing(bundle, documents, digests, job)


class _LocalPrint:
    """Printing in this process, when the result is asked for (never, if the checks fail)."""

    def __init__(
        self,
        printer: PdfRenderer,
        documents: list[PrintDocument],
        files: dict[str, bytes],
        title: str,
        reuse: dict[str, Reused],
    ) -> None:
        self.printer, self.documents, self.files = printer, documents, files
        self.title, self.reuse = title, reuse

    def result(self) -> PrintedFiling:
        return self.printer.print_filing(
            self.documents, files=self.files, title=self.title, reuse=self.reuse
        )

    def cancel(self) -> None:
        pass


@dataclass
class _Printing:
    """A filing's print job, and what the stamp needs to know of what it prints."""

    bundle: FilingBundle
    documents: list[PrintDocument]
    graphics: dict[str, str]
    """The digest of each graphic, by name."""
    job: PrintJob

    def cancel(self) -> None:
        self.job.cancel()

    def finish(self, result: FilingResult) -> dict[str, bytes] | None:
        """The PDFs by file name, the combined one included; None when they cannot be made.
        ``result`` gets the renderer's messages, which documents were printed and the record
        of each document for the stamp."""
        bundle = self.bundle
        printed = self.job.result()
        # WeasyPrint's messages concern a rendered document: point at the filing, name it.
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
        result.printed = list(printed.printed)
        pdfs: dict[str, bytes] = {}
        for document in self.documents:
            pdf_name = Path(document.name).with_suffix(".pdf").name
            pdfs[pdf_name] = printed.documents[document.name]
            record = printed.records[document.name]
            result.documents[pdf_name] = {
                "basis": _basis(document, self.graphics, dict(record.fetched)),
                **record.to_json(),
            }
        pdfs[f"{bundle.document_stem}-combined.pdf"] = printed.combined
        return pdfs


def _cache_compiled_templates(renderer: Renderer) -> None:
    """Keep the templates' compiled code between runs, in the user's cache folder (Jinja's
    bytecode cache: a template is compiled again when its source changes). The folder is
    named by form8k's code, Jinja's and Python's versions, so no other version's code is
    ever used; an earlier version's folders are removed. Without a cache folder that can be
    written, templates are compiled each run, as before."""
    import sys

    import jinja2
    from jinja2.bccache import Bucket, FileSystemBytecodeCache

    from form8k.fingerprint import code_digest

    class Cache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry: compiled again
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):  # not kept: compiled again next time
                super().dump_bytecode(bucket)

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    parent = Path(base) / "form8k"
    version = f"py{sys.version_info[0]}.{sys.version_info[1]}-jinja{jinja2.__version__}"
    folder = parent / f"templates-{code_digest()[:16]}-{version}"
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            for other in parent.glob("templates-*"):
                if other != folder:
                    for entry in other.iterdir():
                        entry.unlink(missing_ok=True)
                    other.rmdir()
    except OSError:
        if not folder.is_dir():
            return
    renderer.env.bytecode_cache = Cache(str(folder))


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
