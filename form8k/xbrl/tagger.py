"""Tags cover-page facts where the templates display them, and keeps what it tagged.

The 8-K template calls ``ix.text(...)``, ``ix.box(...)``, ``ix.date(...)`` around each value it
shows. With tagging on, each call wraps the text in an ``ix:nonNumeric`` element in the right
context with the transformation EDGAR expects; with tagging off, it returns the text alone, so
one template serves the 2005 filing and today's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from form8k.model import FilingBundle, Security
from form8k.xbrl.taxonomy import (
    CIK_SCHEME,
    NS,
    US_GAAP_MEMBERS,
    Taxonomies,
    exchange_code,
    taxonomies_for,
)

HEADER_MARKER = "<!--form8k:ix-header-->"
BALLOT_BOX = {False: "&#9744;", True: "&#9746;"}
EXHIBIT_104 = "Cover Page Interactive Data File (embedded within the Inline XBRL document)"


@dataclass(frozen=True)
class Member:
    """A class of securities' member on us-gaap:StatementClassOfStockAxis."""

    prefix: str
    """``us-gaap``, or the company's prefix for an extension member."""
    name: str
    """Local name, e.g. ``CommonStockMember``."""
    label: str
    """Label of an extension member (the class's title)."""

    @property
    def qname(self) -> str:
        return f"{self.prefix}:{self.name}"

    @property
    def is_extension(self) -> bool:
        return self.prefix != "us-gaap"


@dataclass(frozen=True)
class Context:
    """One XBRL context: the date of report as a duration, for the entity or one class."""

    id: str
    member: Member | None = None


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


def member_for(security: Security, prefix: str) -> Member:
    """The class's member: given in content, a us-gaap member for usual classes, else new."""
    if security.member:
        if ":" in security.member:
            member_prefix, name = security.member.split(":", 1)
            return Member(member_prefix, name, security.title)
        return Member(prefix, security.member, security.title)
    for pattern, name in US_GAAP_MEMBERS:
        if pattern.search(security.title):
            return Member("us-gaap", name, security.title)
    return Member(prefix, extension_member_name(security.title), security.title)


