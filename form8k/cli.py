"""The command line: the one place where problems become messages and exit codes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from form8k import __version__
from form8k.errors import Form8kError, Problem, Severity, UsageError
from form8k.pipeline import FORMATS, BuildReport, Progress, Project, build, default_jobs
from form8k.results import FilingResult
from form8k.review.cli import draft_mark, draft_option
from form8k.review.cli import register as register_review
from form8k.submission.cli import register as register_submission

EXIT_INTERNAL = 70

if TYPE_CHECKING:
    from form8k.efm import EdgarSetup


class Context:
    """Options shared by every command."""

    def __init__(self, project: Path, debug: bool) -> None:
        self.project_path = project
        self.debug = debug

    def project(self) -> Project:
        return Project.at(self.project_path)


def _build(project: Project, **options: Any) -> BuildReport:
    """Run the pipeline; a project-wide problem (bad settings, bad paths) ends the command."""
    try:
        return build(project, **options)
    except Form8kError as error:
        if not error.problems:
            raise
        _echo_problems(error.problems, project.root)
        sys.exit(error.exit_code)


def _echo_problems(problems: list[Problem], root: Path) -> None:
    for problem in problems:
        click.echo(problem.display(root), err=True)


def _report(report: BuildReport, root: Path, *, strict: bool, debug: bool = False) -> int:
    _echo_problems(report.problems, root)
    for result in report.results:
        if result.internal is not None and debug:
            click.echo(result.internal, err=True, nl=False)
        if result.skipped:
            click.echo(f"kept   {result.key}: unchanged since the last build")
        elif result.ok:
            folder = report.out / result.key
            try:
                shown = folder.relative_to(Path.cwd())
            except ValueError:
                shown = folder
            click.echo(f"built  {result.key} -> {shown}/ ({', '.join(result.written)})")
            if result.changed:
                saved = ", ".join(_shown(path) for path in result.changed)
                click.echo(
                    f"note   {result.key}: {saved} changed while it was built: "
                    "built again next time"
                )
        else:
            click.echo(f"failed {result.key}: nothing written, previous output kept")
    for key in report.removed:
        click.echo(f"removed {key}: its content is gone")
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    built = len(report.results) - report.failed - report.skipped
    unchanged = f"{report.skipped} unchanged, " if report.skipped else ""
    click.echo(
        f"{built} built, {unchanged}{report.failed} failed; "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        + (" (--strict: warnings are errors)" if strict and warnings else "")
    )
    if report.internal:
        click.echo(
            "form8k: internal error (a bug) in the filings above"
            + ("" if debug else " (run with --debug for the traceback)"),
            err=True,
        )
        return EXIT_INTERNAL
    return 1 if report.failed or errors or (strict and warnings) else 0


#: The command group's own options, each with whether it takes a value.
_GROUP_OPTIONS = {"--project": True, "--debug": False}


def _build_options_first(args: list[str]) -> list[str]:
    """``form8k --force`` means ``form8k build --force``: an option before any command that is
    not the group's own is the build's."""
    index = 0
    while index < len(args):
        arg = args[index]
        name = arg.split("=", 1)[0]
        if name in _GROUP_OPTIONS:
            index += 2 if _GROUP_OPTIONS[name] and "=" not in arg else 1
            continue
        if arg.startswith("-") and arg not in ("-h", "--help", "--version", "--"):
            return [*args[:index], "build", *args[index:]]
        break
    return args


class _BuildByDefault(click.Group):
    """``form8k PATH...`` means ``form8k build PATH...``; no command at all builds everything.

    A first word that is no path but close to a command's name is a misspelt command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _build_options_first(args))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        from form8k.errors import did_you_mean

        if args and args[0] not in self.commands and not args[0].startswith("-"):
            hint = did_you_mean(args[0], self.commands)
            if hint and not Path(args[0]).exists():
                raise click.UsageError(f"no such command {args[0]!r}{hint}", ctx)
            return "build", self.commands["build"], args
        return super().resolve_command(ctx, args)


@click.group(
    cls=_BuildByDefault,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder holding content/ and templates/.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, prog_name="form8k")
@click.pass_context
def cli(ctx: click.Context, project: Path, debug: bool) -> None:
    """Build Form 8-K filings from content/ into EDGAR HTML and PDF (no command: build all)."""
    ctx.obj = Context(project, debug)
    if ctx.invoked_subcommand is None:
        ctx.invoke(build_command)


