"""One filing folder -> a FilingBundle: filing.yaml, the nearest company.yaml (with the filing's
overrides and house-style changes), the exhibits' Markdown files and their images."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from form8k.errors import Problem, SourceLocation, SourceMap, did_you_mean
from form8k.load.files import GRAPHIC_SUFFIXES, require_inside, resolve_reference
from form8k.load.limits import MARKDOWN_BYTES
from form8k.load.schema import validate
from form8k.load.text import LoadError, read_front_matter, read_text, read_yaml_file
from form8k.model import (
    Company,
    Exhibit,
    ExhibitDocument,
    ExhibitSource,
    Filing,
    FilingBundle,
    Graphic,
    MarkdownSource,
    PressRelease,
)
from form8k.project import COMPANY_FILE, FILING_FILE


def find_company_file(folder: Path, content: Path) -> Path | None:
    """The nearest company.yaml from the filing folder up to content/ (whatever it is: a
    company.yaml that cannot be read is reported, never passed over for one further up)."""
    for directory in (folder, *folder.parents):
        candidate = directory / COMPANY_FILE
        if os.path.lexists(candidate):
            return candidate
        if directory == content:
            break
    return None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _company_data(
    filing_data: dict[str, Any], company_data: dict[str, Any], sources: SourceMap, filing: SourceMap
) -> dict[str, Any]:
    """company.yaml with the filing's ``company:`` overrides and ``style:`` changes merged in;
    ``sources`` learns where each merged value was written."""
    overrides = filing_data.get("company")
    merged = _merge(company_data, overrides if isinstance(overrides, dict) else {})
    sources.graft(filing, ("company",))
    style = filing_data.get("style")
    if isinstance(style, dict):
        base = merged.get("style")
        merged["style"] = _merge(base if isinstance(base, dict) else {}, style)
        sources.graft(filing, ("style",), ("style",))
    return merged


def load_filing(folder: Path, *, content: Path, root: Path) -> FilingBundle:
    """Load, validate and resolve one filing folder; raise LoadError with all its problems."""
    filing_path = folder / FILING_FILE
    problems: list[Problem] = []
    require_inside(filing_path, root)
    filing_data, filing_sources = read_yaml_file(filing_path)

    company_path = find_company_file(folder, content)
    if company_path is None:
        raise LoadError(
            [
                Problem(
                    SourceLocation(filing_path, 1, 1),
                    f"no {COMPANY_FILE} in this folder or above it in {content.name}/",
                )
            ]
        )
    require_inside(company_path, root)
    company_data, company_sources = read_yaml_file(company_path)
    merged = _company_data(filing_data, company_data, company_sources, filing_sources)
    company: Company | None = None
    filing: Filing | None = None
    try:
        company = validate(Company, merged, company_sources)
    except LoadError as error:
        problems += error.problems
    try:
        filing = validate(Filing, filing_data, filing_sources)
    except LoadError as error:
        problems += error.problems
    if company is None or filing is None:
        raise LoadError(problems)

    if filing.co_registrants is not None:
        keys = [co.key for co in company.co_registrants]
        for index, key in enumerate(filing.co_registrants):
            if key not in keys:
                known = ", ".join(keys) or "none"
                problems.append(
                    Problem(
                        filing_sources.locate(("co_registrants", index)),
                        f"no co-registrant {key!r} in {company_path.name} (its co-registrants: "
                        f"{known})" + did_you_mean(key, keys),
                    )
                )

    logo = None
    if company.logo is not None:
        try:
            logo_path = resolve_reference(
                company.logo,
                location=company_sources.locate(("logo",)),
                root=root,
                suffixes=GRAPHIC_SUFFIXES,
            )
            logo = Graphic(f"{company.prefix}-logo{logo_path.suffix.lower()}", logo_path)
        except LoadError as error:
            problems += error.problems

    exhibits: dict[str, ExhibitSource] = {}
    for index, exhibit in enumerate(filing.exhibits):
        try:
            source = _exhibit_source(exhibit, index, folder, filing_sources, root, company.prefix)
        except LoadError as error:
            problems += error.problems
            continue
        if source is not None:
            exhibits[exhibit.number] = source
    if problems:
        raise LoadError(problems)
    named = {source.path for source in exhibits.values()} | {
        schedule.path for source in exhibits.values() for schedule in source.schedules
    }
    unreferenced = tuple(
        path for path in sorted(folder.glob("*.md")) if path.resolve() not in named
    )
    return FilingBundle(
        key=folder.relative_to(content).as_posix(),
        folder=folder,
        company=company,
        filing=filing,
        filing_sources=filing_sources,
        company_sources=company_sources,
        exhibits=exhibits,
        logo=logo,
        unreferenced_documents=unreferenced,
    )


def _exhibit_source(
    exhibit: Exhibit, index: int, folder: Path, filing_sources: SourceMap, root: Path, prefix: str
) -> ExhibitSource | None:
    """The exhibit's document: its Markdown file (and a press release's schedules), or its page
    images; None for an exhibit that is not a document of this submission."""
    if exhibit.pages:
        pages = []
        stem = f"{prefix}-ex{exhibit.number.replace('.', '-')}"
        for page, name in enumerate(exhibit.pages, start=1):
            path = resolve_reference(
                name,
                location=filing_sources.locate(("exhibits", index, "pages", page - 1)),
                root=root,
                suffixes=GRAPHIC_SUFFIXES,
            )
            pages.append(Graphic(f"{stem}-p{page}{path.suffix.lower()}", path))
        return ExhibitSource(
            exhibit, None, "", folder, SourceMap(folder / FILING_FILE), pages=tuple(pages)
        )
    if exhibit.source is None:
        return None
    location = filing_sources.locate(("exhibits", index, "source"))
    path = resolve_reference(exhibit.source, location=location, root=root)
    data, sources, body, body_line = read_front_matter(path)
    schema: type[PressRelease | ExhibitDocument] = (
        PressRelease if exhibit.kind == "press-release" else ExhibitDocument
    )
    front_matter = validate(schema, data, sources)
    schedules: list[MarkdownSource] = []
    if isinstance(front_matter, PressRelease):
        for position, schedule in enumerate(front_matter.schedules):
            schedule_path = resolve_reference(
                schedule, location=sources.locate(("schedules", position)), root=root
            )
            schedules.append(_markdown_file(schedule_path))
    return ExhibitSource(
        exhibit, front_matter, body, path, sources, body_line, schedules=tuple(schedules)
    )


def _markdown_file(path: Path) -> MarkdownSource:
    """A Markdown file without front matter (or with, which is then skipped)."""
    text = read_text(path, MARKDOWN_BYTES)
    if text.startswith("---"):
        _, _, body, line = read_front_matter(path)
        return MarkdownSource(path.resolve(), body, line)
    return MarkdownSource(path.resolve(), text, 1)
