"""Tags cover-page facts where the templates display them, and keeps what it tagged.

The 8-K template calls ``ix.text(...)``, ``ix.box(...)``, ``ix.date(...)`` around each value it
shows, in the context of the registrant or Section 12(b) row it shows. With tagging on, each
call wraps the text in an ``ix:nonNumeric`` element in that context with the transformation
EDGAR expects; with tagging off, it returns the text alone, so one template serves the 2005
filing and today's.

Contexts: the (first) registrant's facts need no dimension; a co-registrant's carry its member
on dei:LegalEntityAxis. When the filing has more than one Section 12(b) row, each row's facts
carry its class on us-gaap:StatementClassOfStockAxis (and its exchange on
dei:EntityListingsExchangeAxis when the class is listed on several), as EDGAR's rule
"one row in the default context, or every row on the axis" asks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from form8k.model import FilingBundle, Registrant, Security
from form8k.places import exchange_span, us_state_code
from form8k.xbrl.members import (
    ADDRESS_AXIS,
    CLASS_AXIS,
    ENTITY_AXIS,
    EXCHANGE_AXIS,
    FORMER_ADDRESS,
    Member,
    class_members,
    exchange_member,
    listing_counts,
    registrant_member,
)
from form8k.xbrl.taxonomy import CIK_SCHEME, NS, Taxonomies, taxonomies_for

HEADER_MARKER = "<!--form8k:ix-header-->"
#: How the SEC's ``stateprovnameen`` transformation reads a state: a capital or small first
#: letter and small letters after it ("Delaware", "new York"), never all capitals.
STATE_NAME = re.compile(r"^\s*[A-Za-z][a-z]*(\s+[A-Za-z][a-z]*)*(,\s+U\.S\.)?\s*$")
BALLOT_BOX = {False: "&#9744;", True: "&#9746;"}


@dataclass(frozen=True)
class Context:
    """One XBRL context: the date of report as a duration, for the filer's CIK (every context
    has the same identifier, EFM 6.5.3; a co-registrant is a member on dei:LegalEntityAxis)
    and, where given, members on the cover's axes."""

    id: str
    cik: str
    dimensions: tuple[tuple[str, Member], ...] = ()
    """(axis, member) pairs."""

    @property
    def members(self) -> tuple[Member, ...]:
        return tuple(member for _, member in self.dimensions)


@dataclass(frozen=True)
class Fact:
    """A fact as tagged: concept, context, XBRL value, transformation, where it shows."""

    id: str
    concept: str
    """Qualified name, e.g. ``dei:DocumentType``."""
    context: str
    value: str
    """The value after the transformation, as an XBRL processor reads it."""
    format: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Row:
    """One row of a Section 12(b) table: a class on one exchange, in its context."""

    registrant: int
    """Index of the registrant (0 for the company)."""
    security: Security
    exchange: str
    context: str
    index: int
    """The security's index in its registrant's list (for locating it in the YAML)."""


def split_telephone(telephone: str) -> tuple[str, str]:
    """``(617) 995-2500`` -> (``(617)``, ``995-2500``); the area code as written."""
    match = re.match(r"^\s*(\(\d{3}\)|\d{3})[\s.-]*(\d{3}[\s.-]?\d{4})\s*$", telephone)
    if match:
        return match.group(1), match.group(2)
    return "", telephone


