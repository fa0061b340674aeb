"""A small client of EDGAR's filing API (EDGAR Next): submit one envelope, poll its status.

What it follows, from the SEC's EDGAR API OpenAPI specification (version 1.11.0) and how the
API is known to behave:

- ``POST /submission/single/test`` or ``/submission/single/live`` takes the envelope (the
  path and the envelope's ``liveTestFlag`` come from one :class:`~envelope.Mode`, so they
  cannot disagree) and answers 202 with the accession number;
- ``GET /submission/{accession}/status`` answers the submission's status (``PROCESSING``,
  ``ACCEPTED``, ``SUSPENDED``, ``DISSEMINATED``, ``DONE``, ...), ``final`` once EDGAR is done,
  the SEF messages of a suspended submission and EDGAR's notification e-mail (base64);
- ``GET /fm/{cik}/verify`` tells whether the tokens may file for the CIK, and when they expire;
- both tokens travel in one header, filer first: ``Authorization: Bearer <filer>,<user>``; the
  status endpoints take the filer token alone;
- right after a submission, its status is 404 for a few seconds (the accession number has not
  reached the status service yet): 404s are waited out for ``not_found_grace`` seconds;
- 401 means a token is expired, revoked, or from the other environment (beta tokens work only
  against EDGAR's beta); 403 that the tokens may not file for that CIK; 413 that the submission
  is too large; 503 that EDGAR is outside its hours.

Tokens are only ever put into the request's header: never into a message, an exception or a
log record; what EDGAR sends back is redacted before it is shown.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx2

from form8k import __version__
from form8k.errors import Form8kError, UsageError
from form8k.submission.envelope import Mode
from form8k.submission.secrets import Secret, redact

log = logging.getLogger("form8k.submission")

#: EDGAR's API (EDGAR Next), and its beta environment (beta tokens, fictitious CIKs).
EDGAR_API = "https://api.edgarfiling.sec.gov"
BETA_API = "https://api-bravo.edgarfiling.sec.gov"

#: Statuses after which nothing more happens, when EDGAR's answer has no ``final``.
FINAL_STATUSES = frozenset({"ACCEPTED", "SUSPENDED", "DISSEMINATED", "DONE", "BLOCKED"})
#: Statuses that mean the submission was accepted.
ACCEPTED_STATUSES = frozenset({"ACCEPTED", "DISSEMINATED", "DONE"})


class EdgarApiError(Form8kError):
    """EDGAR refused a request or could not be reached."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PollTimeout(EdgarApiError):
    """EDGAR did not reach a final state within the time given."""

    def __init__(self, message: str, last: SubmissionStatus | None) -> None:
        super().__init__(message)
        self.last = last


@dataclass(frozen=True)
class Receipt:
    """EDGAR's answer to a submission."""

    accession: str
    mode: str | None
    status: str | None
    tracking: str | None
    locator: str | None


@dataclass(frozen=True)
class SubmissionMessage:
    type: str
    text: str
    number: str | None = None
    label: str | None = None
    document: str | None = None
    line: str | None = None

    def display(self) -> str:
        code = " ".join(part for part in (self.number, self.label) if part)
        where = []
        if self.document not in (None, "", "0"):
            where.append(f"document {self.document}")
        if self.line not in (None, "", "0"):
            where.append(f"line {self.line}")
        return (
            f"{self.type}"
            + (f" {code}" if code else "")
            + f": {self.text}"
            + (f" ({', '.join(where)})" if where else "")
        )