def extension_member_name(title: str) -> str:
    """A member name from a class title: "5.3% Notes due 2035" -> "A5.3NotesDue2035Member"."""
    head = re.split(r",? par value|\(", title, maxsplit=1, flags=re.IGNORECASE)[0]
    words = re.findall(r"[A-Za-z0-9.]+", head)
    name = "".join(word[:1].upper() + word[1:] for word in words).strip(".")[:80]
    if not name or not name[0].isalpha():
        name = "A" + name
    return name + "Member"


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
    _class_contexts: list[Context] = field(default_factory=list)

    def __post_init__(self) -> None:
        company = self.bundle.company
        self.taxonomies: Taxonomies = taxonomies_for(
            self.bundle.filing.filing_date, self.bundle.filing.taxonomy_year
        )
        self.entity = Context("c-1")
        self.contexts[self.entity.id] = self.entity
        securities = company.section_12b_securities
        if len(securities) > 1:
            for index, security in enumerate(securities, start=2):
                context = Context(f"c-{index}", member_for(security, company.prefix))
                self._class_contexts.append(context)
        else:
            self._class_contexts = [self.entity] * len(securities)

    # --- what the extension taxonomy needs ----------------------------------------------

    @property
    def members(self) -> list[Member]:
        """Members of the classes, in table order, each once."""
        seen: list[Member] = []
        for context in self._class_contexts:
            if context.member is not None and context.member not in seen:
                seen.append(context.member)
        return seen

    @property
    def extension_prefix(self) -> str:
        return self.bundle.company.prefix

    @property
    def extension_namespace(self) -> str:
        website = self.bundle.company.website or f"http://{self.bundle.company.prefix}.com"
        return f"{website.rstrip('/')}/{self.bundle.filing.date_of_report:%Y%m%d}"

    @property
    def schema_name(self) -> str:
        return f"{self.bundle.document_stem}.xsd"

    # --- calls from the templates --------------------------------------------------------

    def class_context(self, index: int) -> str:
        """The context of the ``index``-th Section 12(b) row."""
        return self._class_contexts[index].id

    def text(self, concept: str, value: str, *, context: str | None = None) -> Markup:
        """A text fact shown as it is."""
        return self._tag(concept, str(escape(value)), value, context=context)

    def date(self, concept: str, value: dt.date) -> Markup:
        """A date shown as ``September 6, 2005``."""
        shown = f"{value:%B} {value.day}, {value.year}"
        return self._tag(concept, shown, value.isoformat(), fmt="ixt:date-monthname-day-year-en")

    def box(self, concept: str, checked: bool) -> Markup:
        """A check box: a ballot box, ticked or not."""
        return self._tag(
            concept,
            BALLOT_BOX[checked],
            "true" if checked else "false",
            fmt="ixt-sec:boolballotbox",
        )

    def state(self, concept: str, name: str) -> Markup:
        """A U.S. state by name (transformed to its code) or by its two-letter code."""
        from form8k.rules.form import us_state_code

        code = us_state_code(name)
        if code is None:  # not a U.S. state: left untagged (rules.form says so)
            return Markup(escape(name))
        if len(name.strip()) == 2:
            return self._tag(concept, str(escape(name)), code)
        return self._tag(concept, str(escape(name)), code, fmt="ixt-sec:stateprovnameen")

    def telephone(self, telephone: str) -> Markup:
        """``(617) 995-2500`` as CityAreaCode and LocalPhoneNumber."""
        area, local = split_telephone(telephone)
        if not area:
            return self.text("dei:LocalPhoneNumber", local)
        return (
            self.text("dei:CityAreaCode", area)
            + Markup(" ")
            + self.text("dei:LocalPhoneNumber", local)
        )

    def block(self, concept: str, content: Markup) -> Markup:
        """Rendered Markdown as one text fact (e.g. the amendment's description)."""
        if not self.enabled:
            return content
        import lxml.html

        text = " ".join(
            lxml.html.fragment_fromstring(str(content), create_parent="div").text_content().split()
        )
        return self._tag(concept, str(content), text)

    @property
    def exhibit_104(self) -> str:
        """The exhibit index's description of Exhibit 104 (SEC C&DI 101.01)."""
        return EXHIBIT_104

    def exchange(self, name: str, *, context: str) -> Markup:
        """An exchange by name, transformed to its dei code."""
        code = exchange_code(name) or name
        return self._tag(
            "dei:SecurityExchangeName",
            str(escape(name)),
            code,
            fmt="ixt-sec:exchnameen",
            context=context,
        )

    def no_symbol(self, *, context: str) -> Markup:
        """A class without a trading symbol: "N/A", tagged as NoTradingSymbolFlag."""
        return self._tag(
            "dei:NoTradingSymbolFlag", "N/A", "true", fmt="ixt:fixed-true", context=context
        )

    def hidden(self, concept: str, value: str) -> Markup:
        """A fact EDGAR lets stay hidden (CIK, AmendmentFlag); it goes into ix:hidden."""
        if self.enabled:
            self._record(concept, value, None, self.entity.id, hidden=True)
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
            self.extension_prefix: self.extension_namespace,
        }
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
        used = {fact.context for fact in self.facts}
        contexts = "".join(
            self._context_xml(context) for context in self._all_contexts() if context.id in used
        )
        return (
            '<div style="display:none"><ix:header>'
            f"<ix:hidden>{hidden}</ix:hidden>"
            f'<ix:references><link:schemaRef xlink:type="simple" xlink:href="{self.schema_name}"/>'
            "</ix:references>"
            f"<ix:resources>{contexts}</ix:resources>"
            "</ix:header></div>"
        )

    def _all_contexts(self) -> list[Context]:
        result = [self.entity]
        for context in self._class_contexts:
            if context not in result:
                result.append(context)
        return result

    def _context_xml(self, context: Context) -> str:
        cik = self.bundle.company.cik
        day = self.bundle.filing.date_of_report.isoformat()
        segment = ""
        if context.member is not None:
            segment = (
                "<xbrli:segment>"
                '<xbrldi:explicitMember dimension="us-gaap:StatementClassOfStockAxis">'
                f"{context.member.qname}</xbrldi:explicitMember></xbrli:segment>"
            )
        return (
            f'<xbrli:context id="{context.id}"><xbrli:entity>'
            f'<xbrli:identifier scheme="{CIK_SCHEME}">{cik}</xbrli:identifier>{segment}'
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
        fact = self._record(concept, value, fmt, context or self.entity.id)
        format_attribute = f' format="{fmt}"' if fmt else ""
        return Markup(
            f'<ix:nonNumeric name="{concept}" contextRef="{fact.context}" id="{fact.id}"'
            f"{format_attribute}>{shown}</ix:nonNumeric>"
        )

    def _record(
        self, concept: str, value: str, fmt: str | None, context: str, *, hidden: bool = False
    ) -> Fact:
        fact = Fact(f"fact-{len(self.facts) + 1}", concept, context, value, fmt, hidden)
        self.facts.append(fact)
        return fact
