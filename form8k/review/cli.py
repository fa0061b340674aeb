"""``form8k compare`` and ``form8k import``; ``register(cli_group)`` adds them to form8k's
commands. Also what ``build --draft`` needs: ``draft_option`` and ``draft_mark``.

Exit status: 0 when done, 1 when a filing could not be compared (it does not build in one of
the versions), 2 for a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

#: Kept light: form8k's command line imports this module for every command, so the comparison
#: and the import (lxml, mammoth, python-docx) are imported only when their command runs.
FORMATS = ("html", "pdf")
#: The command's name (``import`` is a Python keyword).
IMPORT = "import"


def register(cli_group: click.Group) -> None:
    """Add ``compare`` and ``import`` to form8k's command group."""
    cli_group.add_command(compare_command)
    cli_group.add_command(import_command)


def _project(obj: Any) -> Any:
    """The command group's project (``form8k --project``), or the current folder's."""
    if obj is not None and hasattr(obj, "project"):
        return obj.project()
    from form8k.project import Project

    return Project.at(Path("."))


@click.command("compare")
@click.argument("versions", nargs=-1, metavar="OLD [NEW] [FILING]...")
@click.option(
    "--amendment",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="An 8-K/A's folder: its blackline against the filing it amends.",
)
@click.option(
    "--original",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --amendment: the filing it amends (default: the one beside it, by name).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the blacklines (default: output/.blackline/ in the project).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Write only this format (repeatable; default: html and pdf).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="A blackline for every filing compared, even one without changes.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for building the versions (default: one per core).",
)
@click.pass_obj
def compare_command(
    obj: Any,
    versions: tuple[str, ...],
    amendment: Path | None,
    original: Path | None,
    out: Path | None,
    formats: tuple[str, ...],
    everything: bool,
    jobs: int | None,
) -> None:
    """Blacklines of the filings between two versions, as HTML and PDF.

    OLD and NEW are git revisions (HEAD~1, a tag, a commit) or folders (a project, a filing's
    folder, a built filing); NEW is the working tree when left out. FILING limits the
    comparison to the filings at or below a folder of content/ (a filing named right after
    OLD is compared with the working tree). With --amendment, an 8-K/A against the filing it
    amends. Each blackline goes to output/.blackline/<filing>/: never part of a submission."""
    from form8k.pipeline import default_jobs
    from form8k.review.compare import compare

    project = _project(obj)
    old: str | None = None
    new: str | None = None
    filings: list[str] = []
    if amendment is not None:
        if versions:
            raise click.UsageError("--amendment compares two filings: name no version with it")
    else:
        if not versions:
            raise click.UsageError("name the earlier version: a git revision or a folder")
        old, new, filings = _split(project, versions)
    report = compare(
        project,
        old,
        new,
        filings,
        out=out,
        formats=formats or FORMATS,
        amendment=amendment,
        original=original,
        jobs=jobs or default_jobs(),
        everything=everything,
    )
    click.echo(f"compared {report.new.label} with {report.old.label}")
    written = 0
    for result in report.results:
        if result.problems:
            click.echo(f"failed    {result.key}: no blackline")
            for line in result.problems:
                click.echo(f"  {line}", err=True)
            continue
        if result.folder is not None:
            written += 1
            click.echo(
                f"blackline {result.key} -> {_shown(result.folder)}/ "
                f"({', '.join(result.files)}): {result.counts.describe()}"
                + (" (no changes)" if result.note == "no changes" else "")
            )
            for line in result.warnings:
                click.echo(f"  warning: {line}", err=True)
        else:
            label = "same     " if result.note == "no changes" else "skipped  "
            click.echo(f"{label} {result.key}: {result.note}")
    failed = report.failed
    compared = len(report.results)
    click.echo(
        f"{compared} filing{'s' * (compared != 1)} compared, {written} "
        f"blackline{'s' * (written != 1)} written, {failed} failed"
    )
    sys.exit(1 if failed else 0)


def _split(project: Any, versions: tuple[str, ...]) -> tuple[str, str | None, list[str]]:
    """OLD, NEW and the filings: a folder of content/ right after OLD is a filing (compared
    with the working tree), unless OLD is itself a filing."""
    old, rest = versions[0], list(versions[1:])
    if not rest:
        return old, None, []
    old_is_filing = Path(old).is_dir() and (
        (Path(old) / "filing.yaml").is_file() or (Path(old) / "manifest.json").is_file()
    )
    candidate = Path(rest[0]).resolve()
    inside = candidate.is_relative_to(project.content) and candidate.exists()
    if inside and not old_is_filing:
        return old, None, rest
    return old, rest[0], rest[1:]


@click.command(IMPORT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="The Markdown file to write, or a folder for it (default: beside SOURCE).",
)
@click.option(
    "--kind",
    type=click.Choice(("auto", "press-release", "document")),
    default="auto",
    show_default=True,
    help="A press release (headline, dateline...) or another exhibit; auto: a press release "
    "when a dateline opens a paragraph near the top.",
)
@click.option("--force", is_flag=True, help="Overwrite the Markdown and report if they exist.")
def import_command(source: Path, out: Path | None, kind: str, force: bool) -> None:
    """A Word document (.docx) as form8k Markdown with front matter, and a report of what it
    could not keep (tracked changes, comments, images, text boxes...) printed and written
    beside it."""
    from form8k.review.docx import write_import

    target, report_path, imported, report = write_import(source, out, kind=kind, force=force)
    click.echo(f"wrote  {_shown(target)}")
    click.echo(report, nl=False)
    click.echo(f"wrote  {_shown(report_path)}")
    exhibit = "kind: press-release" if imported.kind == "press-release" else "kind: document"
    click.echo(
        f"next: list it in the filing's exhibits (source: {target.name}, {exhibit}) and build"
    )


# --- build --draft -----------------------------------------------------------------------------


def draft_option(command: Any) -> Any:
    """``--draft`` for ``build``."""
    return click.option(
        "--draft",
        is_flag=True,
        help="Draft proofs: DRAFT, the version and the time on every page of the PDFs (the "
        "HTML stays as filed); package and submit refuse the output.",
    )(command)


def draft_mark(project: Any, draft: bool) -> Any:
    """The mark of a ``--draft`` build of ``project`` now, or None without ``--draft``."""
    if not draft:
        return None
    from form8k.review.draft import DraftMark

    return DraftMark.current(project.root)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
