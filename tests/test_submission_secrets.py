"""The credentials: only from the environment or a secrets file outside the repository, never
shown; the tokens' expiry read from the tokens."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from form8k.submission.secrets import (
    Secret,
    SecretsError,
    TokenExpiry,
    expiry_notes,
    load_credentials,
    redact,
    token_expiry,
)

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def jwt(claims: dict[str, object]) -> str:
    """An (unsigned) JWT with these claims: header.payload.signature."""

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "filings"
    (root / "content").mkdir(parents=True)
    (root / ".git").mkdir()
    return root


def test_environment_first_then_the_secrets_file(project: Path, tmp_path: Path) -> None:
    secrets = tmp_path / "home" / "edgar.toml"
    secrets.parent.mkdir()
    secrets.write_text(
        'filer_token = "file-filer"\nuser_token = "file-user"\nccc = "abcd#123"\n'
        '[ccc_by_cik]\n"22606" = "zzzz@999"\n'
    )
    os.chmod(secrets, 0o600)
    environ = {"FORM8K_EDGAR_SECRETS": str(secrets), "FORM8K_EDGAR_USER_TOKEN": "env-user"}
    credentials = load_credentials(project, environ=environ)
    filer, user = credentials.tokens()
    assert (filer.reveal(), user.reveal()) == ("file-filer", "env-user")
    assert credentials.origin["user token"] == "FORM8K_EDGAR_USER_TOKEN"
    assert credentials.ccc("0001987654", filer=True).reveal() == "abcd#123"
    assert credentials.ccc("22606", filer=False).reveal() == "zzzz@999"
    with pytest.raises(SecretsError, match="FORM8K_EDGAR_CCC_0000000001"):
        credentials.ccc("1", filer=False)


def test_beta_has_its_own_credentials(project: Path, tmp_path: Path) -> None:
    secrets = tmp_path / "edgar.toml"
    secrets.write_text(
        'filer_token = "prod"\nuser_token = "prod-user"\n'
        '[beta]\nfiler_token = "beta"\nuser_token = "beta-user"\nccc = "beta#123"\n'
    )
    os.chmod(secrets, 0o600)
    beta = load_credentials(project, environment="beta", environ={}, secrets_file=secrets)
    assert [t.reveal() for t in beta.tokens()] == ["beta", "beta-user"]
    assert beta.ccc("1", filer=True).reveal() == "beta#123"
    edgar = load_credentials(project, environ={}, secrets_file=secrets)
    assert [t.reveal() for t in edgar.tokens()] == ["prod", "prod-user"]
    with pytest.raises(SecretsError, match="no CCC"):
        edgar.ccc("1", filer=True)


def test_a_co_registrants_ccc_from_the_environment(project: Path) -> None:
    environ = {"FORM8K_EDGAR_CCC": "main#123", "FORM8K_EDGAR_CCC_0000022606": "coreg#12"}
    credentials = load_credentials(project, environ=environ, secrets_file=None)
    assert credentials.ccc("22606", filer=False).reveal() == "coreg#12"
    assert credentials.ccc("0001234567", filer=True).reveal() == "main#123"


@pytest.mark.parametrize("where", ["content/edgar.toml", "edgar.toml", "../edgar.toml"])
def test_a_secrets_file_in_the_repository_is_refused(project: Path, where: str) -> None:
    # the project is its own git work tree here; "../edgar.toml" is outside it and is read
    path = (project / where).resolve()
    path.write_text('filer_token = "x"\n')
    os.chmod(path, 0o600)
    if where.startswith(".."):
        assert load_credentials(project, environ={}, secrets_file=path).filer_token is not None
    else:
        with pytest.raises(SecretsError, match="outside the repository"):
            load_credentials(project, environ={}, secrets_file=path)


def test_a_secrets_file_inside_the_enclosing_git_work_tree_is_refused(tmp_path: Path) -> None:
    repository = tmp_path / "repository"
    (repository / ".git").mkdir(parents=True)
    project = repository / "filings"
    (project / "content").mkdir(parents=True)
    secrets = repository / "secrets.toml"
    secrets.write_text('filer_token = "x"\n')
    with pytest.raises(SecretsError, match="outside the repository"):
        load_credentials(project, environ={}, secrets_file=secrets)


def test_a_secrets_file_others_may_read_is_warned_about(project: Path, tmp_path: Path) -> None:
    secrets = tmp_path / "edgar.toml"
    secrets.write_text('filer_token = "x"\n')
    os.chmod(secrets, 0o644)
    warnings: list[str] = []
    load_credentials(project, environ={}, secrets_file=secrets, warn=warnings)
    assert warnings and "chmod 600" in warnings[0]


def test_missing_tokens_name_what_to_set(project: Path, tmp_path: Path) -> None:
    credentials = load_credentials(project, environ={"HOME": str(tmp_path)})
    with pytest.raises(SecretsError) as error:
        credentials.tokens()
    assert "FORM8K_EDGAR_FILER_TOKEN" in str(error.value)
    assert "FORM8K_EDGAR_USER_TOKEN" in str(error.value)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"FORM8K_EDGAR_CCC": "short"}, "8 characters"),
        ({"FORM8K_EDGAR_FILER_TOKEN": "a,b"}, "comma"),
        ({"FORM8K_EDGAR_USER_TOKEN": "a b"}, "comma or a space"),
    ],
)
def test_malformed_credentials_are_refused_without_showing_them(
    project: Path, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SecretsError, match=message) as error:
        load_credentials(project, environ=environ)
    for value in environ.values():
        assert value not in str(error.value)


def test_a_secret_never_shows_itself() -> None:
    secret = Secret("eyJ-very-secret")
    assert "very" not in repr(secret) and "very" not in str(secret) and "very" not in f"{secret}"
    assert redact("Bearer eyJ-very-secret,x", [secret]) == "Bearer ***,x"


def test_the_expiry_of_a_jwt_is_its_exp_claim() -> None:
    exp = int(dt.datetime(2026, 6, 4, tzinfo=dt.UTC).timestamp())
    expiry = token_expiry("user API token", Secret(jwt({"exp": exp, "sub": "user"})))
    assert expiry.expires == dt.datetime(2026, 6, 4, tzinfo=dt.UTC)
    assert expiry.source == "the token"


def test_a_jwe_tells_its_expiry_only_in_its_protected_header() -> None:
    header = base64.urlsafe_b64encode(json.dumps({"alg": "dir", "exp": 1900000000}).encode())
    token = header.decode().rstrip("=") + ".key.iv.ciphertext.tag"
    assert token_expiry("filer API token", Secret(token)).expires is not None
    plain = base64.urlsafe_b64encode(b'{"alg":"dir","enc":"A256GCM"}').decode().rstrip("=")
    assert token_expiry("filer API token", Secret(plain + "....")).source == "unknown"
    assert token_expiry("filer API token", Secret("opaque-token")).expires is None


def test_expired_is_an_error_and_a_week_ahead_a_warning() -> None:
    soon = TokenExpiry("user API token", NOW + dt.timedelta(days=3), "the token")
    later = TokenExpiry("filer API token", NOW + dt.timedelta(days=30), "the token")
    gone = TokenExpiry("filer API token", NOW - dt.timedelta(hours=1), "the token")
    unknown = TokenExpiry("user API token", None, "unknown")
    errors, warnings = expiry_notes([soon, later, unknown], NOW)
    assert errors == []
    assert len(warnings) == 1 and "user API token expires in 3 days" in warnings[0]
    errors, _ = expiry_notes([gone], NOW)
    assert errors and "expired" in errors[0]
