"""``form8k package`` and ``form8k submit``: a built filing to EDGAR's submission API.

``register(cli_group)`` adds both commands to form8k's command group.

- ``package FILING`` builds the filing if it changed, then writes its EDGARLink Online XML
  envelope (TEST unless ``--live``) beside its output folder: ``output/<filing>.submission.xml``,
  readable by its owner alone (it holds the CCC).
- ``submit FILING --test`` does the same in memory, sends the envelope to EDGAR's submission
  API and polls its status until EDGAR is done: ACCEPTED, or SUSPENDED with EDGAR's reasons.
  ``--live`` files for real, and only with ``--confirm-live``, a clean ``check --strict`` and a
  clean run of EDGAR's own validation (the SEC's EDGAR plugin; without it ``--live`` is
  refused). ``--beta`` sends to EDGAR's beta environment, with its own tokens; ``--api URL``
  to any other (a local test server).

Exit status: 0 when EDGAR accepted the submission (or the envelope was written), 1 when it was
refused, suspended, or a check failed, 2 for a usage error.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from form8k.errors import Form8kError, Problem, Severity, UsageError
from form8k.submission.secrets import Secret, redact

API_ENV = "FORM8K_EDGAR_API"
SUFFIX = ".submission.xml"


def register(cli_group: click.Group) -> None:
    """Add ``package`` and ``submit`` to form8k's command group."""
    cli_group.add_command(package_command)
    cli_group.add_command(submit_command)


class _Output:
    """Everything the commands print goes through here: no secret ever reaches the terminal."""

    def __init__(self) -> None:
        self.secrets: list[Secret] = []

    def know(self, secrets: Iterable[Secret]) -> None:
        self.secrets.extend(secrets)

    def __call__(self, text: str, *, err: bool = False) -> None:
        click.echo(redact(text, self.secrets), err=err)


def _envelope_options(command: Any) -> Any:
    for option in reversed(
        (
            click.option(
                "--contact-name",
                default=None,
                help="Who EDGAR's staff may call (default: the filing's signatory); at most 30 "
                "characters.",
            ),
            click.option(
                "--contact-phone",
                default=None,
                help="Their telephone number (default: the registrant's).",
            ),
            click.option(
                "--notify",
                "notify",
                multiple=True,
                metavar="EMAIL",
                help="An address EDGAR e-mails the result to (repeatable).",
            ),
            click.option(
                "--beta",
                is_flag=True,
                help="For EDGAR's beta environment: its API and its own tokens and CCCs.",
            ),
            click.option(
                "--secrets",
                "secrets_file",
                type=click.Path(dir_okay=False, path_type=Path),
                default=None,
                help="The secrets file (default: FORM8K_EDGAR_SECRETS, else "
                "~/.config/form8k/edgar.toml); never inside the repository.",
            ),
        )
    ):
        command = option(command)
    return command


# --- the commands -----------------------------------------------------------------------------


@click.command("package")
@click.argument("filing", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the envelope (default: output/<filing>.submission.xml).",
)
@click.option(
    "--live",
    is_flag=True,
    help="Mark the envelope LIVE instead of TEST (it is written, not sent).",
)
@_envelope_options
@click.pass_obj
def package_command(
    obj: Any,
    filing: Path,
    out: Path | None,
    live: bool,
    contact_name: str | None,
    contact_phone: str | None,
    notify: tuple[str, ...],
    beta: bool,
    secrets_file: Path | None,
) -> None:
    """Write FILING's EDGAR submission envelope (EDGARLink Online XML), built from the same
    model as its documents: TEST unless --live."""
    from form8k.submission.envelope import Mode, summary

    say = _Output()
    with _reported(say):
        project = obj.project()
        folder = _one_filing(project, filing)
        key = project.key(folder)
        warnings: list[str] = []
        credentials = _credentials(project, beta, secrets_file, warnings, say)
        for warning in warnings:
            say(f"warning: {warning}", err=True)
        _build_or_stop(project, folder, say, strict=False)
        mode = Mode.LIVE if live else Mode.TEST
        envelope, xml = _envelope(
            project, folder, credentials, mode, contact_name, contact_phone, notify
        )
        say.know(envelope.secrets)
        target = out or project.root / "output" / f"{key}{SUFFIX}"
        _refuse_inside_content(project, target)
        _write_private(target, xml)
        say(f"packaged {key} -> {_shown(target)} ({mode.value}; {summary(envelope, len(xml))})")
        say(
            "note     the envelope holds the CCC: it is readable by you alone; never commit or "
            "share it"
        )
    sys.exit(0)


