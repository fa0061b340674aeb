"""The preview's own HTML: the listing, the block added to each document, the problem overlay.

Nothing here reaches the build output: the server adds ``preview_block`` to a document as it
sends it. The block is one piece between two comments, so the document around it is the build's
bytes unchanged.

Every value put into a page is escaped here, whatever its source (a request path, a folder
name, the content, a problem's message); URLs are percent-encoded (``filing_url``).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from urllib.parse import quote

from form8k.errors import Problem, Severity
from form8k.rules.calendar import business_days_between
from form8k.rules.filing import DEADLINE_TIME
from form8k.serve.preview import FilingState, Preview, Summary

BLOCK_START = b"<!-- form8k preview: added by the server, not part of the filing -->"
BLOCK_END = b"<!-- /form8k preview -->"
RELOAD_SCRIPT = "/_preview/reload.js"

#: Sent as /_preview/reload.js: follow the page's event stream, reload when the version moves.
RELOAD_JS = """\
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script.getAttribute("data-version");
  var filing = script.getAttribute("data-filing");
  var url = "/_preview/events" + (filing ? "?filing=" + encodeURIComponent(filing) : "");
  var source = new EventSource(url);
  source.addEventListener("version", function (event) {
    if (event.data !== version) {
      source.close();
      window.location.reload();
    }
  });
  var dismiss = document.getElementById("form8k-overlay-dismiss");
  if (dismiss) {
    dismiss.addEventListener("click", function () {
      document.getElementById("form8k-overlay").style.display = "none";
    });
  }
})();
"""

_FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif"
_MONO = "font-family:ui-monospace,'DejaVu Sans Mono',monospace"
_RED, _AMBER, _GREEN = "#b00020", "#8a5a00", "#1b6e20"


def filing_url(key: str, name: str = "") -> str:
    """Where the preview serves a file of filing ``key``."""
    return f"/filings/{quote(key)}/{quote(name)}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _problem_line(problem: Problem, root: Path) -> str:
    colour = _RED if problem.severity is Severity.ERROR else _AMBER
    rule = f"{escape(problem.rule)}: " if problem.rule else ""
    return (
        f'<li style="margin:0.25em 0">'
        f'<span class="location" style="font-weight:bold">'
        f"{escape(problem.location.display(root))}</span>: "
        f'<span style="color:{colour}">{problem.severity.value}</span>: '
        f'<span class="message">{rule}{escape(problem.message)}</span></li>'
    )


def overlay(
    state: FilingState, root: Path, *, problems: list[Problem] | None = None, note: str = ""
) -> str:
    """The problem panel over the page: file, line and message of each problem; '' if none."""
    problems = state.problems if problems is None else problems
    if not problems:
        return ""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    counts = ", ".join(
        _count(n, noun) for n, noun in ((errors, "error"), (warnings, "warning")) if n
    )
    if note:
        under = note
    elif errors and state.files:
        under = "the page shows the last good build"
    elif errors:
        under = "nothing has built yet"
    else:
        under = "the page is up to date"
    colour = _RED if errors else _AMBER
    items = "".join(_problem_line(problem, root) for problem in problems)
    return (
        f'<div id="form8k-overlay" role="alert" style="position:fixed;top:0;left:0;right:0;'
        f"z-index:2147483647;max-height:50vh;overflow:auto;box-sizing:border-box;"
        f"background:#fffdfd;border-bottom:4px solid {colour};"
        f"box-shadow:0 4px 16px rgba(0,0,0,0.25);padding:12px 20px;"
        f'{_FONT};font-size:14px;color:#222">'
        f'<button id="form8k-overlay-dismiss" type="button" title="Hide until the next change" '
        f'style="float:right;border:0;background:none;font-size:20px;cursor:pointer">&#215;</button>'
        f'<div style="font-weight:bold;color:{colour}">{counts} in {escape(state.key)} '
        f'<span style="font-weight:normal;color:#555">&#8212; {escape(under)}</span></div>'
        f'<ul style="margin:8px 0 0;padding-left:1.2em;{_MONO};font-size:13px">{items}</ul>'
        f"</div>"
    )


def navigation(state: FilingState | None, current: str = "") -> str:
    """The small bar in the corner: all filings, each document, the PDFs."""
    links = [("All filings", "/")]
    if state is not None:
        summary = state.good or state.summary
        if summary is not None:
            for document in summary.documents:
                links.append((document.label, filing_url(state.key, document.name)))
            page = next((d for d in summary.documents if d.name == current), None)
            if page is not None:
                links.append(("PDF", filing_url(state.key, page.pdf)))
            links.append(("Combined PDF", filing_url(state.key, summary.combined_pdf)))
    anchors = " &#183; ".join(
        f'<a href="{escape(href)}" style="color:#0b57d0;'
        f"{'font-weight:bold;' if href.endswith('/' + quote(current)) and current else ''}"
        f'text-decoration:none">{escape(label)}</a>'
        for label, href in links
    )
    return (
        f'<div id="form8k-nav" style="position:fixed;right:12px;bottom:12px;'
        f"z-index:2147483646;background:#fff;border:1px solid #ccc;border-radius:6px;"
        f'box-shadow:0 2px 8px rgba(0,0,0,0.15);padding:6px 10px;{_FONT};font-size:12px">'
        f'<span style="color:#666">form8k preview</span> &#183; {anchors}</div>'
    )


def script_tag(key: str | None, version: int) -> str:
    """The reload script, told which filing the page shows and at which version."""
    filing = f' data-filing="{escape(key)}"' if key is not None else ""
    return f'<script src="{RELOAD_SCRIPT}"{filing} data-version="{version}"></script>'


def preview_block(state: FilingState, root: Path, *, current: str) -> bytes:
    """What the server adds to a document: overlay, navigation, reload script."""
    html = overlay(state, root) + navigation(state, current) + script_tag(state.key, state.version)
    return BLOCK_START + html.encode("ascii", "xmlcharrefreplace") + BLOCK_END


def inject(document: bytes, block: bytes) -> bytes:
    """``document`` with ``block`` just before its ``</body>`` (at the end if it has none)."""
    at = document.lower().rfind(b"</body>")
    if at < 0:
        return document + block
    return document[:at] + block + document[at:]


def _page(title: str, body: str, tail: str) -> bytes:
    html = (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body style="margin:0;{_FONT};color:#222">{body}{tail}</body></html>\n'
    )
    return html.encode("utf-8")


def problem_page(state: FilingState, root: Path, *, problems: list[Problem], what: str) -> bytes:
    """A page in place of a document that cannot be shown: the overlay and links, reloading."""
    body = (
        f'<div style="padding:45vh 24px 24px;color:#555">{escape(what)} '
        f"cannot be shown until the problems above are fixed; this page reloads by itself.</div>"
    )
    note = "" if what == "The filing" else f"{what} cannot be made"
    tail = (
        overlay(state, root, problems=problems, note=note)
        + navigation(state)
        + script_tag(state.key, state.version)
    )
    return _page(f"{state.key} - form8k preview", body, tail)


def missing_page(preview: Preview) -> bytes:
    """The 404 page for a document: it reloads when anything changes (the file may come back)."""
    body = (
        '<div style="padding:24px"><h1 style="font-size:20px">Not found</h1>'
        '<p>No such document in the preview. <a href="/">All filings</a></p></div>'
    )
    return _page("Not found - form8k preview", body, script_tag(None, preview.version))


def days_left(due: dt.date, today: dt.date) -> tuple[str, str]:
    """How the deadline stands ``today``: (text, colour), e.g. ("3 business days left", green).

    The days left are the business days after today up to and including the deadline day.
    """
    if today == due:
        return f"due today by {DEADLINE_TIME}", _AMBER
    if today > due:
        late = business_days_between(due, today)
        ago = f" {_count(late, 'business day')} ago" if late else ""
        return f"deadline passed{ago}", _RED
    left = business_days_between(today, due)
    return f"{_count(left, 'business day')} left", _AMBER if left <= 1 else _GREEN


_NONE = '<span style="color:#888">&#8212;</span>'
_SMALL = "font-size:12px;color:#555"


def _deadline_cell(summary: Summary, today: dt.date) -> str:
    """The business days left (from today) and the deadline as the filing date meets it."""
    deadline = summary.deadline
    planned = (
        f'<div class="planned" style="{_SMALL}">'
        f"{escape(deadline.describe(summary.filing_date))}; "
        f'<span style="white-space:nowrap">filing date {summary.filing_date.isoformat()}</span>'
        "</div>"
    )
    if deadline.due is None:
        return planned
    text, colour = days_left(deadline.due, today)
    return f'<strong class="left" style="color:{colour}">{escape(text)}</strong>' + planned


def _registrant_cell(summary: Summary) -> str:
    html = escape(summary.registrant)
    if summary.co_registrants:
        names = ", ".join(escape(name) for name in summary.co_registrants)
        html += f'<div style="{_SMALL}">with {names}</div>'
    return html


def listing_page(preview: Preview) -> bytes:
    """Every filing under content/: registrant, form type, date of report, deadline, headline,
    items, documents, checks."""
    root = preview.root
    today = preview.today()
    rows = []
    for key in sorted(preview.filings):
        state = preview.filings[key]
        summary = state.summary
        if summary is not None:
            cells = {
                "registrant": _registrant_cell(summary),
                "form": escape(summary.form_type),
                "date": summary.date_of_report.isoformat(),
                "deadline": _deadline_cell(summary, today),
                "headline": escape(summary.headline) if summary.headline else _NONE,
                "items": "<br>".join(
                    f"{escape(number)} {escape(title)}" for number, title in summary.items
                ),
            }
        else:
            cells = dict.fromkeys(_SUMMARY_CELLS, _NONE)
        good = state.good
        if state.files and good is not None:
            documents = "<br>".join(
                f'<a href="{filing_url(key, d.name)}">{escape(d.label)}</a> '
                f'(<a href="{filing_url(key, d.pdf)}">PDF</a>)'
                for d in good.documents
            )
            documents += f'<br><a href="{filing_url(key, good.combined_pdf)}">Combined PDF</a>'
        else:
            documents = '<span style="color:#888">not built</span>'
        if state.errors:
            status = f'<strong style="color:{_RED}">{_count(state.errors, "error")}</strong>'
        elif state.warnings:
            status = f'<strong style="color:{_AMBER}">{_count(state.warnings, "warning")}</strong>'
        else:
            status = f'<strong style="color:{_GREEN}">passed</strong>'
        if state.problems:
            status += (
                f'<ul style="margin:4px 0 0;padding-left:1.2em;{_MONO};font-size:12px">'
                + "".join(_problem_line(problem, root) for problem in state.problems)
                + "</ul>"
            )
        cells = {
            "key": f'<a href="{filing_url(key)}">{escape(key)}</a>',
            **cells,
            "documents": documents,
            "checks": status,
        }
        rows.append(
            f'<tr class="filing" data-key="{escape(key)}">'
            + "".join(
                f'<td class="{name}" style="{_CELL}{_WIDTHS.get(name, "")}">{html}</td>'
                for name, html in cells.items()
            )
            + "</tr>"
        )
    header = "".join(f'<th style="{_CELL}">{name}</th>' for name in _COLUMNS)
    table = (
        f'<table style="border-collapse:collapse;font-size:14px;width:100%">'
        f"<tr>{header}</tr>" + "".join(rows) + "</table>"
        if rows
        else "<p>No filings: add a folder with a filing.yaml under content/.</p>"
    )
    body = (
        f'<div style="padding:20px 28px"><h1 style="font-size:22px;margin:0 0 4px">Filings</h1>'
        f'<p style="margin:0 0 16px;color:#555">{escape(str(preview.project.content))} '
        f"&#8212; pages reload when a file under content/ or templates/ or the project's "
        f"form8k.yaml is saved; business days left count from today, {today.isoformat()}.</p>"
        f"{table}</div>"
    )
    return _page("Filings - form8k preview", body, script_tag(None, preview.version))


_COLUMNS = (
    "Filing",
    "Registrant",
    "Form",
    "Date of report",
    "Deadline",
    "Headline",
    "Items",
    "Documents",
    "Checks",
)
_SUMMARY_CELLS = ("registrant", "form", "date", "deadline", "headline", "items")
_CELL = "padding:8px 12px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;"
_NOWRAP = "white-space:nowrap"
_WIDTHS = {
    "key": _NOWRAP,
    "form": _NOWRAP,
    "date": _NOWRAP,
    "documents": _NOWRAP,
    "registrant": "min-width:9em",
    "deadline": "min-width:13em",
    "headline": "min-width:13em",
    "items": "min-width:16em",
}