def _edgar_options(command: Any) -> Any:
    """--edgar and where the SEC's plugin and the taxonomies are."""
    for option in reversed(
        (
            click.option(
                "--edgar",
                is_flag=True,
                help="Also run EDGAR's own validation (the SEC's EDGAR plugin for Arelle).",
            ),
            click.option(
                "--edgar-plugin",
                type=click.Path(file_okay=False, path_type=Path),
                default=None,
                help="A checkout of github.com/Arelle/EDGAR (or FORM8K_EDGAR_PLUGIN, or "
                "edgar_plugin in form8k.yaml).",
            ),
            click.option(
                "--edgar-cache",
                type=click.Path(file_okay=False, path_type=Path),
                default=None,
                help="Standard taxonomies in Arelle's cache layout, to work offline (or "
                "FORM8K_EDGAR_CACHE, or edgar_cache in form8k.yaml).",
            ),
        )
    ):
        command = option(command)
    return command


def _edgar_setup(
    project: Project, edgar: bool, plugin: Path | None, cache: Path | None
) -> EdgarSetup | None:
    """The EDGAR plugin's setup for --edgar (None without it); a clear error when missing."""
    if not edgar:
        return None
    from form8k.efm import project_setup

    return project_setup(project.root, plugin, cache)


@cli.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: output/ in the project).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Write only this format (repeatable; default: html and pdf).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")
@click.option("--force", is_flag=True, help="Rebuild every filing, changed or not.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option(
    "--shard",
    metavar="K/N",
    default=None,
    help="Build only shard K of N (balanced by the filings' sizes), for CI runners; "
    "join the shards' outputs with `form8k merge`.",
)
@_edgar_options
@draft_option
@click.pass_obj
def build_command(
    obj: Context,
    paths: tuple[Path, ...] = (),
    out: Path | None = None,
    formats: tuple[str, ...] = (),
    strict: bool = False,
    force: bool = False,
    jobs: int | None = None,
    shard: str | None = None,
    edgar: bool = False,
    edgar_plugin: Path | None = None,
    edgar_cache: Path | None = None,
    draft: bool = False,
) -> None:
    """Build every filing, or those at or below PATHS; unchanged ones are kept as they are."""
    from form8k.shard import Shard

    part = Shard.parse(shard) if shard is not None else None
    project = obj.project()
    setup = _edgar_setup(project, edgar, edgar_plugin, edgar_cache)
    mark = draft_mark(project, draft)
    with _progress_bar() as progress:
        report = _build(
            project,
            out=out or project.root / "output",
            paths=paths,
            formats=formats or FORMATS,
            strict=strict,
            force=force,
            jobs=jobs or default_jobs(),
            progress=progress,
            edgar=setup,
            shard=part,
            draft=mark,
        )
    if part is not None:
        click.echo(f"shard {part}: {len(report.results)} filings of this shard")
    code = _report(report, project.root, strict=strict, debug=obj.debug)
    if mark is not None:
        click.echo(
            f'draft: every PDF page says "{mark.line}"; package and submit refuse this output '
            "until it is built without --draft"
        )
    sys.exit(code)


@cli.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The output folder to join the shards' outputs into.",
)
@click.pass_obj
def merge_command(obj: Context, shards: tuple[Path, ...], out: Path) -> None:
    """Join the output folders of `build --shard K/N` (all N shards) into one output folder,
    the same as one build of the whole project."""
    from form8k.shard import merge

    try:  # the project here, if any, is never written into, as a build would not
        protect = [obj.project()]
    except UsageError:
        protect = []
    report = merge(list(shards), out, protect=protect)
    root = Path.cwd()
    _echo_problems(report.problems, root)
    for key, part in report.merged:
        click.echo(f"merged {key} (shard {part})")
    for key, part in report.failed:
        click.echo(f"failed {key}: shard {part} did not build it; previous output kept")
    for key in report.removed:
        click.echo(f"removed {key}: its content is gone")
    errors = sum(1 for p in report.problems if p.severity is Severity.ERROR)
    shown = _shown(out)
    click.echo(
        f"{len(report.merged)} merged into {shown}/, {len(report.failed)} failed in their "
        f"shard; {errors} error{'s' * (errors != 1)}"
    )
    sys.exit(1 if errors or report.failed else 0)


@contextlib.contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A progress bar on an interactive terminal; nothing in CI or when output is piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("", total=None)

        def advance(result: FilingResult, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=result.key)

        yield advance


@cli.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (anything but loopback shows your drafts to the network).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.pass_obj
def serve_command(obj: Context, host: str, port: int) -> None:
    """Preview the filings in a browser, rebuilt and reloaded as you save (Ctrl-C to stop)."""
    from form8k.serve.server import serve

    serve(obj.project(), host=host, port=port, echo=click.echo, debug=obj.debug)


@cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "junit")),
    default="text",
    show_default=True,
    help="Report as compiler-style text, JSON, or JUnit XML.",
)
@_edgar_options
@click.pass_obj
def check_command(
    obj: Context,
    paths: tuple[Path, ...],
    strict: bool,
    output_format: str,
    edgar: bool = False,
    edgar_plugin: Path | None = None,
    edgar_cache: Path | None = None,
) -> None:
    """Check every filing (or those at or below PATHS) against Form 8-K's and EDGAR's rules
    (with --edgar, also through EDGAR's own validation)."""
    from form8k import report as reports

    project = obj.project()
    report = _build(
        project,
        out=project.root / "output",
        paths=paths,
        formats=("html",),
        strict=strict,
        write=False,
        jobs=default_jobs(),
        edgar=_edgar_setup(project, edgar, edgar_plugin, edgar_cache),
    )
    if output_format == "json":
        click.echo(reports.to_json(report, project.root, strict=strict), nl=False)
    elif output_format == "junit":
        click.echo(reports.to_junit(report, project.root, strict=strict), nl=False)
    else:
        for problem in report.problems:
            click.echo(problem.display(project.root))
        for result in report.results:
            click.echo(reports.summary_line(result))
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    if report.internal:
        sys.exit(EXIT_INTERNAL)  # every filing's result is reported above
    sys.exit(1 if errors or report.failed or (strict and warnings) else 0)


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--company", default="example", show_default=True, help="The first company's folder.")
def init_command(folder: Path, company: str) -> None:
    """Make a filings repository in FOLDER: content/ with a sample company profile,
    form8k.yaml, a CI workflow, .gitignore and the content files' JSON Schemas."""
    from form8k.scaffold import init

    for path in init(folder, company=company):
        click.echo(f"wrote  {_shown(path)}")
    click.echo("next: replace the placeholders in the company profile, then `form8k new filing`")


@cli.group("new")
def new_group() -> None:
    """Start a company, a filing or an amendment from content that builds at once."""


@new_group.command("company")
@click.argument("key")
@click.option("--name", default=None, help="The registrant's exact name.")
@click.pass_obj
def new_company_command(obj: Context, key: str, name: str | None) -> None:
    """content/KEY/company.yaml, with placeholders to replace."""
    from form8k.scaffold import new_company

    click.echo(f"wrote  {_shown(new_company(obj.project(), key, name=name))}")


@new_group.command("filing")
@click.argument("company", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--items",
    default="8.01",
    show_default=True,
    help="The items reported, comma-separated (e.g. 2.02,9.01; 9.01 adds Exhibit 99.1).",
)
@click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date of report, YYYY-MM-DD (default: today).",
)
@click.option(
    "--from",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="An earlier filing to start from: its items and exhibits, new dates.",
)
@click.option("--name", default=None, help="The new filing's folder name.")
@click.pass_obj
def new_filing_command(
    obj: Context,
    company: Path | None,
    items: str,
    date: dt.datetime | None,
    source: Path | None,
    name: str | None,
) -> None:
    """A filing folder under COMPANY (the only company when there is one)."""
    from form8k.scaffold import new_filing

    day = date.date() if date else dt.date.today()
    folder = new_filing(
        obj.project(),
        company,
        items=[item.strip() for item in items.split(",") if item.strip()],
        date=day,
        source=source,
        name=name,
    )
    click.echo(f"wrote  {_shown(folder)}/")


@new_group.command("amendment")
@click.argument("filing", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def new_amendment_command(obj: Context, filing: Path) -> None:
    """An 8-K/A of FILING, beside it, with an explanatory note to write."""
    from form8k.scaffold import new_amendment

    folder = new_amendment(obj.project(), filing, today=dt.date.today())
    click.echo(f"wrote  {_shown(folder)}/")


@cli.command("schema")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".form8k/schemas"),
    show_default=True,
    help="Folder for the JSON Schemas.",
)
def schema_command(out: Path) -> None:
    """Write the JSON Schemas of company.yaml, filing.yaml and the front matter."""
    from form8k.schema import write_schemas

    for path in write_schemas(out):
        click.echo(f"wrote  {_shown(path)}")


register_submission(cli)
register_review(cli)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: list[str] | None = None) -> None:
    """Run the command line; errors become messages and exit codes, never tracebacks."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="form8k", standalone_mode=False)
        sys.exit(0)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2 if isinstance(error, click.UsageError) else error.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except Form8kError as error:
        if error.problems:
            _echo_problems(error.problems, Path.cwd())
        else:
            click.echo(f"form8k: error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as error:
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"form8k: internal error: {type(error).__name__}: {error} "
                "(run with --debug for the traceback)",
                err=True,
            )
        sys.exit(EXIT_INTERNAL)
