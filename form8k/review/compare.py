"""``form8k compare``: the blackline of a filing between two versions, as HTML and PDF.

A version is a git revision of the project (``HEAD~1``, a tag, a hash: the project as it was
then, taken with ``git archive`` into a temporary folder), a folder (a project, a filing's
folder, or a filing's built output), or, with ``--amendment``, an 8-K/A and the filing it
amends. Each version is built with form8k's own pipeline (HTML only, into a temporary folder),
so that the comparison is of the documents as they would be filed: a change of template shows
as well as a change of content. Then every document of the filing is compared block by block
and word by word (``form8k.review.diff``), and its cover facts as Inline XBRL reads them
(``form8k.xbrl.readback.read_document``).

The blackline of a filing goes to ``output/.blackline/<filing>/`` (or ``--out``): one HTML file
and one PDF, a summary of the changes first, then each document with its marks. It is never
part of the submission: the build neither writes nor reads that folder, and nothing of it is in
a manifest.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup

from form8k.errors import Form8kError, Problem, UsageError
from form8k.project import FILING_FILE, Project, check_out, find_filings
from form8k.review import git
from form8k.review.blackline import Change, Marks, changes, render_entries
from form8k.review.blocks import Document, read_document
from form8k.review.diff import Entry, compare_blocks

if TYPE_CHECKING:
    from form8k.pdf import PdfRenderer

#: Where blacklines go, inside the output folder.
FOLDER = ".blackline"
MANIFEST = "manifest.json"
TEMPLATES = Path(__file__).resolve().parent / "templates"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".gif", ".png")
FORMATS = ("html", "pdf")


@dataclass
class Version:
    """One side of a comparison as the user named it."""

    spec: str
    label: str
    """Short: "HEAD~1 (a1b2c3d)", "the working tree"."""
    detail: str
    """Longer, for the summary: the commit's date and subject, the folder."""
    root: Path | None = None
    """The project to build (a git revision's is a temporary copy)."""
    filing: str | None = None
    """The one filing of a filing folder (its name under content/)."""
    built: Path | None = None
    """A filing's built output folder, compared as it is."""


@dataclass
class Pair:
    """A filing to blackline: where it is in each version, where its blackline goes."""

    key: str
    old: Version
    old_key: str | None
    new: Version
    new_key: str | None


@dataclass
class Counts:
    inserted: int = 0
    deleted: int = 0
    moved: int = 0
    cells: int = 0
    facts: int = 0
    changes: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def describe(self) -> str:
        parts = [
            _plural(self.inserted, "word") + " inserted",
            _plural(self.deleted, "word") + " deleted",
        ]
        if self.moved:
            parts.append(_plural(self.moved, "paragraph") + " moved")
        if self.cells:
            parts.append(_plural(self.cells, "table cell") + " changed")
        if self.facts:
            parts.append(_plural(self.facts, "cover fact") + " changed")
        return ", ".join(parts)


@dataclass
class FactChange:
    number: int
    concept: str
    label: str
    dimensions: str
    old: str | None
    new: str | None
    old_id: str | None
    new_id: str | None


@dataclass
class DocumentBlackline:
    label: str
    anchor: str
    status: str
    """"compared", "added" (only in the later version) or "removed"."""
    body: Markup
    counts: Counts
    changes: list[Change]


@dataclass
class Blackline:
    """A filing's blackline: its files, and what changed."""

    files: dict[str, bytes]
    counts: Counts
    documents: list[DocumentBlackline]
    facts: list[FactChange]
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.counts.changes or self.facts) or any(
            doc.status != "compared" for doc in self.documents
        )


@dataclass
class FilingResult:
    key: str
    folder: Path | None = None
    files: list[str] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    problems: list[str] = field(default_factory=list)
    """Why there is no blackline (a version that does not build, a file not written)."""
    warnings: list[str] = field(default_factory=list)
    """What the PDF renderer said of the blackline."""
    note: str = ""
    """Why nothing was written, when nothing was."""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class CompareReport:
    old: Version
    new: Version
    results: list[FilingResult]

    @property
    def failed(self) -> int:
        return sum(1 for result in self.results if not result.ok)


# --- the command's work ---------------------------------------------------------------------


