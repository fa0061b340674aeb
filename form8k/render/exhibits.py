"""The exhibits' template contexts: a press release (letterhead, contacts, dateline,
sub-headlines, closing, schedules), any other document (title, redaction legend), and a
document made of page images."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from form8k.errors import Problem, SourceLocation
from form8k.model import ExhibitDocument, ExhibitSource, FilingBundle, PressRelease
from form8k.render.core import DocumentMeta, RenderError, long_date
from form8k.render.text import MarkdownContext


def _meta(bundle: FilingBundle, source: ExhibitSource, heading: str) -> DocumentMeta:
    exhibit = source.exhibit
    bookmark = f"Exhibit {exhibit.number}"
    return DocumentMeta(
        title=f"{bookmark} - {heading}",
        author=bundle.company.name,
        description=exhibit.description,
        keywords=(bookmark, f"Form {bundle.filing.form_type}"),
        bookmark=bookmark,
    )


def dateline(release: PressRelease, settings: Any) -> str | None:
    """The words that open the first paragraph, e.g. "CAMBRIDGE, MA, September 7, 2005 \u2013"."""
    line = release.dateline
    if line is None:
        return None
    if line.format is not None:
        pattern = line.format
    elif line.date is None:
        pattern = settings.dateline_without_date
    elif line.wire:
        pattern = settings.dateline_with_wire
    else:
        pattern = settings.dateline
    values = {
        "city": line.city,
        "date": long_date(line.date) if line.date else "",
        "wire": line.wire or "",
    }
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f"dateline pattern {pattern!r}: {error}") from None


def release_context(
    bundle: FilingBundle, source: ExhibitSource, markdown: MarkdownContext
) -> dict[str, Any]:
    """Everything press-release.htm.j2 shows."""
    company = bundle.company
    release = source.front_matter
    assert isinstance(release, PressRelease)
    settings = release.settings(company.style.release)
    try:
        lead = dateline(release, settings)
    except ValueError as error:
        raise RenderError(
            Problem(source.sources.locate(("dateline", "format")), str(error))
        ) from None
    body_start = SourceLocation(source.path, source.body_line)

    def boilerplate(field: str, *, always: bool = False) -> Markup | None:
        """The release's own paragraph for ``field``, else the company's, rendered."""
        own = getattr(release, field)
        text = own or getattr(company, field)
        if not text or not (always or release.boilerplate):
            return None
        sources = source.sources if own else bundle.company_sources
        return markdown(text, sources.locate((field,)))

    about = boilerplate("about")
    forward = boilerplate("forward_looking_statements")
    notice = boilerplate("legal_notice", always=True)
    contacts = release.contacts if release.contacts is not None else company.contacts
    return {
        "meta": _meta(bundle, source, release.headline),
        "company": company,
        "exhibit": source.exhibit,
        "release": release,
        "settings": settings,
        "letterhead_lines": [
            line.format(company=company.name) for line in settings.letterhead_lines
        ],
        "logo": bundle.logo.name if bundle.logo else None,
        "contacts": contacts if settings.contacts_position != "none" else [],
        "subheadlines": release.all_subheadlines,
        "body": markdown(source.body, body_start, lead=f"{lead} " if lead else None),
        "about": about,
        "about_heading": settings.about_heading.format(company=company.name),
        "forward_looking": forward,
        "notice": notice,
        "schedules": [
            markdown(schedule.body, SourceLocation(schedule.path, schedule.body_line))
            for schedule in source.schedules
        ],
    }


def document_context(
    bundle: FilingBundle, source: ExhibitSource, markdown: MarkdownContext
) -> dict[str, Any]:
    """Everything exhibit.htm.j2 shows for a document written in Markdown."""
    document = source.front_matter
    assert isinstance(document, ExhibitDocument)
    heading = document.title or source.exhibit.description
    return {
        "meta": _meta(bundle, source, heading),
        "company": bundle.company,
        "exhibit": source.exhibit,
        "document": document,
        "body": markdown(source.body, SourceLocation(source.path, source.body_line)),
        "pages": [],
    }


def pages_context(bundle: FilingBundle, source: ExhibitSource) -> dict[str, Any]:
    """Everything exhibit.htm.j2 shows for a document made of page images."""
    return {
        "meta": _meta(bundle, source, source.exhibit.description),
        "company": bundle.company,
        "exhibit": source.exhibit,
        "document": ExhibitDocument(title=None),
        "body": "",
        "pages": [page.name for page in source.pages],
    }