@click.command("submit")
@click.argument("filing", type=click.Path(path_type=Path))
@click.option(
    "--test", "mode_name", flag_value="TEST", default=True, help="A TEST filing (default)."
)
@click.option("--live", "mode_name", flag_value="LIVE", help="A LIVE filing: needs --confirm-live.")
@click.option(
    "--confirm-live",
    is_flag=True,
    help="Yes, file this for real (with --live; the filing must also pass check --strict and "
    "EDGAR's own validation).",
)
@click.option(
    "--api",
    default=None,
    metavar="URL",
    help=f"EDGAR's API (default: {API_ENV}, else https://api.edgarfiling.sec.gov; --beta: "
    "https://api-bravo.edgarfiling.sec.gov).",
)
@click.option(
    "--poll",
    "poll_accession",
    default=None,
    metavar="ACCESSION",
    help="Submit nothing: poll the status of an earlier submission until it is final.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Seconds between status requests.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=900.0,
    show_default=True,
    help="Seconds to wait for a final status.",
)
@click.option(
    "--edgar-plugin",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="For --live: a checkout of github.com/Arelle/EDGAR (or FORM8K_EDGAR_PLUGIN, or "
    "edgar_plugin in form8k.yaml).",
)
@click.option(
    "--edgar-cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="For --live: standard taxonomies in Arelle's cache layout, to work offline.",
)
@_envelope_options
@click.pass_obj
def submit_command(
    obj: Any,
    filing: Path,
    mode_name: str,
    confirm_live: bool,
    api: str | None,
    poll_accession: str | None,
    poll_interval: float,
    timeout: float,
    edgar_plugin: Path | None,
    edgar_cache: Path | None,
    contact_name: str | None,
    contact_phone: str | None,
    notify: tuple[str, ...],
    beta: bool,
    secrets_file: Path | None,
) -> None:
    """Send FILING to EDGAR's submission API (--test by default) and wait for EDGAR's answer:
    ACCEPTED, or SUSPENDED with its reasons."""
    from form8k.submission.client import BETA_API, EDGAR_API, EdgarClient, check_base_url
    from form8k.submission.envelope import Mode, summary

    say = _Output()
    with _reported(say):
        mode = Mode(mode_name)
        if mode is Mode.LIVE and not confirm_live:
            raise UsageError(
                "--live files the submission for real: add --confirm-live to say so (a TEST "
                "filing first is wise: form8k submit FILING --test)"
            )
        if confirm_live and mode is not Mode.LIVE:
            raise UsageError("--confirm-live goes with --live")
        if api and beta:
            raise UsageError("give --api or --beta, not both")
        base_url = check_base_url(
            api or (BETA_API if beta else os.environ.get(API_ENV) or EDGAR_API)
        )
        project = obj.project()
        folder = _one_filing(project, filing)
        key = project.key(folder)
        warnings: list[str] = []
        credentials = _credentials(project, beta, secrets_file, warnings, say)
        filer_token, user_token = credentials.tokens()
        now = dt.datetime.now(dt.UTC)
        expiries = _token_expiries(filer_token, user_token)
        _expiry_or_stop(expiries, now, say, warnings)
        for warning in warnings:
            say(f"warning: {warning}", err=True)
        with EdgarClient(base_url, filer_token, user_token) as client:
            if poll_accession:
                say(f"polling  {poll_accession} at {base_url}")
                final = _wait(client, poll_accession, poll_interval, timeout, say)
                sys.exit(_result(final, say))
            if mode is Mode.LIVE:
                _live_gate(project, folder, say, edgar_plugin, edgar_cache)
            else:
                _build_or_stop(project, folder, say, strict=False)
            envelope, xml = _envelope(
                project, folder, credentials, mode, contact_name, contact_phone, notify
            )
            say.know(envelope.secrets)
            verification = client.verify(envelope.filer.cik)
            if verification is not None:
                if verification.can_file is False:
                    raise Form8kError(
                        f"EDGAR says these tokens may not file for CIK {envelope.filer.cik} "
                        "(credentials check: canFile false); nothing was submitted"
                    )
                more = _verified_expiries(expiries, verification)
                late: list[str] = []
                _expiry_or_stop(more, now, say, late)
                for warning in late:
                    if warning not in warnings:
                        say(f"warning: {warning}", err=True)
            where = "EDGAR's beta" if beta else base_url
            say(
                f"submit   {key} as a {mode.value} filing to {where}: {summary(envelope, len(xml))}"
            )
            receipt = client.submit(xml, mode)
            ids = ", ".join(
                f"{name} {value}"
                for name, value in (("tracking", receipt.tracking), ("locator", receipt.locator))
                if value
            )
            say(
                f"received accession number {receipt.accession}"
                + (f" (EDGAR Help Desk reference: {ids})" if ids else "")
            )
            final = _wait(client, receipt.accession, poll_interval, timeout, say)
        sys.exit(_result(final, say, mode.value))


