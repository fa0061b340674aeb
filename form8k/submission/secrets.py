"""EDGAR's credentials: the filer and user API tokens and the CCCs, never from content.

They come from the environment or from a secrets file outside the repository, and only from
there:

==============================  ===========================================================
``FORM8K_EDGAR_FILER_TOKEN``    the filer API token (a technical administrator makes it)
``FORM8K_EDGAR_USER_TOKEN``     the user API token (each user makes their own)
``FORM8K_EDGAR_CCC``            the filer's CCC (the CIK confirmation code)
``FORM8K_EDGAR_CCC_<CIK>``      the CCC of the registrant with that CIK (10 digits), e.g. a
                                co-registrant's
``FORM8K_EDGAR_SECRETS``        the secrets file (default ``~/.config/form8k/edgar.toml``)
==============================  ===========================================================

The secrets file is TOML; the environment wins over it. Its top level is for EDGAR itself, its
``[beta]`` table for EDGAR's beta environment (whose tokens and CCCs are its own)::

    filer_token = "..."
    user_token = "..."
    ccc = "..."                    # the filer's
    [ccc_by_cik]
    "0000022606" = "..."           # a co-registrant's
    [beta]
    filer_token = "..."
    user_token = "..."
    ccc = "..."

A secrets file inside the project (or inside the git work tree that holds it) is refused: it
would be one ``git add`` away from being published. One that others may read is warned about.

A value is a :class:`Secret`: its ``str`` and ``repr`` are ``***``; only ``reveal()`` gives it,
and only where a request or the envelope needs it. :func:`redact` takes every known secret out
of a text (what EDGAR sends back is passed through it before it is shown).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from form8k.errors import Form8kError, UsageError

FILER_TOKEN_ENV = "FORM8K_EDGAR_FILER_TOKEN"
USER_TOKEN_ENV = "FORM8K_EDGAR_USER_TOKEN"
CCC_ENV = "FORM8K_EDGAR_CCC"
SECRETS_ENV = "FORM8K_EDGAR_SECRETS"

#: How long before a token's expiry the commands warn.
EXPIRY_WARNING = dt.timedelta(days=7)

#: The environments whose credentials the secrets file keeps apart.
ENVIRONMENTS = ("edgar", "beta")


class SecretsError(Form8kError):
    """A credential is missing, malformed, or kept where it must not be."""


class Secret:
    """A credential: shown as ``***`` everywhere; ``reveal()`` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret is not pickled")


@dataclass(frozen=True)
class TokenExpiry:
    """When a token expires, as far as can be known, and where that was read."""

    name: str
    """"filer API token" or "user API token"."""
    expires: dt.datetime | None
    source: str
    """"the token" (its JWT ``exp``), "EDGAR" (the credentials check), or "unknown"."""

    def remaining(self, now: dt.datetime) -> dt.timedelta | None:
        return None if self.expires is None else self.expires - now


@dataclass(frozen=True)
class Credentials:
    """What a submission needs: the two tokens and the CCC of each registrant by CIK."""

    filer_token: Secret | None
    user_token: Secret | None
    cccs: dict[str, Secret] = field(default_factory=dict)
    """CCC by 10-digit CIK; ``""`` is the filer's CCC given without a CIK (FORM8K_EDGAR_CCC)."""
    origin: dict[str, str] = field(default_factory=dict)
    """Where each credential came from (an environment variable's name or the file), by what
    it is ("filer token", "user token", "CCC of 0001234567"): never the value."""

    def ccc(self, cik: str, *, filer: bool) -> Secret:
        """The CCC of ``cik``: its own, else (for the filer) FORM8K_EDGAR_CCC."""
        cik = cik.zfill(10)
        found = self.cccs.get(cik) or (self.cccs.get("") if filer else None)
        if found is None:
            names = f"{CCC_ENV}_{cik}" + (f" (or {CCC_ENV})" if filer else "")
            raise SecretsError(
                f"no CCC for CIK {cik}: set {names}, or add it to the secrets file "
                f"({SECRETS_ENV}, outside the repository). The CCC never comes from content."
            )
        return found

    def tokens(self) -> tuple[Secret, Secret]:
        """Both API tokens, or a SecretsError naming what to set."""
        missing = [
            env
            for env, token in (
                (FILER_TOKEN_ENV, self.filer_token),
                (USER_TOKEN_ENV, self.user_token),
            )
            if token is None
        ]
        if missing:
            raise SecretsError(
                "EDGAR's API needs the filer API token and the user API token: set "
                + " and ".join(missing)
                + f", or put them in the secrets file ({SECRETS_ENV}, outside the repository)"
            )
        assert self.filer_token is not None and self.user_token is not None
        return self.filer_token, self.user_token

    def secrets(self) -> list[Secret]:
        """Every credential held, for :func:`redact`."""
        held = [self.filer_token, self.user_token, *self.cccs.values()]
        return [s for s in held if s is not None]


