"""The Form 8-K's template context: the cover's registrants and Section 12(b) rows, the items
with their headings, the exhibit index and a signature block per registrant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from form8k.editions import cover_edition
from form8k.items import ItemSpec
from form8k.model import FilingBundle, Registrant
from form8k.model.registrant import month_day
from form8k.render.core import DocumentMeta, Wording, long_date
from form8k.render.text import MarkdownContext
from form8k.xbrl.tagger import Row, Tagger


@dataclass(frozen=True)
class ItemView:
    """An item as the 8-K template shows it."""

    spec: ItemSpec
    anchor: str
    """The id of the item's block, e.g. ``item-8-01``."""
    heading: Markup
    section_caption: Markup | None
    """The form's section caption, printed before the first item of a section."""
    body: Markup


@dataclass(frozen=True)
class RegistrantView:
    """A registrant as the cover page and the signature block show it."""

    index: int
    registrant: Registrant
    context: str
    """The tagger's context of the registrant's own facts."""
    name: str
    """The name as the cover prints it (the house style may print it in capitals)."""
    rows: list[Row]
    """Its Section 12(b) rows."""
    note: Markup | None
    """The note under its Section 12(b) rows."""
    signer: dict[str, str | None]
    """name, title, capacity of the officer who signs for it."""


@dataclass(frozen=True)
class ExhibitRow:
    """A row of the exhibit index."""

    number: str
    mark: str
    description: str
    href: str | None


def _case(text: str, case: str) -> str:
    return text.upper() if case == "upper" else text


def report_context(
    bundle: FilingBundle, tagger: Tagger, markdown: MarkdownContext, say: Wording
) -> dict[str, Any]:
    """Everything 8-k.htm.j2 shows."""
    filing, company, style = bundle.filing, bundle.company, bundle.style
    registrants = []
    for index, registrant in enumerate(bundle.registrants):
        sources, prefix = bundle.registrant_sources(index)
        registrants.append(
            RegistrantView(
                index=index,
                registrant=registrant,
                context=tagger.registrant_context(index),
                name=_case(registrant.name, style.cover.registrant_name),
                rows=[row for row in tagger.rows if row.registrant == index],
                note=markdown(
                    registrant.section_12b_note,
                    sources.locate((*prefix, "section_12b_note")),
                    inline=True,
                )
                if registrant.section_12b_note
                else None,
                signer=_signer(bundle, index, registrant),
            )
        )
    layout = style.cover.layout
    if layout == "auto":
        layout = "combined" if len(registrants) > 1 else "single"

    items = []
    last_section = ""
    for index, item in sorted(enumerate(filing.items), key=lambda pair: pair[1].spec.sort_key):
        section = item.number.split(".")[0]
        caption = None
        if style.items.section_captions and section != last_section:
            caption = say("items.section_caption", section=section, title=item.spec.section)
        last_section = section
        items.append(
            ItemView(
                spec=item.spec,
                anchor="item-" + item.number.replace(".", "-"),
                heading=say("items.heading", number=item.number, title=item.heading_title),
                section_caption=caption,
                body=markdown(item.body, bundle.filing_sources.locate(("items", index, "body"))),
            )
        )

    index_style = style.exhibit_index
    exhibits = [
        ExhibitRow(
            exhibit.number,
            index_style.marks.get(exhibit.status, "") if exhibit.status else "",
            exhibit.description,
            bundle.exhibit_href(exhibit),
        )
        for exhibit in filing.sorted_exhibits
    ]
    if tagger.enabled and index_style.exhibit_104 and "104" not in {e.number for e in exhibits}:
        exhibits.append(ExhibitRow("104", "", index_style.exhibit_104, None))
    used_marks = {exhibit.status for exhibit in filing.exhibits if exhibit.status}
    mark_notes = [
        say.markup(text, f"exhibit_index.mark_notes.{status}")
        for status, text in index_style.mark_notes.items()
        if status in used_marks
    ]
    redacted = [
        exhibit.number
        for exhibit in filing.sorted_exhibits
        if (source := bundle.exhibits.get(exhibit.number)) is not None
        and getattr(source.front_matter, "redacted", False)
    ]

    item_list = "; ".join(f"Item {i.spec.number} {i.spec.title}" for i in items)
    meta = DocumentMeta(
        title=f"{company.name} - Form {filing.form_type} - {long_date(filing.date_of_report)}",
        author=company.name,
        description=f"Current report on Form {filing.form_type}: {item_list}",
        keywords=(f"Form {filing.form_type}", *(f"Item {i.spec.number}" for i in items)),
        bookmark=f"Form {filing.form_type}",
    )
    return {
        "meta": meta,
        "company": company,
        "filing": filing,
        "style": style,
        "say": say,
        "layout": layout,
        "registrants": registrants,
        "any_rows": any(view.rows for view in registrants),
        "edition": cover_edition(filing.filing_date),
        "items": items,
        "explanatory_note": markdown(
            filing.explanatory_note, bundle.filing_sources.locate(("explanatory_note",))
        )
        if filing.explanatory_note
        else None,
        "exhibits": exhibits,
        "exhibit_index_notes": markdown(
            filing.exhibit_index_notes, bundle.filing_sources.locate(("exhibit_index_notes",))
        )
        if filing.exhibit_index_notes
        else None,
        "mark_notes": mark_notes,
        "redacted_exhibits": redacted,
        "signature_date": filing.signature.date or filing.filing_date,
        "fiscal_year_end": _fiscal_year_end,
        "ix": tagger,
    }


def _signer(bundle: FilingBundle, index: int, registrant: Registrant) -> dict[str, str | None]:
    """Who signs for a registrant: filing.yaml's signature (for the first), else the
    registrant's signatory, else the company's."""
    own = registrant.signatory or bundle.company.signatory
    given = bundle.filing.signature if index == 0 else None
    return {
        field: (getattr(given, field) if given else None) or (getattr(own, field) if own else None)
        for field in ("name", "title", "capacity")
    }


def _fiscal_year_end(registrant: Registrant) -> str | None:
    """``--12-31``: the registrant's fiscal year end as dei:CurrentFiscalYearEndDate reads."""
    if registrant.fiscal_year_end is None:
        return None
    parsed = month_day(registrant.fiscal_year_end)
    if parsed is None:
        return None
    return f"--{parsed[0]:02d}-{parsed[1]:02d}"
