"""A stand-in for EDGAR's filing API on this machine's loopback address, for the tests.

It plays the API as the SEC's EDGAR API OpenAPI specification (1.11.0) documents it, with the
behaviour the live API is known to have:

- ``POST /submission/single/{test,live}``: both tokens in one header, filer first
  (``Authorization: Bearer <filer>,<user>``); 401 for an unknown or expired token; 413 when the
  body is larger than ``max_body``; 202 with an accession number otherwise. The envelope is
  checked (well-formed, ``liveTestFlag`` matching the path, form8k's envelope schema, each
  registrant's CCC): a submission that fails is SUSPENDED with an SEF message, as EDGAR does.
- ``GET /submission/{accession}/status`` (the filer token alone, or both): 404 for the first
  ``not_found_polls`` requests after a submission (EDGAR's status service learns of it a few
  seconds late), then ``PROCESSING`` for ``processing_polls`` requests, then the final state
  (``outcome``: ACCEPTED or SUSPENDED), with EDGAR's notification e-mail in base64.
- ``GET /fm/{cik}/verify``: ``canFile`` and the tokens' expiry dates.

Every request is recorded (``requests``) for the tests to look at.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lxml import etree

from form8k.submission.envelope import COMMON, COREG, schema_errors


@dataclass
class Recorded:
    method: str
    path: str
    authorization: str
    content_type: str
    body: bytes = field(repr=False)


@dataclass
class Submission:
    accession: str
    mode: str
    form_type: str
    polls: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(error label, message) that suspend it."""