def default_secrets_file(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME", "~")) / ".config")
    return Path(base).expanduser() / "form8k" / "edgar.toml"


def load_credentials(
    project_root: Path,
    *,
    environment: str = "edgar",
    environ: Mapping[str, str] | None = None,
    secrets_file: Path | None = None,
    warn: list[str] | None = None,
) -> Credentials:
    """The credentials for ``environment`` ("edgar" or "beta"): the environment's variables,
    else the secrets file's values. ``warn`` collects warnings (a file others may read)."""
    env = os.environ if environ is None else environ
    if environment not in ENVIRONMENTS:
        raise UsageError(f"unknown EDGAR environment {environment!r}")
    explicit = secrets_file or (Path(env[SECRETS_ENV]) if env.get(SECRETS_ENV) else None)
    path = (explicit or default_secrets_file(env)).expanduser()
    table: dict[str, object] = {}
    if path.is_file():
        table = _read_secrets_file(path, project_root, warn)
        if environment == "beta":
            beta = table.get("beta", {})
            if not isinstance(beta, dict):
                raise SecretsError(f"{path}: [beta] must be a table")
            table = beta
    elif explicit is not None:
        raise SecretsError(f"the secrets file {path} does not exist")
    origin: dict[str, str] = {}

    def pick(name: str, env_name: str, key: str) -> Secret | None:
        value = env.get(env_name)
        if value:
            origin[name] = env_name
        else:
            raw = table.get(key)
            if raw is not None and not isinstance(raw, str):
                raise SecretsError(f"{path}: {key} must be a string")
            value = raw
            if value:
                origin[name] = str(path)
        return _checked(name, value.strip()) if value else None

    filer = pick("filer token", FILER_TOKEN_ENV, "filer_token")
    user = pick("user token", USER_TOKEN_ENV, "user_token")
    cccs: dict[str, Secret] = {}
    own = pick("CCC", CCC_ENV, "ccc")
    if own is not None:
        cccs[""] = own
    by_cik = table.get("ccc_by_cik", {})
    if not isinstance(by_cik, dict):
        raise SecretsError(f'{path}: [ccc_by_cik] must be a table of CIK = "CCC"')
    for cik, value in by_cik.items():
        if not re.fullmatch(r"\d{1,10}", str(cik)) or not isinstance(value, str):
            raise SecretsError(f"{path}: [ccc_by_cik] must map CIKs (digits) to CCCs (strings)")
        cccs[str(cik).zfill(10)] = Secret(value.strip())
        origin[f"CCC of {str(cik).zfill(10)}"] = str(path)
    prefix = f"{CCC_ENV}_"
    for name, value in env.items():
        if name.startswith(prefix) and re.fullmatch(r"\d{1,10}", name[len(prefix) :]) and value:
            cik = name[len(prefix) :].zfill(10)
            cccs[cik] = Secret(value.strip())
            origin[f"CCC of {cik}"] = name
    for key, ccc in cccs.items():
        if len(ccc.reveal()) != 8:
            where = origin.get(f"CCC of {key}") or origin.get("CCC", "")
            raise SecretsError(f"the CCC from {where} is not 8 characters long (EDGAR's CCCs are)")
    return Credentials(filer, user, cccs, origin)


def _checked(name: str, value: str) -> Secret:
    if name.endswith("token") and ("," in value or any(c.isspace() for c in value)):
        raise SecretsError(
            f"the {name} holds a comma or a space: paste the token alone, as EDGAR Filer "
            "Management shows it"
        )
    return Secret(value)


def _read_secrets_file(path: Path, project_root: Path, warn: list[str] | None) -> dict[str, object]:
    resolved = path.resolve()
    for guarded in _guarded_folders(project_root):
        if resolved.is_relative_to(guarded):
            raise SecretsError(
                f"the secrets file {path} is inside {guarded}: keep it outside the repository "
                f"(e.g. {default_secrets_file(os.environ)}, or name it with {SECRETS_ENV})"
            )
    mode = resolved.stat().st_mode
    if warn is not None and mode & (stat.S_IRWXG | stat.S_IRWXO):
        warn.append(f"the secrets file {path} may be read by others: chmod 600 {path}")
    try:
        return tomllib.loads(resolved.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SecretsError(f"{path}: not a TOML file ({error})") from None


def _guarded_folders(project_root: Path) -> list[Path]:
    """The project and the git work tree that holds it (if any)."""
    root = project_root.resolve()
    folders = [root]
    for parent in (root, *root.parents):
        if (parent / ".git").exists():
            folders.append(parent)
            break
    return folders


# --- expiry -----------------------------------------------------------------------------------


def _b64url_json(part: str) -> dict[str, object] | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def token_expiry(name: str, token: Secret) -> TokenExpiry:
    """When ``token`` expires, read from the token: a JWT's ``exp`` claim, or an ``exp`` in the
    protected header of a JWE (whose claims are encrypted); else unknown."""
    parts = token.reveal().split(".")
    claims: dict[str, object] | None = None
    if len(parts) == 3:
        claims = _b64url_json(parts[1])
    elif len(parts) == 5:
        claims = _b64url_json(parts[0])
    exp = claims.get("exp") if claims else None
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        return TokenExpiry(name, dt.datetime.fromtimestamp(exp, dt.UTC), "the token")
    return TokenExpiry(name, None, "unknown")


def expiry_notes(expiries: Iterable[TokenExpiry], now: dt.datetime) -> tuple[list[str], list[str]]:
    """(errors, warnings) about the tokens' expiry: expired, or expiring within a week."""
    errors: list[str] = []
    warnings: list[str] = []
    for expiry in expiries:
        left = expiry.remaining(now)
        if left is None or expiry.expires is None:
            continue
        when = expiry.expires.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        if left <= dt.timedelta(0):
            errors.append(
                f"the {expiry.name} expired on {when} (read from {expiry.source}): make a new "
                "one in EDGAR Filer Management"
            )
        elif left <= EXPIRY_WARNING:
            days = left.days
            span = f"in {days} day{'s' * (days != 1)}" if days else "within a day"
            warnings.append(
                f"the {expiry.name} expires {span}, on {when} (read from {expiry.source}): make "
                "a new one in EDGAR Filer Management before then"
            )
    return errors, warnings


# --- redaction --------------------------------------------------------------------------------


def redact(text: str, secrets: Iterable[Secret]) -> str:
    """``text`` with every secret's value replaced by ``***``."""
    for secret in sorted(secrets, key=lambda s: -len(s.reveal())):
        value = secret.reveal()
        if value:
            text = text.replace(value, "***")
    return text