@dataclass(frozen=True)
class SubmissionStatus:
    """A submission's status as EDGAR reports it."""

    accession: str
    status: str
    final: bool
    mode: str | None = None
    messages: tuple[SubmissionMessage, ...] = ()
    notification: str | None = None
    """EDGAR's notification e-mail, decoded."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES and not any(
            m.type == "ERROR" for m in self.messages
        )


@dataclass(frozen=True)
class Verification:
    """What ``/fm/{cik}/verify`` says about the tokens."""

    can_file: bool | None
    filer_token_expires: dt.datetime | None
    user_token_expires: dt.datetime | None


def check_base_url(url: str) -> str:
    """``url`` without a trailing slash; https, or http on loopback only (the tokens must not
    travel in clear text)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UsageError(f"{url!r} is not an http(s) address of EDGAR's API")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(
            f"{url}: the API tokens travel only over https (plain http is allowed on this "
            "machine's loopback address alone, for a local test server)"
        )
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class EdgarClient:
    """EDGAR's submission API at ``base_url`` with a filer and a user API token."""

    def __init__(
        self,
        base_url: str,
        filer_token: Secret,
        user_token: Secret,
        *,
        timeout: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._filer = filer_token
        self._user = user_token
        self._sleep = sleep
        self._clock = clock
        host = urlsplit(self.base_url).hostname or ""
        self._http = httpx2.Client(
            base_url=self.base_url,
            timeout=httpx2.Timeout(60.0, read=timeout, write=timeout),
            headers={"User-Agent": f"form8k/{__version__}", "Accept": "application/json"},
            follow_redirects=False,
            trust_env=not is_loopback(host),
        )

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- requests --------------------------------------------------------------------------

    def _authorization(self, *, user: bool) -> dict[str, str]:
        tokens = self._filer.reveal() + (f",{self._user.reveal()}" if user else "")
        return {"Authorization": f"Bearer {tokens}"}

    def _request(
        self,
        method: str,
        path: str,
        *,
        user: bool,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> httpx2.Response:
        headers = self._authorization(user=user)
        if content_type:
            headers["Content-Type"] = content_type
        log.debug("%s %s%s", method, self.base_url, path)
        try:
            response = self._http.request(method, path, headers=headers, content=content)
        except httpx2.TimeoutException:
            raise EdgarApiError(f"EDGAR at {self.base_url} did not answer in time") from None
        except httpx2.HTTPError as error:
            reason = self._redact(f"{type(error).__name__}: {error}")
            raise EdgarApiError(f"could not reach EDGAR at {self.base_url} ({reason})") from None
        log.debug("%s %s%s -> %s", method, self.base_url, path, response.status_code)
        return response

    def _redact(self, text: str) -> str:
        return redact(text, (self._filer, self._user))

    def _error(
        self, response: httpx2.Response, action: str, size: int | None = None
    ) -> EdgarApiError:
        code = response.status_code
        said = self._said(response)
        detail = f" EDGAR says: {said}" if said else ""
        if code == 401:
            message = (
                f"EDGAR refused the API tokens ({code} Unauthorized) while trying to {action}: "
                "a token is expired, revoked or not active, or is from the other environment "
                "(beta tokens work only against EDGAR's beta, EDGAR's only against EDGAR). Make "
                "new ones in EDGAR Filer Management."
            )
        elif code == 403:
            message = (
                f"EDGAR refused to {action} ({code} Forbidden): the tokens are valid but the "
                "user may not file for this CIK with this filer API token (check the roles and "
                "delegations in EDGAR Filer Management)."
            )
        elif code == 413:
            shown = f"; the envelope is {size / 1024 / 1024:.1f} MB" if size else ""
            message = (
                f"EDGAR refused the submission as too large ({code} Payload Too Large{shown}, "
                "its documents base64-encoded, a third larger than the files): make the "
                "documents smaller (images especially) or file fewer in one submission."
            )
        elif code == 503:
            message = (
                f"EDGAR could not {action} ({code}): it is outside its hours (6 a.m. to 10 p.m. "
                "Eastern, business days) or its status cannot be determined; try again later."
            )
        elif code == 400:
            message = f"EDGAR refused the request to {action} ({code} Bad Request)."
        elif code >= 500:
            message = f"EDGAR failed to {action} ({code}, an error on EDGAR's side)."
        else:
            message = f"EDGAR answered {code} when asked to {action}."
        tracking = self._tracking(response)
        return EdgarApiError(self._redact(message + detail + tracking), status=code)

    def _json(self, response: httpx2.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _said(self, response: httpx2.Response) -> str:
        data = self._json(response)
        texts = []
        for message in data.get("messages") or []:
            if isinstance(message, dict):
                text = message.get("content") or message.get("message")
                if text:
                    texts.append(str(text))
        if not texts and not data and response.text and len(response.text) < 300:
            texts.append(response.text.strip())
        return self._redact(" | ".join(texts))

    def _tracking(self, response: httpx2.Response) -> str:
        data = self._json(response)
        ids = [f"{k} {data[k]}" for k in ("tracking", "locator") if data.get(k)]
        return f" (EDGAR Help Desk reference: {', '.join(ids)})" if ids else ""

    # --- the API ---------------------------------------------------------------------------

    def verify(self, cik: str) -> Verification | None:
        """What EDGAR says of the tokens for ``cik``; None when it cannot say (not 401/403)."""
        response = self._request("GET", f"/fm/{cik.zfill(10)}/verify", user=True)
        if response.status_code in (401, 403):
            raise self._error(response, f"check the credentials for CIK {cik}")
        if response.status_code != 200:
            log.debug("credentials check answered %s", response.status_code)
            return None
        data = self._json(response)
        can = data.get("canFile")
        return Verification(
            can_file=can if isinstance(can, bool) else None,
            filer_token_expires=_datetime(data.get("filerApiTokenExpirationDate")),
            user_token_expires=_datetime(data.get("userApiTokenExpirationDate")),
        )

    def submit(self, xml: bytes, mode: Mode) -> Receipt:
        """Send the envelope to ``/submission/single/{test|live}``."""
        path = f"/submission/single/{mode.value.lower()}"
        response = self._request(
            "POST", path, user=True, content=xml, content_type="application/xml"
        )
        if response.status_code not in (200, 202):
            raise self._error(response, f"take the {mode.value} submission", size=len(xml))
        data = self._json(response)
        accession = data.get("accessionNumber")
        if not accession:
            raise EdgarApiError(
                self._redact(
                    f"EDGAR answered {response.status_code} without an accession number: "
                    + (self._said(response) or "no message")
                    + self._tracking(response)
                )
            )
        status = data.get("status") or data.get("transmissionStatus")
        if status in ("REJECTED", "FAILED"):
            raise EdgarApiError(
                self._redact(
                    f"EDGAR {status.lower()} the transmission ({accession}): "
                    + (self._said(response) or "no message")
                    + self._tracking(response)
                )
            )
        return Receipt(
            accession=str(accession),
            mode=data.get("mode"),
            status=status,
            tracking=data.get("tracking"),
            locator=data.get("locator"),
        )

    def status(self, accession: str) -> SubmissionStatus | None:
        """The submission's status; None while EDGAR does not know it yet (404)."""
        response = self._request("GET", f"/submission/{accession}/status", user=False)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._error(response, f"report the status of {accession}")
        return parse_status(self._json(response), accession, self._redact)

    def wait(
        self,
        accession: str,
        *,
        interval: float = 5.0,
        timeout: float = 900.0,
        not_found_grace: float = 60.0,
        on_update: Callable[[SubmissionStatus | None], None] | None = None,
    ) -> SubmissionStatus:
        """Poll the status until EDGAR says it is final; 404s are waited out for
        ``not_found_grace`` seconds (the status service learns of a submission a few seconds
        after it was received)."""
        start = self._clock()
        last: SubmissionStatus | None = None
        seen = False
        while True:
            current = self.status(accession)
            elapsed = self._clock() - start
            if current is None:
                if seen or elapsed > not_found_grace:
                    raise EdgarApiError(
                        f"EDGAR's status service does not know {accession} (404 for "
                        f"{elapsed:.0f} seconds); look it up in EDGAR Filer Management"
                    )
                if on_update is not None:
                    on_update(None)
            else:
                seen = True
                if on_update is not None and (last is None or current.status != last.status):
                    on_update(current)
                last = current
                if current.final:
                    return current
            if elapsed > timeout:
                state = last.status if last else "unknown"
                raise PollTimeout(
                    f"{accession} is still {state} after {elapsed:.0f} seconds; EDGAR will "
                    "e-mail the result, or poll again with: form8k submit FILING --poll "
                    f"{accession}",
                    last,
                )
            self._sleep(interval)


def parse_status(
    data: Mapping[str, Any], accession: str, clean: Callable[[str], str] = str
) -> SubmissionStatus:
    """EDGAR's status answer (the OpenAPI's fields, and those the live API adds)."""
    status = str(
        data.get("status")
        or data.get("submissionProcessingStatus")
        or data.get("processingStatus")
        or "NO_STATUS"
    ).upper()
    final_value = data.get("final")
    if isinstance(final_value, bool):
        final = final_value
    elif isinstance(final_value, str):
        final = final_value.strip().lower() == "true"
    else:
        final = status in FINAL_STATUSES
    messages = []
    for entry in [*(data.get("submissionMessages") or []), *(data.get("messages") or [])]:
        if not isinstance(entry, dict):
            continue
        text = entry.get("content") or entry.get("message")
        if not text:
            continue
        messages.append(
            SubmissionMessage(
                type=str(entry.get("type") or "INFO"),
                text=clean(" ".join(str(text).split())),
                number=_str(entry.get("errorNumber")),
                label=_str(entry.get("errorLabel")),
                document=_str(entry.get("docSequenceNum", entry.get("docSequenceNumber"))),
                line=_str(entry.get("lineNumber")),
            )
        )
    notification = None
    encoded = data.get("notification")
    if isinstance(encoded, str) and encoded:
        try:
            notification = clean(base64.b64decode(encoded).decode("utf-8", "replace"))
        except (binascii.Error, ValueError):
            notification = None
    return SubmissionStatus(
        accession=str(data.get("accessionNumber") or accession),
        status=status,
        final=final,
        mode=data.get("mode") or data.get("type"),
        messages=tuple(messages),
        notification=notification,
        raw=dict(data),
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _datetime(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