def compare(
    project: Project,
    old: str | None,
    new: str | None,
    filings: Sequence[Path | str] = (),
    *,
    out: Path | None = None,
    formats: Iterable[str] = FORMATS,
    amendment: Path | None = None,
    original: Path | None = None,
    jobs: int = 1,
    everything: bool = False,
) -> CompareReport:
    """Blacklines of the filings that differ between versions ``old`` and ``new`` (the working
    tree when None), or of ``amendment`` against the filing it amends.

    Without ``filings``, every filing of both versions is compared and a blackline written for
    those that changed (all of them with ``everything``); named filings always get one."""
    out = check_out(project, out if out is not None else project.root / "output" / FOLDER)
    chosen = set(formats)
    with tempfile.TemporaryDirectory(prefix="form8k-compare-") as name:
        temp = Path(name)
        if amendment is not None:
            old_version, new_version, pairs = _amendment_pair(project, amendment, original)
            named = True
        else:
            if old is None:
                raise UsageError("name the earlier version: a git revision or a folder")
            old_version = resolve_version(project, old, temp / "old")
            new_version = resolve_version(project, new or str(project.root), temp / "new")
            pairs = _pairs(project, old_version, new_version, filings)
            named = bool(filings) or everything
        built = _build_versions(pairs, temp, jobs)
        printer = _printer(temp) if "pdf" in chosen else None
        results = []
        for pair in pairs:
            results.append(_blackline_pair(pair, built, out, printer, chosen, named))
    return CompareReport(old_version, new_version, results)


def resolve_version(project: Project, spec: str, temp: Path) -> Version:
    """What ``spec`` names: a folder (project, filing, built output) or a git revision."""
    path = Path(spec).expanduser()
    if path.is_dir():
        path = path.resolve()
        shown = _shown(path)
        if (path / MANIFEST).is_file():
            return Version(spec, shown, f"the built filing in {shown}", built=path)
        if (path / FILING_FILE).is_file():
            root = _project_of(path)
            key = Project(root).key(path)
            label = f"{key} ({_tree_label(root)})"
            return Version(spec, label, f"the filing {key} in {_tree_detail(root)}", root, key)
        if (path / "content").is_dir():
            return Version(spec, _tree_label(path), _tree_detail(path), root=path)
        raise UsageError(
            f"{spec}: a folder, but neither a project (with content/), a filing (with "
            f"{FILING_FILE}) nor a built filing (with {MANIFEST})"
        )
    found = git.commit(project.root, spec)
    if found is None:
        if git.toplevel(project.root) is None:
            raise UsageError(
                f"{spec}: no such folder (and {project.root} is not in a git repository, so "
                "it is not a revision either)"
            )
        raise UsageError(
            f"{spec}: no such folder, and not a revision of its repository (a commit, branch "
            "or tag)"
        )
    root = git.export(project.root, found.sha, temp)
    if not (root / "content").is_dir():
        raise UsageError(f"{spec}: the project has no content/ at {found.short}")
    label = found.short if spec.lower() == found.short.lower() else f"{spec} ({found.short})"
    detail = f"{label}, committed {found.date}: {found.subject}"
    return Version(spec, label, detail, root=root)


def _tree_label(root: Path) -> str:
    state = git.version(root)
    if state is None:
        return f"the files in {_shown(root)}"
    head, dirty = state
    return f"the working tree ({head}{' with uncommitted changes' if dirty else ''})"


def _tree_detail(root: Path) -> str:
    state = git.version(root)
    where = _shown(root)
    if state is None:
        return f"the files in {where} (not under git)"
    head, dirty = state
    edits = "with changes not yet committed" if dirty else "no uncommitted changes"
    return f"the working tree of {where}: commit {head}, {edits}"