# --- the steps --------------------------------------------------------------------------------


class _reported:
    """Errors of a command as messages, through the redacting output; then the exit code."""

    def __init__(self, say: _Output) -> None:
        self.say = say

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: object
    ) -> None:
        if isinstance(error, Form8kError):
            if error.problems:
                for problem in error.problems:
                    self.say(problem.display(Path.cwd()), err=True)
            else:
                self.say(f"form8k: error: {error}", err=True)
            sys.exit(error.exit_code)


def _one_filing(project: Any, path: Path) -> Path:
    from form8k.project import select

    folders = select(project, [path]).folders
    if len(folders) != 1:
        raise UsageError(
            f"{path}: {len(folders)} filings at or below this folder; name one filing's folder"
        )
    return folders[0]


def _credentials(
    project: Any, beta: bool, secrets_file: Path | None, warnings: list[str], say: _Output
) -> Any:
    from form8k.submission.secrets import load_credentials

    credentials = load_credentials(
        project.root,
        environment="beta" if beta else "edgar",
        secrets_file=secrets_file,
        warn=warnings,
    )
    say.know(credentials.secrets())
    return credentials


def _token_expiries(filer: Secret, user: Secret) -> list[Any]:
    from form8k.submission.secrets import token_expiry

    return [token_expiry("filer API token", filer), token_expiry("user API token", user)]


def _verified_expiries(known: list[Any], verification: Any) -> list[Any]:
    """EDGAR's expiry dates for the tokens whose own expiry could not be read."""
    from form8k.submission.secrets import TokenExpiry

    told = {
        "filer API token": verification.filer_token_expires,
        "user API token": verification.user_token_expires,
    }
    return [
        TokenExpiry(expiry.name, told[expiry.name], "EDGAR's credentials check")
        for expiry in known
        if expiry.expires is None and told.get(expiry.name) is not None
    ]


def _expiry_or_stop(
    expiries: list[Any], now: dt.datetime, say: _Output, warnings: list[str]
) -> None:
    from form8k.submission.secrets import SecretsError, expiry_notes

    errors, notes = expiry_notes(expiries, now)
    warnings.extend(notes)
    if errors:
        raise SecretsError("; ".join(errors) + "; nothing was submitted")


def _build_or_stop(
    project: Any, folder: Path, say: _Output, *, strict: bool, edgar: Any = None
) -> None:
    """Build the filing (kept when unchanged); stop on an error (and, ``strict``, a warning).
    A draft's output (``build --draft``) stops it first: proofs are never rebuilt into a
    submission behind the user's back."""
    from form8k.pipeline import build
    from form8k.review.draft import refuse_draft

    refuse_draft(project.root / "output" / project.key(folder))

    report = build(
        project, out=project.root / "output", paths=[folder], strict=strict, jobs=1, edgar=edgar
    )
    fatal = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    problems: list[Problem] = report.problems
    for problem in problems:
        say(problem.display(project.root), err=True)
    bad = [p for p in problems if p.severity in fatal]
    if report.failed or bad or report.internal:
        what = "check --strict" if strict else "the build"
        if edgar is not None:
            what = "EDGAR's own validation"
        raise Form8kError(
            f"{project.key(folder)} did not pass {what} ({len(bad)} problem"
            f"{'s' * (len(bad) != 1)} above): nothing was packaged or sent"
        )