@dataclass
class Tagger:
    """Tags the facts of one 8-K; disabled, it only escapes the text."""

    bundle: FilingBundle
    enabled: bool
    facts: list[Fact] = field(default_factory=list)
    contexts: dict[str, Context] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    registrant_contexts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        bundle = self.bundle
        self.taxonomies: Taxonomies = taxonomies_for(
            bundle.filing.filing_date, bundle.filing.taxonomy_year
        )
        prefix = bundle.company.prefix
        registrants = bundle.registrants
        total_rows = sum(
            len(security.listed_on)
            for registrant in registrants
            for security in registrant.section_12b_securities
        )
        for index, registrant in enumerate(registrants):
            entity: tuple[tuple[str, Member], ...] = ()
            if index:
                entity = ((ENTITY_AXIS, registrant_member(registrant, prefix)),)
            self.registrant_contexts.append(self._context(bundle.company.cik, entity))
            members = class_members(registrant.section_12b_securities, prefix)
            listings = listing_counts(registrant.section_12b_securities)
            for position, security in enumerate(registrant.section_12b_securities):
                for exchange in security.listed_on:
                    dimensions = entity
                    if total_rows > 1:
                        dimensions += ((CLASS_AXIS, members[security.title]),)
                    listing = exchange_member(exchange)
                    if listings[security.title] > 1 and listing is not None:
                        dimensions += ((EXCHANGE_AXIS, listing),)
                    context = self._context(bundle.company.cik, dimensions)
                    self.rows.append(Row(index, security, exchange, context, position))

    def _context(self, cik: str, dimensions: tuple[tuple[str, Member], ...]) -> str:
        for context in self.contexts.values():
            if (context.cik, context.dimensions) == (cik, dimensions):
                return context.id
        context = Context(f"c-{len(self.contexts) + 1}", cik, dimensions)
        self.contexts[context.id] = context
        return context.id

    # --- what the extension taxonomy needs ----------------------------------------------

    def members(self, axis: str) -> list[Member]:
        """The members used on ``axis``, in the order first used, each once."""
        seen: list[Member] = []
        for context in self.contexts.values():
            for dimension, member in context.dimensions:
                if dimension == axis and member not in seen:
                    seen.append(member)
        return seen

    @property
    def used_contexts(self) -> list[Context]:
        """The contexts some fact uses, in the order they were made."""
        used = {fact.context for fact in self.facts}
        return [context for context in self.contexts.values() if context.id in used]

    @property
    def extension_prefix(self) -> str:
        return self.bundle.company.prefix

    @property
    def extension_namespace(self) -> str:
        """``http://{company's host}/{yyyymmdd}``: EDGAR requires an http:// namespace
        (EFM 6.7.4) that the filing's own schema defines."""
        website = self.bundle.company.website or f"{self.bundle.company.prefix}.com"
        host = re.sub(r"^[a-z]+://", "", website.strip()).strip("/")
        return f"http://{host}/{self.bundle.filing.date_of_report:%Y%m%d}"

    @property
    def schema_name(self) -> str:
        return f"{self.bundle.document_stem}.xsd"

    # --- calls from the templates --------------------------------------------------------

    def registrant_context(self, index: int) -> str:
        """The context of the ``index``-th registrant's own facts."""
        return self.registrant_contexts[index]

    def former_address_context(self, index: int) -> str:
        """The context of the ``index``-th registrant's former address."""
        base = self.contexts[self.registrant_contexts[index]]
        return self._context(base.cik, (*base.dimensions, (ADDRESS_AXIS, FORMER_ADDRESS)))

    def text(
        self,
        concept: str,
        value: str,
        *,
        context: str | None = None,
    ) -> Markup:
        """A text fact shown as it is."""
        return self._tag(concept, str(escape(value)), value, context=context)

    def name(self, registrant: Registrant, shown: str, *, context: str) -> Markup:
        """The registrant's name as printed. When EDGAR's conformed name differs, that is the
        fact: tagged in place where the printed name begins with it ("NVIDIA CORP|ORATION"),
        else kept in ix:hidden and tied to the printed name (``-sec-ix-hidden``)."""
        conformed = registrant.conformed_name
        if conformed is None or conformed == shown or not self.enabled:
            return self.text("dei:EntityRegistrantName", shown, context=context)
        if shown.startswith(conformed):
            return self.text("dei:EntityRegistrantName", conformed, context=context) + Markup(
                escape(shown[len(conformed) :])
            )
        return self._behind("dei:EntityRegistrantName", conformed, shown, context)

    def _behind(self, concept: str, value: str, shown: str, context: str | None) -> Markup:
        """A fact whose value the printed text cannot give (a transformation cannot read it):
        kept in ix:hidden and tied to the text shown, as EDGAR asks (``-sec-ix-hidden``)."""
        fact = self._record(concept, value, None, context or self.registrant_contexts[0], True)
        return Markup(
            f'<b style="font-weight:inherit;-sec-ix-hidden:{fact.id}">{escape(shown)}</b>'
        )

    def date(self, concept: str, value: dt.date) -> Markup:
        """A date shown as ``September 6, 2005``."""
        shown = f"{value:%B} {value.day}, {value.year}"
        return self._tag(concept, shown, value.isoformat(), fmt="ixt:date-monthname-day-year-en")

    def glyph(self, checked: bool) -> Markup:
        """A check box that is not a fact: a ballot box, or the house style's glyph on a cover
        that is not tagged."""
        if self.enabled:
            return Markup(BALLOT_BOX[checked])
        cover = self.bundle.style.cover
        return Markup(escape(cover.checked_box if checked else cover.unchecked_box))

    def box(self, concept: str, checked: bool, *, context: str | None = None) -> Markup:
        """A check box: a ballot box, ticked or not (the house style's glyph, untagged)."""
        if not self.enabled:
            return self.glyph(checked)
        return self._tag(
            concept,
            BALLOT_BOX[checked],
            "true" if checked else "false",
            fmt="ixt-sec:boolballotbox",
            context=context,
        )

    def state(self, concept: str, name: str, *, context: str | None = None) -> Markup:
        """A U.S. state by name (transformed to its code) or by its two-letter code; a name the
        SEC's transformation cannot read (capitals: "DELAWARE") is tagged behind the text."""
        code = us_state_code(name)
        if code is None:  # not a U.S. state: left untagged (the checks say so)
            return Markup(escape(name))
        if len(name.strip()) == 2:
            return self._tag(concept, str(escape(name)), code, context=context)
        if not STATE_NAME.match(name) and self.enabled:
            return self._behind(concept, code, name, context)
        return self._tag(
            concept, str(escape(name)), code, fmt="ixt-sec:stateprovnameen", context=context
        )

    def telephone(self, telephone: str, *, context: str | None = None) -> Markup:
        """``(617) 995-2500`` as CityAreaCode and LocalPhoneNumber; the area code is tagged
        with its parentheses or, as the house style says, its digits only."""
        area, local = split_telephone(telephone)
        if not area:
            return self.text("dei:LocalPhoneNumber", local, context=context)
        digits = area.strip("()")
        if area.startswith("(") and self.bundle.style.cover.area_code == "digits":
            tagged = Markup("(") + self.text("dei:CityAreaCode", digits, context=context) + ")"
        else:
            tagged = self.text("dei:CityAreaCode", area, context=context)
        return tagged + Markup(" ") + self.text("dei:LocalPhoneNumber", local, context=context)

    def block(self, concept: str, content: Markup) -> Markup:
        """Rendered Markdown as one text fact (e.g. the amendment's description)."""
        if not self.enabled:
            return content
        import lxml.html

        text = " ".join(
            lxml.html.fragment_fromstring(str(content), create_parent="div").text_content().split()
        )
        return self._tag(concept, str(content), text)

    def exchange(self, name: str, *, context: str) -> Markup:
        """An exchange by name, transformed to its dei code; when the SEC's transformation
        reads only part of the name (``Nasdaq`` in "The Nasdaq Stock Market (LLC)"), only
        that part is tagged."""
        span = exchange_span(name)
        if span is None:
            return self._tag("dei:SecurityExchangeName", str(escape(name)), name, context=context)
        start, end, exchange = span
        tagged = self._tag(
            "dei:SecurityExchangeName",
            str(escape(name[start:end])),
            exchange.code,
            fmt="ixt-sec:exchnameen",
            context=context,
        )
        return Markup(escape(name[:start])) + tagged + Markup(escape(name[end:]))

    def no_symbol(self, *, context: str) -> Markup:
        """A class without a trading symbol: "N/A", tagged as NoTradingSymbolFlag."""
        return self._tag(
            "dei:NoTradingSymbolFlag", "N/A", "true", fmt="ixt:fixed-true", context=context
        )

    def hidden(self, concept: str, value: str, *, context: str | None = None) -> Markup:
        """A fact EDGAR lets stay hidden (CIK, AmendmentFlag); it goes into ix:hidden."""
        if self.enabled:
            self._record(concept, value, None, context or self.registrant_contexts[0], True)
        return Markup("")

    @property
    def header(self) -> Markup:
        """Where ix:header goes; filled in after the document is rendered."""
        return Markup(HEADER_MARKER) if self.enabled else Markup("")

    @property
    def html_attributes(self) -> Markup:
        """The namespace declarations of the root element."""
        if not self.enabled:
            return Markup("")
        names = {
            "": NS["xhtml"],
            "ix": NS["ix"],
            "ixt": NS["ixt"],
            "ixt-sec": NS["ixt-sec"],
            "xbrli": NS["xbrli"],
            "xbrldi": NS["xbrldi"],
            "link": NS["link"],
            "xlink": NS["xlink"],
            "dei": self.taxonomies.dei_namespace,
            "us-gaap": self.taxonomies.us_gaap_namespace,
        }
        if self.members(EXCHANGE_AXIS):
            names["exch"] = self.taxonomies.exch_namespace
        names[self.extension_prefix] = self.extension_namespace
        declarations = " ".join(
            f'xmlns{":" + prefix if prefix else ""}="{escape(uri)}"'
            for prefix, uri in names.items()
        )
        return Markup(f' {declarations} xml:lang="en-US"')

    # --- the header, once the document is rendered -----------------------------------------

    def render_header(self) -> str:
        """``ix:header`` with the hidden facts, the schema reference and the used contexts."""
        hidden = "".join(
            f'<ix:nonNumeric name="{f.concept}" contextRef="{f.context}" id="{f.id}">'
            f"{escape(f.value)}</ix:nonNumeric>"
            for f in self.facts
            if f.hidden
        )
        contexts = "".join(self._context_xml(context) for context in self.used_contexts)
        return (
            '<div style="display:none"><ix:header>'
            f"<ix:hidden>{hidden}</ix:hidden>"
            f'<ix:references><link:schemaRef xlink:type="simple" xlink:href="{self.schema_name}"/>'
            "</ix:references>"
            f"<ix:resources>{contexts}</ix:resources>"
            "</ix:header></div>"
        )

    def _context_xml(self, context: Context) -> str:
        day = self.bundle.filing.date_of_report.isoformat()
        segment = ""
        if context.dimensions:
            segment = (
                "<xbrli:segment>"
                + "".join(
                    f'<xbrldi:explicitMember dimension="{axis}">{member.qname}'
                    "</xbrldi:explicitMember>"
                    for axis, member in context.dimensions
                )
                + "</xbrli:segment>"
            )
        return (
            f'<xbrli:context id="{context.id}"><xbrli:entity>'
            f'<xbrli:identifier scheme="{CIK_SCHEME}">{context.cik}</xbrli:identifier>{segment}'
            "</xbrli:entity><xbrli:period>"
            f"<xbrli:startDate>{day}</xbrli:startDate><xbrli:endDate>{day}</xbrli:endDate>"
            "</xbrli:period></xbrli:context>"
        )

    # --- internals ------------------------------------------------------------------------

    def _tag(
        self,
        concept: str,
        shown: str,
        value: str,
        *,
        fmt: str | None = None,
        context: str | None = None,
    ) -> Markup:
        if not self.enabled:
            return Markup(shown)
        fact = self._record(concept, value, fmt, context or self.registrant_contexts[0])
        format_attribute = f' format="{fmt}"' if fmt else ""
        return Markup(
            f'<ix:nonNumeric name="{concept}" contextRef="{fact.context}" id="{fact.id}"'
            f"{format_attribute}>{shown}</ix:nonNumeric>"
        )

    def _record(
        self,
        concept: str,
        value: str,
        fmt: str | None,
        context: str,
        hidden: bool = False,
    ) -> Fact:
        fact = Fact(f"fact-{len(self.facts) + 1}", concept, context, value, fmt, hidden)
        self.facts.append(fact)
        return fact