def _project_of(folder: Path) -> Path:
    for parent in folder.parents:
        if parent.name == "content" and folder.is_relative_to(parent):
            return parent.parent
    raise UsageError(f"{folder}: a filing folder outside any project's content/ folder")


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _amendment_pair(
    project: Project, amendment: Path, original: Path | None
) -> tuple[Version, Version, list[Pair]]:
    folder = amendment.resolve()
    if folder.name == FILING_FILE:
        folder = folder.parent
    if not (folder / FILING_FILE).is_file():
        raise UsageError(f"{amendment}: no {FILING_FILE} here")
    data = _yaml(folder / FILING_FILE)
    if str(data.get("form_type", "")).strip() != "8-K/A":
        raise UsageError(f"{amendment}: not an amendment (its form_type is not 8-K/A)")
    if original is None:
        source = _amended(folder)
        if source is None:
            raise UsageError(
                f"{amendment}: the filing it amends is not beside it (as `form8k new "
                "amendment` names them): name it with --original"
            )
    else:
        source = original.resolve()
        if source.name == FILING_FILE:
            source = source.parent
        if not (source / FILING_FILE).is_file():
            raise UsageError(f"{original}: no {FILING_FILE} here")
    for path in (folder, source):
        if not path.is_relative_to(project.content):
            raise UsageError(f"{path}: not inside {project.content}")
    new_key, old_key = project.key(folder), project.key(source)
    number = data.get("amendment_number")
    tree = _tree_detail(project.root)
    old = Version(str(source), f"the filing it amends ({old_key})", f"{old_key}, in {tree}")
    new = Version(
        str(folder),
        f"Amendment No. {number} ({new_key})" if number else f"the amendment ({new_key})",
        f"{new_key}, in {tree}",
    )
    old.root = new.root = project.root
    old.filing, new.filing = old_key, new_key
    return old, new, [Pair(new_key, old, old_key, new, new_key)]


def _amended(folder: Path) -> Path | None:
    """The filing an amendment amends, by the names ``form8k new amendment`` gives: the
    previous amendment, else the filing itself."""
    match = re.fullmatch(r"(?P<base>.+)-amendment-(?P<number>\d+)", folder.name)
    if match is None:
        return None
    number = int(match["number"])
    candidates = [f"{match['base']}-amendment-{number - 1}"] if number > 1 else []
    candidates.append(match["base"])
    for name in candidates:
        if (folder.parent / name / FILING_FILE).is_file():
            return folder.parent / name
    return None


def _yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"{path}: cannot be read: {error}") from None
    return data if isinstance(data, dict) else {}


def _pairs(
    project: Project, old: Version, new: Version, filings: Sequence[Path | str]
) -> list[Pair]:
    single = [v for v in (old, new) if v.built is not None or v.filing is not None]
    if single:
        if len(single) != 2:
            raise UsageError(
                "compare a filing's folder (or built output) with another filing's, or a "
                "project (or revision) with another: not one with the other"
            )
        if filings:
            raise UsageError("two filings are compared: name no filing after them")
        key = new.filing or (new.built.name if new.built is not None else "filing")
        return [Pair(key, old, old.filing, new, new.filing)]
    assert old.root is not None and new.root is not None
    old_keys = {Project(old.root).key(f) for f in find_filings(old.root / "content")}
    new_keys = {Project(new.root).key(f) for f in find_filings(new.root / "content")}
    wanted = [_filing_key(project, filing) for filing in filings]
    keys = sorted(old_keys | new_keys)
    if wanted:
        chosen = [k for k in keys if any(k == w or k.startswith(w + "/") for w in wanted)]
        for w in wanted:
            if not any(k == w or k.startswith(w + "/") for k in keys):
                raise UsageError(f"{w}: no filing of that name in either version")
        keys = chosen
    return [
        Pair(key, old, key if key in old_keys else None, new, key if key in new_keys else None)
        for key in keys
    ]


def _filing_key(project: Project, filing: Path | str) -> str:
    path = Path(filing)
    resolved = path.resolve()
    if resolved.name == FILING_FILE:
        resolved = resolved.parent
    if resolved.is_relative_to(project.content) and resolved != project.content:
        return project.key(resolved)
    text = path.as_posix().strip("/")
    return text.removeprefix("content/")


# --- building each version ------------------------------------------------------------------


Built = dict[tuple[Path, str], "Path | list[str]"]