def _live_gate(
    project: Any, folder: Path, say: _Output, plugin: Path | None, cache: Path | None
) -> None:
    """A LIVE filing needs a clean check --strict and a clean run of EDGAR's own validation."""
    from form8k.efm import EdgarPluginError, project_setup

    _build_or_stop(project, folder, say, strict=True)
    say(f"checked  {project.key(folder)}: check --strict is clean")
    try:
        setup = project_setup(project.root, plugin, cache)
    except EdgarPluginError as error:
        raise Form8kError(
            f"--live is refused: EDGAR's own validation cannot run here, and a LIVE filing "
            f"needs it clean. {error}"
        ) from None
    _build_or_stop(project, folder, say, strict=True, edgar=setup)
    say(f"checked  {project.key(folder)}: EDGAR's own validation is clean")


def _envelope(
    project: Any,
    folder: Path,
    credentials: Any,
    mode: Any,
    contact_name: str | None,
    contact_phone: str | None,
    notify: tuple[str, ...],
) -> tuple[Any, bytes]:
    from form8k.load import LoadError, load_filing
    from form8k.submission.envelope import (
        Contact,
        EnvelopeError,
        build_envelope,
        default_contact,
        envelope_xml,
        phone_number,
    )
    from form8k.submission.envelope import contact_name as checked_name

    try:
        bundle = load_filing(folder, content=project.content, root=project.root)
    except LoadError as error:
        raise Form8kError(error.problems) from None
    contact = default_contact(bundle)
    if contact_name is not None or contact_phone is not None:
        phone = phone_number(contact_phone) if contact_phone is not None else None
        if contact_phone is not None and not phone:
            raise EnvelopeError(f"--contact-phone {contact_phone!r} has no digits")
        contact = Contact(
            name=checked_name(contact_name)
            if contact_name
            else (contact.name if contact else None),
            phone=phone or (contact.phone if contact else None),
        )
    envelope = build_envelope(
        bundle,
        project.root / "output" / project.key(folder),
        lambda cik, filer: credentials.ccc(cik, filer=filer),
        mode=mode,
        contact=contact,
        notifications=notify,
    )
    return envelope, envelope_xml(envelope)


def _wait(client: Any, accession: str, interval: float, timeout: float, say: _Output) -> Any:
    from form8k.submission.client import PollTimeout

    waiting = [False]

    def update(status: Any) -> None:
        if status is None:
            if not waiting[0]:
                say(
                    "waiting  EDGAR's status service does not know the submission yet (404 "
                    "for a few seconds after a submission); asking again"
                )
                waiting[0] = True
            return
        if not status.final:
            say(f"status   {status.status}")

    try:
        return client.wait(accession, interval=interval, timeout=timeout, on_update=update)
    except PollTimeout as error:
        raise Form8kError(str(error)) from None


def _result(status: Any, say: _Output, sent: str = "") -> int:
    """Print the final status; the exit code (0 accepted, 1 otherwise)."""
    mode = (status.mode or sent).upper()
    what = f"{mode} filing" if mode in ("TEST", "LIVE") else "submission"
    if status.accepted:
        extra = (
            " (a TEST filing is checked like a live one and never disseminated)"
            if mode == "TEST"
            else ""
        )
        say(f"{status.status:<8} {status.accession}: EDGAR accepted the {what}{extra}")
    elif status.status == "SUSPENDED":
        say(
            f"SUSPENDED {status.accession}: EDGAR suspended the {what}; correct it and submit "
            "it again (whole)"
        )
    else:
        say(f"{status.status:<8} {status.accession}: EDGAR is done with the {what}")
    for message in status.messages:
        say(f"  {message.display()}")
    if status.notification and not status.accepted:
        say("EDGAR's notification:")
        for line in status.notification.splitlines():
            say(f"  | {line}".rstrip())
    return 0 if status.accepted else 1


# --- files ------------------------------------------------------------------------------------


def _refuse_inside_content(project: Any, target: Path) -> None:
    resolved = target.resolve()
    if resolved.is_relative_to(project.content.resolve()):
        raise UsageError(f"{target}: the envelope (it holds the CCC) may not go into content/")


def _write_private(path: Path, data: bytes) -> None:
    """Write ``path`` readable by its owner alone, whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name[:64]}.", suffix=".tmp", dir=path.parent
    )
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
