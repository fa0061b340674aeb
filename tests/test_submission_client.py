"""The client of EDGAR's submission API against the fake API on loopback: submit, the 404
window, each final state, refused tokens, too large."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from form8k.errors import UsageError
from form8k.submission.client import (
    EdgarApiError,
    EdgarClient,
    PollTimeout,
    check_base_url,
    parse_status,
)
from form8k.submission.envelope import Mode
from form8k.submission.secrets import Secret
from tests.fake_edgar import FakeEdgar

FILER = "filer-token-0123456789"
USER = "user-token-9876543210"
EXAMPLE = (Path(__file__).parent / "fixtures" / "edgar" / "openapi-8k-example.xml").read_bytes()
CCCS = {"1821451321": "#decb44a"}


def client(edgar: FakeEdgar, **options: object) -> EdgarClient:
    return EdgarClient(edgar.url, Secret(FILER), Secret(USER), sleep=lambda _: None, **options)  # type: ignore[arg-type]


def test_submit_then_the_404_window_then_accepted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with (
        FakeEdgar(filer_token=FILER, user_token=USER, cccs=CCCS, not_found_polls=3) as edgar,
        client(edgar) as api,
    ):
        receipt = api.submit(EXAMPLE, Mode.TEST)
        seen: list[str | None] = []
        final = api.wait(receipt.accession, on_update=lambda s: seen.append(s and s.status))
    assert receipt.accession.startswith("1821451321-") and receipt.mode == "TEST"
    assert seen == [None, None, None, "PROCESSING", "ACCEPTED"]
    assert final.final and final.accepted and final.status == "ACCEPTED"
    assert "ACCEPTED FORM TYPE 8-K" in (final.notification or "")
    submit, *polls = edgar.requests
    assert (submit.method, submit.path) == ("POST", "/submission/single/test")
    assert submit.authorization == f"Bearer {FILER},{USER}"
    assert submit.content_type == "application/xml"
    assert all(p.authorization == f"Bearer {FILER}" for p in polls)
    assert FILER not in caplog.text and USER not in caplog.text


def test_live_goes_to_the_live_path() -> None:
    live = EXAMPLE.replace(b">TEST<", b">LIVE<")
    with (
        FakeEdgar(filer_token=FILER, user_token=USER, not_found_polls=0) as edgar,
        client(edgar) as api,
    ):
        api.wait(api.submit(live, Mode.LIVE).accession)
    assert edgar.requests[0].path == "/submission/single/live"


def test_suspended_with_edgars_reasons_and_notification() -> None:
    with (
        FakeEdgar(filer_token=FILER, user_token=USER, outcome="SUSPENDED") as edgar,
        client(edgar) as api,
    ):
        final = api.wait(api.submit(EXAMPLE, Mode.TEST).accession)
    assert final.status == "SUSPENDED" and final.final and not final.accepted
    (message,) = final.messages
    assert message.label == "TAG_VALUE_MISSING_OR_INVALID" and "Period of Report" in message.text
    assert "ERROR 442 TAG_VALUE_MISSING_OR_INVALID: Value for Period" in message.display()
    assert "HAS BEEN SUSPENDED" in (final.notification or "")


def test_a_wrong_ccc_is_suspended_by_edgar() -> None:
    with (
        FakeEdgar(filer_token=FILER, user_token=USER, cccs={"1821451321": "other#12"}) as edgar,
        client(edgar) as api,
    ):
        final = api.wait(api.submit(EXAMPLE, Mode.TEST).accession)
    assert final.status == "SUSPENDED"
    assert any(m.label == "INVALID_LOGIN_CCC" for m in final.messages)


def test_an_expired_token_is_401_and_named_as_such() -> None:
    with (
        FakeEdgar(filer_token=FILER, user_token=USER, expired_tokens=(USER,)) as edgar,
        client(edgar) as api,
        pytest.raises(EdgarApiError) as error,
    ):
        api.submit(EXAMPLE, Mode.TEST)
    assert error.value.status == 401
    assert "expired" in str(error.value) and "beta tokens work only" in str(error.value)
    assert "tracking 5e981101d4bfdee09b95c6f1d53e8551" in str(error.value)
    assert FILER not in str(error.value) and USER not in str(error.value)


def test_too_large_is_413_with_the_size() -> None:
    with (
        FakeEdgar(filer_token=FILER, user_token=USER, max_body=100) as edgar,
        client(edgar) as api,
        pytest.raises(EdgarApiError) as error,
    ):
        api.submit(EXAMPLE, Mode.TEST)
    assert error.value.status == 413
    assert "too large" in str(error.value) and "MB" in str(error.value)


def test_a_submission_the_status_service_never_learns_of() -> None:
    clock = iter(range(0, 10_000, 10))
    with FakeEdgar(filer_token=FILER, user_token=USER, not_found_polls=1000) as edgar:
        api = EdgarClient(
            edgar.url, Secret(FILER), Secret(USER), sleep=lambda _: None, clock=lambda: next(clock)
        )
        with api, pytest.raises(EdgarApiError, match="does not know"):
            api.wait(api.submit(EXAMPLE, Mode.TEST).accession, not_found_grace=60)


def test_still_processing_when_the_time_is_up() -> None:
    clock = iter(range(0, 10_000, 100))
    with FakeEdgar(filer_token=FILER, user_token=USER, processing_polls=1000) as edgar:
        api = EdgarClient(
            edgar.url, Secret(FILER), Secret(USER), sleep=lambda _: None, clock=lambda: next(clock)
        )
        with api, pytest.raises(PollTimeout) as error:
            api.wait(api.submit(EXAMPLE, Mode.TEST).accession, timeout=250, not_found_grace=1000)
    assert error.value.last is not None and error.value.last.status == "PROCESSING"
    assert "--poll" in str(error.value)


def test_the_credentials_check() -> None:
    with (
        FakeEdgar(filer_token=FILER, user_token=USER, can_file=False) as edgar,
        client(edgar) as api,
    ):
        verification = api.verify("1821451321")
    assert verification is not None and verification.can_file is False
    assert verification.user_token_expires is not None
    assert edgar.requests[0].path == "/fm/1821451321/verify"


@pytest.mark.parametrize(
    "url", ["http://api.edgarfiling.sec.gov", "ftp://127.0.0.1", "http://10.0.0.1:8080"]
)
def test_tokens_travel_over_https_only_off_this_machine(url: str) -> None:
    with pytest.raises(UsageError):
        check_base_url(url)


def test_loopback_and_https_are_allowed() -> None:
    assert check_base_url("http://127.0.0.1:9000/") == "http://127.0.0.1:9000"
    assert check_base_url("http://[::1]:9000") == "http://[::1]:9000"
    assert check_base_url("https://api-bravo.edgarfiling.sec.gov")


def test_status_answers_as_the_openapi_documents_them() -> None:
    """The OpenAPI's examples: final as a string, messages with "message" instead of
    "content", the status under other names."""
    status = parse_status(
        {
            "accessionNumber": "0000000000-22-000002",
            "type": "TEST",
            "final": "true",
            "status": "SUSPENDED",
            "submissionMessages": [
                {
                    "type": "ERROR",
                    "message": "Value for Period of Report  is missing or invalid.",
                    "errorNumber": "442",
                    "errorLabel": "TAG_VALUE_MISSING_OR_INVALID",
                }
            ],
        },
        "x",
    )
    assert status.final and status.mode == "TEST"
    assert status.messages[0].text == "Value for Period of Report is missing or invalid."
    assert parse_status({"status": "RECEIVED", "final": "false"}, "x").final is False
    assert parse_status({"submissionProcessingStatus": "DONE"}, "x").final is True