def _build_versions(pairs: Sequence[Pair], temp: Path, jobs: int) -> Built:
    """Build (HTML only) every filing the pairs need, each project once, into ``temp``."""
    from form8k.pipeline import build

    wanted: dict[Path, set[str]] = {}
    for pair in pairs:
        for version, key in ((pair.old, pair.old_key), (pair.new, pair.new_key)):
            if version.root is not None and key is not None:
                wanted.setdefault(version.root, set()).add(key)
    built: Built = {}
    for number, (root, keys) in enumerate(sorted(wanted.items())):
        project = Project(root)
        out = temp / f"build-{number}"
        try:
            report = build(
                project,
                out=out,
                paths=[project.content / key for key in sorted(keys)],
                formats=("html",),
                write=True,
                jobs=max(1, min(jobs, len(keys))),
            )
        except Form8kError as error:
            messages = [_message(p, root) for p in error.problems] or [str(error)]
            for key in keys:
                built[(root, key)] = messages
            continue
        for result in report.results:
            if result.ok:
                built[(root, result.key)] = out / result.key
            else:
                built[(root, result.key)] = [_message(p, root) for p in result.problems] or [
                    "the filing did not build"
                ]
    return built


def _message(problem: Problem, root: Path) -> str:
    return problem.display(root)


def _printer(temp: Path) -> PdfRenderer:
    from form8k.pdf import PdfRenderer
    from form8k.project import builtin_templates

    return PdfRenderer(templates=builtin_templates(), root=temp)


def _blackline_pair(
    pair: Pair,
    built: Built,
    out: Path,
    printer: PdfRenderer | None,
    formats: set[str],
    named: bool,
) -> FilingResult:
    from form8k.write import write_filing

    result = FilingResult(pair.key)
    folders: list[Path | None] = []
    sides = ((pair.old, pair.old_key, "earlier"), (pair.new, pair.new_key, "later"))
    for version, key, which in sides:
        if version.built is not None:
            folders.append(version.built)
            continue
        if key is None:
            folders.append(None)
            continue
        assert version.root is not None
        output = built.get((version.root, key))
        if isinstance(output, Path):
            folders.append(output)
        else:
            result.problems.append(f"it does not build in the {which} version ({version.label}):")
            result.problems += [f"  {line}" for line in output or ["not built"]]
            folders.append(None)
    if result.problems:
        return result
    old_folder, new_folder = folders
    if old_folder is None or new_folder is None:
        result.note = (
            f"only in {pair.new.label}: a new filing"
            if old_folder is None
            else f"only in {pair.old.label}: removed since"
        )
        return result
    made = blackline(
        old_folder,
        new_folder,
        old_version=pair.old,
        new_version=pair.new,
        printer=printer if "pdf" in formats else None,
        html="html" in formats,
    )
    result.counts = made.counts
    result.warnings += made.problems
    if not made.changed and not named:
        result.note = "no changes"
        return result
    target = out / pair.key
    try:
        write_filing(target, made.files)
    except OSError as error:
        result.problems.append(f"{error.filename or target}: cannot write: {error.strerror}")
        return result
    result.folder = target
    result.files = sorted(made.files)
    if not made.changed:
        result.note = "no changes"
    return result


# --- one filing's blackline -----------------------------------------------------------------


