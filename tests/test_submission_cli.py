"""``form8k package`` and ``form8k submit`` end to end, against the fake EDGAR API on loopback.

No token and no CCC ever appears in what the commands print or log (every test that submits
looks)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from form8k.cli import cli
from form8k.pipeline import Project, build
from form8k.submission.cli import register
from form8k.submission.client import EdgarClient
from form8k.submission.envelope import COREG, Mode, documents_of, schema_errors
from form8k.submission.secrets import Secret
from tests.conftest import FILING_YAML, REPO, copy_examples
from tests.fake_edgar import FakeEdgar

FILER = "filer-token-AAAA1111"
USER = "user-token-BBBB2222"
CCC = "lr#12345"
LUMEN = "lumen-ridge/2025-11-06-q3-results"
LUMEN_CIK = "0001987654"

Run = Callable[..., tuple[int, str, str]]


def jwt(exp: dt.datetime, name: str) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"sub": name, "exp": int(exp.timestamp())}
    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


@pytest.fixture(autouse=True)
def commands() -> Iterator[None]:
    """form8k's command group with ``package`` and ``submit`` (form8k/cli.py registers them)."""
    added = [name for name in ("package", "submit") if name not in cli.commands]
    register(cli)
    yield
    for name in added:
        cli.commands.pop(name, None)


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials but the test's: a HOME of its own, none of the FORM8K_EDGAR_ variables."""
    import os

    for name in list(os.environ):
        if name.startswith("FORM8K_EDGAR_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("FORM8K_EDGAR_FILER_TOKEN", FILER)
    monkeypatch.setenv("FORM8K_EDGAR_USER_TOKEN", USER)
    monkeypatch.setenv("FORM8K_EDGAR_CCC", CCC)


@pytest.fixture(scope="module")
def examples_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's examples, built (HTML and PDF) into its own output/."""
    root = tmp_path_factory.mktemp("submission-project")
    copy_examples(root)
    report = build(Project(root), out=root / "output")
    assert not report.failed, [p.display(root) for p in report.problems]
    return root


def submit(
    run: Run, root: Path, edgar: FakeEdgar, *options: str, key: str = LUMEN
) -> tuple[int, str, str]:
    return run(
        "--project",
        str(root),
        "submit",
        str(root / "content" / key),
        "--api",
        edgar.url,
        "--poll-interval",
        "0",
        *options,
    )


def assert_no_secrets(*texts: str, secrets: tuple[str, ...] = (FILER, USER, CCC)) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text


# --- package ----------------------------------------------------------------------------------


def test_package_writes_the_envelope_readable_by_its_owner_alone(
    run_cli: Run, examples_project: Path
) -> None:
    root = examples_project
    code, out, err = run_cli("--project", str(root), "package", str(root / "content" / LUMEN))
    assert code == 0, err
    envelope = root / "output" / f"{LUMEN}.submission.xml"
    assert (
        f"packaged {LUMEN} -> " in out and "(TEST; 8-K, Items 2.02, 5.02, 9.01; 8 documents" in out
    )
    assert stat.S_IMODE(envelope.stat().st_mode) == 0o600
    xml = envelope.read_bytes()
    assert schema_errors(xml) == []
    assert f"<cor:filerCcc>{CCC}</cor:filerCcc>".encode() in xml
    folder = root / "output" / LUMEN
    manifest = json.loads((folder / "manifest.json").read_text())
    carried = documents_of(xml)
    assert [(name, kind) for name, (kind, _) in carried.items()] == [
        (d["file"], d["type"]) for d in manifest["documents"]
    ]
    for name, (_, data) in carried.items():
        assert data == (folder / name).read_bytes()
    assert_no_secrets(out, err)


def test_package_live_and_to_another_file(
    run_cli: Run, examples_project: Path, tmp_path: Path
) -> None:
    root = examples_project
    target = tmp_path / "envelopes" / "imgn.xml"
    code, _out, err = run_cli(
        "--project",
        str(root),
        "package",
        str(root / "content/immunogen/2005-09-07-hun901"),
        "--live",
        "--out",
        str(target),
    )
    assert code == 0, err
    assert b"<cor:liveTestFlag>LIVE</cor:liveTestFlag>" in target.read_bytes()


def test_package_needs_the_ccc_from_outside_the_content(
    run_cli: Run, examples_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORM8K_EDGAR_CCC")
    root = examples_project
    code, _, err = run_cli("--project", str(root), "package", str(root / "content" / LUMEN))
    assert code == 1
    assert "no CCC for CIK 0001987654" in err and "FORM8K_EDGAR_CCC" in err


def test_package_refuses_to_write_into_content(run_cli: Run, examples_project: Path) -> None:
    root = examples_project
    code, _, err = run_cli(
        "--project",
        str(root),
        "package",
        str(root / "content" / LUMEN),
        "--out",
        str(root / "content" / "envelope.xml"),
    )
    assert code == 2 and "content/" in err
    assert not (root / "content" / "envelope.xml").exists()


def test_package_and_submit_refuse_a_draft_build(run_cli: Run, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from form8k.load import load_filing
    from form8k.review.draft import DraftMark, DraftOutput, draft_of
    from form8k.submission.envelope import build_envelope

    root = tmp_path / "project"
    company = LUMEN.split("/")[0]
    shutil.copytree(REPO / "content" / company, root / "content" / company)
    report = build(Project(root), out=root / "output", draft=DraftMark.current(root), jobs=1)
    assert not report.failed, [p.display(root) for p in report.problems]
    folder, content = root / "output" / LUMEN, root / "content" / LUMEN
    assert draft_of(folder) is not None
    never = ("--test", "--api", "http://127.0.0.1:9")  # no EDGAR: it must stop before
    for command in (["package"], ["submit", *never]):
        code, out, err = run_cli("--project", str(root), *command[:1], str(content), *command[1:])
        assert code == 1, out + err
        assert "a draft build" in err and "never packaged or submitted" in err
        assert "build it without --draft" in err
    assert draft_of(folder) is not None  # the proofs are still there
    bundle = load_filing(content, content=root / "content", root=root)
    with pytest.raises(DraftOutput, match="never packaged or submitted"):
        build_envelope(bundle, folder, lambda cik, filer: CCC)
    assert not list((root / "output").rglob("*.submission.xml"))
    # built to file, it packages, and no page of the envelope's PDFs says DRAFT
    assert not build(Project(root), out=root / "output", jobs=1).failed
    code, out, err = run_cli("--project", str(root), "package", str(content))
    assert code == 0, out + err
    envelope = (root / "output" / f"{LUMEN}.submission.xml").read_bytes()
    for name, (_, data) in documents_of(envelope).items():
        if name.endswith(".pdf"):
            pages = PdfReader(io.BytesIO(data)).pages
            assert all("DRAFT" not in page.extract_text() for page in pages), name


# --- submit --test ----------------------------------------------------------------------------


def test_submit_test_through_the_404_window_to_accepted(
    run_cli: Run, examples_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    root = examples_project
    with FakeEdgar(
        filer_token=FILER, user_token=USER, cccs={LUMEN_CIK: CCC}, not_found_polls=2
    ) as edgar:
        code, out, err = submit(run_cli, root, edgar, "--test", "--notify", "filings@example.com")
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0].startswith(f"submit   {LUMEN} as a TEST filing to http://127.0.0.1:")
    assert "8-K, Items 2.02, 5.02, 9.01; 8 documents" in lines[0]
    assert lines[1].startswith(f"received accession number {LUMEN_CIK}-")
    assert "EDGAR Help Desk reference: tracking" in lines[1]
    assert lines[2].startswith("waiting  EDGAR's status service does not know the submission yet")
    assert lines[3] == "status   PROCESSING"
    assert lines[4].startswith("ACCEPTED ") and "EDGAR accepted the TEST filing" in lines[4]
    assert len(lines) == 5  # "waiting" once, however many 404s
    # what EDGAR received: the TEST envelope of the built documents
    posted = [r for r in edgar.requests if r.method == "POST"]
    assert len(posted) == 1 and posted[0].path == "/submission/single/test"
    assert b"<cor:liveTestFlag>TEST</cor:liveTestFlag>" in posted[0].body
    carried = documents_of(posted[0].body)
    folder = root / "output" / LUMEN
    assert all(data == (folder / name).read_bytes() for name, (_, data) in carried.items())
    assert_no_secrets(out, err, caplog.text, *(str(r.args) for r in caplog.records))


def test_submit_suspended_shows_edgars_reasons(
    run_cli: Run, examples_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeEdgar(filer_token=FILER, user_token=USER, outcome="SUSPENDED") as edgar:
        code, out, err = submit(run_cli, examples_project, edgar)
    assert code == 1
    assert "SUSPENDED " in out and "EDGAR suspended the TEST filing" in out
    assert "  ERROR 442 TAG_VALUE_MISSING_OR_INVALID: Value for Period of Report" in out
    assert (
        "EDGAR's notification:" in out and "  | THE FOLLOWING SUBMISSION HAS BEEN SUSPENDED" in out
    )
    assert_no_secrets(out, err, caplog.text)


def test_a_wrong_ccc_is_edgars_to_find_and_is_never_shown(
    run_cli: Run, examples_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeEdgar(filer_token=FILER, user_token=USER, cccs={LUMEN_CIK: "xx#99999"}) as edgar:
        code, out, err = submit(run_cli, examples_project, edgar)
    assert code == 1 and "INVALID_LOGIN_CCC" in out
    assert_no_secrets(out, err, caplog.text)


def test_an_expired_token_is_refused_before_anything_is_sent(
    run_cli: Run, examples_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    user = jwt(now - dt.timedelta(days=1), "user")
    monkeypatch.setenv("FORM8K_EDGAR_USER_TOKEN", user)
    with FakeEdgar(filer_token=FILER, user_token=user) as edgar:
        code, out, err = submit(run_cli, examples_project, edgar)
    assert code == 1
    assert "the user API token expired on" in err and "nothing was submitted" in err
    assert edgar.requests == []
    assert_no_secrets(out, err, secrets=(FILER, user, CCC))


def test_a_token_expiring_within_a_week_is_warned_about(
    run_cli: Run, examples_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    filer = jwt(now + dt.timedelta(days=3, hours=2), "filer")
    monkeypatch.setenv("FORM8K_EDGAR_FILER_TOKEN", filer)
    with FakeEdgar(filer_token=filer, user_token=USER) as edgar:
        code, out, err = submit(run_cli, examples_project, edgar)
    assert code == 0, err
    assert (
        "warning: the filer API token expires in 3 days" in err and "(read from the token)" in err
    )
    assert_no_secrets(out, err, secrets=(filer, USER, CCC))


def test_the_expiry_of_opaque_tokens_comes_from_edgars_credentials_check(
    run_cli: Run, examples_project: Path
) -> None:
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2, hours=1)).isoformat()
    with FakeEdgar(
        filer_token=FILER,
        user_token=USER,
        token_expiry={
            "filerApiTokenExpirationDate": "2099-01-01T00:00:00-05:00",
            "userApiTokenExpirationDate": soon,
        },
    ) as edgar:
        code, _, err = submit(run_cli, examples_project, edgar)
    assert code == 0, err
    assert "warning: the user API token expires in 2 days" in err
    assert "read from EDGAR's credentials check" in err
    assert edgar.requests[0].path == f"/fm/{LUMEN_CIK}/verify"


def test_a_token_edgar_says_is_expired(run_cli: Run, examples_project: Path) -> None:
    with FakeEdgar(filer_token=FILER, user_token=USER, expired_tokens=(USER,)) as edgar:
        code, out, err = submit(run_cli, examples_project, edgar)
    assert code == 1
    assert "EDGAR refused the API tokens (401 Unauthorized)" in err and "expired" in err
    assert not any(r.method == "POST" for r in edgar.requests)
    assert_no_secrets(out, err)


def test_tokens_that_may_not_file(run_cli: Run, examples_project: Path) -> None:
    with FakeEdgar(filer_token=FILER, user_token=USER, can_file=False) as edgar:
        code, _, err = submit(run_cli, examples_project, edgar)
    assert code == 1 and "may not file for CIK 0001987654" in err
    assert not any(r.method == "POST" for r in edgar.requests)


def test_too_large(run_cli: Run, examples_project: Path) -> None:
    with FakeEdgar(filer_token=FILER, user_token=USER, max_body=50_000) as edgar:
        code, out, err = submit(run_cli, examples_project, edgar)
    assert code == 1
    assert (
        "EDGAR refused the submission as too large (413 Payload Too Large; the envelope is" in err
    )
    assert_no_secrets(out, err)


def test_missing_tokens(
    run_cli: Run, examples_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORM8K_EDGAR_USER_TOKEN")
    with FakeEdgar(filer_token=FILER, user_token=USER) as edgar:
        code, _, err = submit(run_cli, examples_project, edgar)
    assert code == 1 and "FORM8K_EDGAR_USER_TOKEN" in err
    assert edgar.requests == []


def test_tokens_from_a_secrets_file_outside_the_repository(
    run_cli: Run, examples_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("FORM8K_EDGAR_FILER_TOKEN", "FORM8K_EDGAR_USER_TOKEN", "FORM8K_EDGAR_CCC"):
        monkeypatch.delenv(name)
    secrets = tmp_path / "home" / ".config" / "form8k" / "edgar.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text(f'filer_token = "{FILER}"\nuser_token = "{USER}"\nccc = "{CCC}"\n')
    secrets.chmod(0o600)
    with FakeEdgar(filer_token=FILER, user_token=USER, cccs={LUMEN_CIK: CCC}) as edgar:
        code, out, err = submit(run_cli, examples_project, edgar)
    assert code == 0, err
    assert_no_secrets(out, err)


def test_poll_an_earlier_submission(run_cli: Run, examples_project: Path) -> None:
    example = (Path(__file__).parent / "fixtures/edgar/openapi-8k-example.xml").read_bytes()
    with FakeEdgar(filer_token=FILER, user_token=USER, not_found_polls=0) as edgar:
        with EdgarClient(edgar.url, Secret(FILER), Secret(USER)) as api:
            accession = api.submit(example, Mode.TEST).accession
        code, out, err = submit(run_cli, examples_project, edgar, "--poll", accession)
    assert code == 0, err
    assert out.splitlines()[0] == f"polling  {accession} at {edgar.url}"
    assert "EDGAR accepted the TEST filing" in out
    assert sum(r.method == "POST" for r in edgar.requests) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--api", "http://edgar.example.com"), "only over https"),
        (("--beta", "--api", "https://x.example"), "not both"),
        (("--confirm-live",), "--confirm-live goes with --live"),
    ],
)
def test_usage_errors(
    run_cli: Run, examples_project: Path, options: tuple[str, ...], message: str
) -> None:
    root = examples_project
    code, _, err = run_cli(
        "--project", str(root), "submit", str(root / "content" / LUMEN), *options
    )
    assert code == 2 and message in err


# --- submit --live ----------------------------------------------------------------------------


def test_live_needs_the_confirmation_flag(run_cli: Run, examples_project: Path) -> None:
    with FakeEdgar(filer_token=FILER, user_token=USER) as edgar:
        code, _, err = submit(run_cli, examples_project, edgar, "--live")
    assert code == 2 and "--confirm-live" in err
    assert edgar.requests == []


def test_live_is_refused_when_check_strict_is_not_clean(
    run_cli: Run, make_project: Callable[..., Path]
) -> None:
    late = FILING_YAML.replace("filing_date: 2024-03-04", "filing_date: 2024-03-15").replace(
        '"8.01"', '"5.07"'
    )
    root = make_project({"content/example/filing.yaml": late})
    with FakeEdgar(filer_token=FILER, user_token=USER) as edgar:
        code, _out, err = submit(run_cli, root, edgar, "--live", "--confirm-live", key="example")
    assert code == 1
    assert "warning: late-filing" in err
    assert "did not pass check --strict" in err and "nothing was packaged or sent" in err
    assert edgar.requests == []


def test_live_is_refused_when_edgars_validation_cannot_run(
    run_cli: Run, make_project: Callable[..., Path]
) -> None:
    root = make_project()
    with FakeEdgar(filer_token=FILER, user_token=USER) as edgar:
        code, out, err = submit(run_cli, root, edgar, "--live", "--confirm-live", key="example")
    assert code == 1
    assert "checked  example: check --strict is clean" in out
    assert "--live is refused: EDGAR's own validation cannot run here" in err
    assert "No EDGAR plugin is configured" in err
    assert edgar.requests == []


def test_a_live_envelope_says_live(run_cli: Run, examples_project: Path) -> None:
    """The path and the envelope's flag come from one mode (here through package --live)."""
    root = examples_project
    target = root / "output" / "live.xml"
    run_cli(
        "--project",
        str(root),
        "package",
        str(root / "content" / LUMEN),
        "--live",
        "--out",
        str(target),
    )
    from lxml import etree

    assert etree.fromstring(target.read_bytes()).findtext(f"{{{COREG}}}liveTestFlag") == "LIVE"


EFM = REPO.parent / "shared" / "efm"


@pytest.mark.shared
@pytest.mark.efm
def test_live_with_a_clean_check_and_a_clean_edgar_validation(
    run_cli: Run, make_project: Callable[..., Path]
) -> None:
    plugin, cache = EFM / "EDGAR", EFM / "xbrl-cache" / "cache"
    if not (plugin / "validate" / "__init__.py").is_file():
        pytest.skip(f"the SEC's EDGAR plugin is not here: {plugin}")
    modern = FILING_YAML.replace("2024-03-01", "2025-11-03").replace("2024-03-04", "2025-11-04")
    root = make_project({"content/example/filing.yaml": modern})
    with FakeEdgar(filer_token=FILER, user_token=USER, cccs={"0001234567": CCC}) as edgar:
        code, out, err = submit(
            run_cli,
            root,
            edgar,
            "--live",
            "--confirm-live",
            "--edgar-plugin",
            str(plugin),
            "--edgar-cache",
            str(cache),
            key="example",
        )
    assert code == 0, out + err
    assert "checked  example: EDGAR's own validation is clean" in out
    assert "as a LIVE filing" in out and "EDGAR accepted the LIVE filing" in out
    (posted,) = [r for r in edgar.requests if r.method == "POST"]
    assert posted.path == "/submission/single/live"
    assert b"<cor:liveTestFlag>LIVE</cor:liveTestFlag>" in posted.body
    assert_no_secrets(out, err)