class FakeEdgar:
    """The fake API; ``with FakeEdgar(...) as edgar:`` serves it at ``edgar.url``."""

    def __init__(
        self,
        *,
        filer_token: str,
        user_token: str,
        cccs: dict[str, str] | None = None,
        expired_tokens: tuple[str, ...] = (),
        outcome: str = "ACCEPTED",
        not_found_polls: int = 2,
        processing_polls: int = 1,
        max_body: int | None = None,
        can_file: bool = True,
        token_expiry: dict[str, str] | None = None,
    ) -> None:
        self.filer_token = filer_token
        self.user_token = user_token
        self.cccs = cccs
        self.expired_tokens = set(expired_tokens)
        self.outcome = outcome
        self.not_found_polls = not_found_polls
        self.processing_polls = processing_polls
        self.max_body = max_body
        self.can_file = can_file
        self.token_expiry = token_expiry or {
            "filerApiTokenExpirationDate": "2099-05-20T00:00:00-04:00",
            "userApiTokenExpirationDate": "2099-06-22T00:00:00-04:00",
        }
        self.requests: list[Recorded] = []
        self.submissions: dict[str, Submission] = {}
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- serving -------------------------------------------------------------------------------

    def __enter__(self) -> FakeEdgar:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the tests read what they need from ``requests``

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- the API -------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        path = handler.path
        recorded = Recorded(
            method,
            path,
            handler.headers.get("Authorization", ""),
            handler.headers.get("Content-Type", ""),
            body,
        )
        with self._lock:
            self.requests.append(recorded)
            code, payload = self._answer(method, path, recorded)
        data = json.dumps(payload).encode()
        handler.send_response(code)
        handler.send_header("Content-Type", "application/json;charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, method: str, path: str, request: Recorded) -> tuple[int, dict[str, Any]]:
        parts = [p for p in path.split("/") if p]
        if method == "POST" and parts[:2] == ["submission", "single"] and len(parts) == 3:
            return self._submit(parts[2], request)
        if (
            method == "GET"
            and len(parts) == 3
            and parts[0] == "submission"
            and parts[2] == "status"
        ):
            return self._status(parts[1], request)
        if method == "GET" and len(parts) == 3 and parts[0] == "fm" and parts[2] == "verify":
            return self._verify(request)
        return 404, _error("INFO", f"No resource at {path}")

    def _tokens(self, request: Recorded, *, user: bool) -> tuple[int, dict[str, Any]] | None:
        """None when the Authorization header holds the right tokens; else the 401 answer."""
        header = request.authorization
        if not header.startswith("Bearer "):
            return 401, _error("ERROR", "Unauthorized")
        tokens = header[len("Bearer ") :].split(",")
        wanted = [self.filer_token, self.user_token] if user else [self.filer_token]
        if tokens != wanted and not (not user and tokens == [self.filer_token, self.user_token]):
            return 401, _error("ERROR", "Unauthorized")
        if any(token in self.expired_tokens for token in tokens):
            return 401, _error("ERROR", "Unauthorized")
        return None

    def _verify(self, request: Recorded) -> tuple[int, dict[str, Any]]:
        refused = self._tokens(request, user=True)
        if refused:
            return refused
        return 200, {
            **_ids(),
            "confirmationDueDate": "2099-06-30T00:00:00-04:00",
            **self.token_expiry,
            "messages": [{"type": "INFO", "content": None}],
            "canFile": self.can_file,
        }

    def _submit(self, kind: str, request: Recorded) -> tuple[int, dict[str, Any]]:
        refused = self._tokens(request, user=True)
        if refused:
            return refused
        if self.max_body is not None and len(request.body) > self.max_body:
            return 413, _error("ERROR", "Request entity too large")
        mode = kind.upper()
        errors: list[tuple[str, str]] = []
        cik, form_type = "0000000000", "UNKNOWN"
        try:
            root = etree.fromstring(request.body, parser=etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError:
            errors.append(("ERROR_CONDITION", "The submission is not well-formed XML."))
        else:
            cik = root.findtext(f"{{{COREG}}}filer/{{{COREG}}}filerId") or cik
            form_type = root.findtext(f"{{{COREG}}}submissionType") or form_type
            if root.findtext(f"{{{COREG}}}liveTestFlag") != mode:
                errors.append(("ERROR_CONDITION", "The live/test flag does not match the API."))
            for message in schema_errors(request.body):
                errors.append(("TAG_VALUE_MISSING_OR_INVALID", message))
            if self.cccs is not None:
                for filer in root.iter(f"{{{COREG}}}filer"):
                    filer_cik = filer.findtext(f"{{{COREG}}}filerId") or ""
                    if filer.findtext(f"{{{COREG}}}filerCcc") != self.cccs.get(filer_cik):
                        errors.append(("INVALID_LOGIN_CCC", f"Invalid CCC for CIK {filer_cik}."))
            documents = list(root.iter(f"{{{COMMON}}}document"))
            if not documents:
                errors.append(("ERROR_CONDITION", "The submission has no documents."))
        year = dt.date.today().strftime("%y")
        accession = f"{cik.zfill(10)}-{year}-{next(self._sequence):06d}"
        self.submissions[accession] = Submission(accession, mode, form_type, errors=errors)
        return 202, {
            **_ids(),
            "accessionNumber": accession,
            "mode": mode,
            "status": "RECEIVED",
            "transmissionStatus": "RECEIVED",
        }

    def _status(self, accession: str, request: Recorded) -> tuple[int, dict[str, Any]]:
        refused = self._tokens(request, user=False)
        if refused:
            return refused
        submission = self.submissions.get(accession)
        if submission is None:
            return 404, _error("INFO", f"No submission found for '{accession}'")
        submission.polls += 1
        if submission.polls <= self.not_found_polls:
            return 404, _error("INFO", f"No submission found for '{accession}'")
        if submission.polls <= self.not_found_polls + self.processing_polls:
            return 200, {
                **_ids(),
                "documentCount": 0,
                "items": [],
                "accessionNumber": accession,
                "mode": submission.mode,
                "status": "PROCESSING",
                "final": False,
                "submissionProcessingStatus": "PROCESSING",
            }
        suspended = bool(submission.errors) or self.outcome == "SUSPENDED"
        errors = submission.errors or [
            ("TAG_VALUE_MISSING_OR_INVALID", "Value for Period of Report is missing or invalid.")
        ]
        status = "SUSPENDED" if suspended else "ACCEPTED"
        answer: dict[str, Any] = {
            **_ids(),
            "accessionNumber": accession,
            "mode": submission.mode,
            "status": status,
            "formType": submission.form_type,
            "final": True,
            "submissionProcessingStatus": status,
            "notification": base64.b64encode(
                _notification(submission, status, errors if suspended else []).encode()
            ).decode(),
            "items": [],
        }
        if suspended:
            answer["submissionMessages"] = [
                {
                    "errorNumber": 442,
                    "docSequenceNum": 0,
                    "lineNumber": 0,
                    "lineOffset": 0,
                    "context": "none",
                    "errorLabel": label,
                    "type": "ERROR",
                    "content": message,
                }
                for label, message in errors
            ]
        return 200, answer


def _ids() -> dict[str, str]:
    return {"tracking": "5e981101d4bfdee09b95c6f1d53e8551", "locator": "l33922"}


def _error(kind: str, text: str) -> dict[str, Any]:
    return {**_ids(), "messages": [{"type": kind, "content": text}]}


def _notification(submission: Submission, status: str, errors: list[tuple[str, str]]) -> str:
    """EDGAR's e-mail about the submission, in its words and layout (abridged)."""
    verb = "SUSPENDED" if status == "SUSPENDED" else "ACCEPTED"
    lines = [
        f"Subject: {verb} FORM TYPE {submission.form_type} ({submission.accession})",
        "",
        f"THE FOLLOWING SUBMISSION HAS BEEN {verb} BY THE U.S. SECURITIES AND EXCHANGE",
        "COMMISSION.",
        "",
        f"FORM TYPE:     {submission.form_type}",
        f"TEST FILING:   {'YES' if submission.mode == 'TEST' else 'NO'}",
        "",
        f"ACCESSION NUMBER: {submission.accession}",
    ]
    for label, message in errors:
        lines += ["", f"ERR:  {label}", f"MSG:  {message}", "LOC:  LINE NUMBER: 0"]
    return "\r\n".join(lines) + "\r\n"