def blackline(
    old: Path,
    new: Path,
    *,
    old_version: Version | None = None,
    new_version: Version | None = None,
    printer: PdfRenderer | None = None,
    html: bool = True,
) -> Blackline:
    """The blackline of the built filing in folder ``new`` against the one in ``old``.

    Returns its files (``<document>-blackline.htm`` with the images it shows and, with a
    ``printer``, ``<document>-blackline.pdf``) and what changed."""
    old_version = old_version or Version(str(old), _shown(old), _shown(old))
    new_version = new_version or Version(str(new), _shown(new), _shown(new))
    old_docs, new_docs = _documents(old), _documents(new)
    pairs = _pair_documents(old_docs, new_docs)
    old_images, new_images = _images(old), _images(new)
    anchors: dict[str, str] = {}
    for number, (a, b) in enumerate(pairs, start=1):
        for doc in (a, b):
            if doc is not None:
                anchors.setdefault(doc[0], f"bl-doc-{number}")
    used: dict[str, bytes] = {}

    def image_url(side: str, name: str) -> str:
        images = old_images if side == "old" else new_images
        if name not in images:
            return name
        used[f"{side}-{name}"] = images[name]
        return f"{side}-{name}"

    facts: list[FactChange] = []
    documents: list[DocumentBlackline] = []
    totals = Counts()
    for number, (a, b) in enumerate(pairs, start=1):
        old_bytes = (old / a[0]).read_bytes() if a is not None else None
        new_bytes = (new / b[0]).read_bytes() if b is not None else None
        marks = Marks()
        primary = number == 1 and _is_report(a, b)
        if primary:
            facts = fact_changes(old_bytes, new_bytes)
            marks.new = {f.new_id: f.number for f in facts if f.new_id}
            marks.old = {f.old_id: f.number for f in facts if f.old_id}
        old_doc = _read(a, old_bytes, "old", old_images)
        new_doc = _read(b, new_bytes, "new", new_images)
        entries = compare_blocks(
            old_doc.blocks if old_doc else [], new_doc.blocks if new_doc else []
        )
        prefix = f"bl-d{number}"
        body = render_entries(
            entries, prefix=prefix, marks=marks, links=anchors, image_url=image_url
        )
        counts = _counts(entries)
        counts.facts = len(facts) if primary else 0
        totals.add(counts)
        status = (
            "compared" if a is not None and b is not None else "added" if a is None else ("removed")
        )
        documents.append(
            DocumentBlackline(
                _label(a, b),
                f"bl-doc-{number}",
                status,
                body,
                counts,
                changes(entries, prefix),
            )
        )
    stem = _stem(new_docs or old_docs)
    title = _title(new, new_docs) or _title(old, old_docs) or stem
    page = _page(title, old_version, new_version, documents, facts, totals)
    files: dict[str, bytes] = {}
    if html:
        files[f"{stem}-blackline.htm"] = page.encode("utf-8")
        files.update(used)
    problems: list[str] = []
    if printer is not None:
        pdf, problems = _print(page, stem, title, old_version, new_version, used, printer)
        if pdf is not None:
            files[f"{stem}-blackline.pdf"] = pdf
    return Blackline(files, totals, documents, facts, problems)


def _counts(entries: Sequence[Entry]) -> Counts:
    counts = Counts()
    for entry in entries:
        counts.inserted += entry.count("ins")
        counts.deleted += entry.count("del")
        counts.moved += entry.status == "moved"
        counts.cells += entry.cells_changed
        counts.changes += bool(entry.number)
    return counts


def _documents(folder: Path) -> list[tuple[str, str]]:
    """(file, EDGAR type) of each HTML document of a built filing, in submission order."""
    path = folder / MANIFEST
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = [
                (str(d["file"]), str(d.get("type", "")))
                for d in data.get("documents", [])
                if str(d.get("file", "")).lower().endswith((".htm", ".html"))
            ]
            if found:
                return found
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    return [(p.name, "") for p in sorted(folder.glob("*.htm*")) if p.is_file()]


def _kind(edgar_type: str) -> str:
    return "8-K" if edgar_type.upper().startswith("8-K") else edgar_type.upper()


def _pair_documents(
    old: list[tuple[str, str]], new: list[tuple[str, str]]
) -> list[tuple[tuple[str, str] | None, tuple[str, str] | None]]:
    """Each document of the later version with its earlier self (by EDGAR type, else name);
    those of only one version alone. Removed documents come last."""
    left = list(old)
    pairs: list[tuple[tuple[str, str] | None, tuple[str, str] | None]] = []
    for doc in new:
        match = next((o for o in left if o[1] and _kind(o[1]) == _kind(doc[1])), None)
        if match is None:
            match = next((o for o in left if o[0] == doc[0]), None)
        if match is not None:
            left.remove(match)
        pairs.append((match, doc))
    pairs += [(doc, None) for doc in left]
    return pairs


def _is_report(*docs: tuple[str, str] | None) -> bool:
    return any(doc is not None and _kind(doc[1]) == "8-K" for doc in docs)


def _label(a: tuple[str, str] | None, b: tuple[str, str] | None) -> str:
    doc = b or a
    assert doc is not None
    kind = doc[1].upper()
    if kind.startswith("8-K"):
        name = f"Form {doc[1]}"
    elif kind.startswith("EX-"):
        name = f"Exhibit {doc[1][3:]}"
    else:
        name = doc[1] or "Document"
    files = doc[0] if a is None or b is None or a[0] == b[0] else f"{a[0]} \u2192 {b[0]}"
    return f"{name} ({files})"


def _stem(docs: list[tuple[str, str]]) -> str:
    if not docs:
        return "filing"
    return Path(docs[0][0]).stem


def _title(folder: Path, docs: list[tuple[str, str]]) -> str | None:
    if not docs:
        return None
    try:
        text = (folder / docs[0][0]).read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    match = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    if match is None:
        return None
    import html as html_module

    return " ".join(html_module.unescape(match.group(1)).split())


def _images(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
    }


def _read(
    doc: tuple[str, str] | None, content: bytes | None, side: str, images: dict[str, bytes]
) -> Document | None:
    if doc is None or content is None:
        return None
    return read_document(doc[0], content, side=side, images=images)


def fact_changes(old: bytes | None, new: bytes | None) -> list[FactChange]:
    """The cover facts whose value differs between two versions of the 8-K, as Inline XBRL
    reads them (a fact is the same fact when its concept and dimensions are)."""
    from form8k.xbrl.labels import LABELS

    before, after = _facts(old), _facts(new)
    found: list[FactChange] = []
    for key in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(key), after.get(key)
        old_value = a[0] if a is not None else None
        new_value = b[0] if b is not None else None
        if a is not None and b is not None and old_value == new_value:
            continue
        concept, dimensions = key
        members = ", ".join(
            LABELS.get(member, member) for _, member in sorted(dimensions, key=lambda d: d[0])
        )
        found.append(
            FactChange(
                len(found) + 1,
                concept,
                LABELS.get(concept, concept),
                members,
                old_value,
                new_value,
                a[1] if a is not None else None,
                b[1] if b is not None else None,
            )
        )
    return found


def _facts(
    content: bytes | None,
) -> dict[tuple[str, frozenset[tuple[str, str]]], tuple[str, str | None]]:
    """(concept, dimensions) -> (value, fact id) of an Inline XBRL document's facts."""
    if content is None or b"inlineXBRL" not in content:
        return {}
    from lxml import etree

    from form8k.xbrl.readback import read_document as read_facts

    try:
        facts, contexts, _, _ = read_facts(content)
    except etree.XMLSyntaxError:
        return {}
    dimensions = {context.id: context.dimensions for context in contexts}
    found: dict[tuple[str, frozenset[tuple[str, str]]], tuple[str, str | None]] = {}
    for fact in facts:
        key = (fact.concept, dimensions.get(fact.context, frozenset()))
        value = fact.value if fact.value is not None else "(unreadable)"
        found.setdefault(key, (value, fact.id))
    return found


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _page(
    title: str,
    old: Version,
    new: Version,
    documents: list[DocumentBlackline],
    facts: list[FactChange],
    totals: Counts,
) -> str:
    environment = _environment()
    css = Markup((TEMPLATES / "blackline.css").read_text(encoding="utf-8"))
    template = environment.get_template("blackline.htm.j2")
    return str(
        template.render(
            title=title,
            old=old,
            new=new,
            documents=documents,
            facts=facts,
            totals=totals,
            css=css,
        )
    )


def _print(
    page: str,
    stem: str,
    title: str,
    old: Version,
    new: Version,
    images: dict[str, bytes],
    printer: PdfRenderer,
) -> tuple[bytes | None, list[str]]:
    """The blackline as a PDF, printed with form8k's print stylesheet and bundled fonts."""
    from form8k.pdf import PrintDocument

    name = f"{stem}-blackline.htm"
    document = PrintDocument(
        name=name,
        html=page,
        title=f"Blackline: {title}",
        author="form8k compare",
        description=f"Blackline of {new.label} against {old.label}",
        keywords=("blackline", "not for filing"),
    )
    # The printer reads files only under its root: the images are put there for it.
    with tempfile.TemporaryDirectory(dir=printer.root) as folder:
        files = {}
        for image, data in images.items():
            (Path(folder) / image).write_bytes(data)
            files[image] = Path(folder) / image
        printed = printer.print_filing([document], files=files, title=f"Blackline: {title}")
    problems = [problem.message for problem in printed.problems]
    return printed.documents.get(name), problems


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"
