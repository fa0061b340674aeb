"""Rules a filing must meet, as one table; the checks that apply them never raise.

``RULES`` is the table: id, default severity, source, message. Correcting a rule is a one-line
change here; a project can change a rule's severity in ``form8k.yaml`` (see ``form8k.config``).
The checks live beside it: ``form`` (the content model against Form 8-K) and ``edgar`` (the
rendered HTML against EDGAR's document rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from form8k.errors import Problem, Severity, SourceLocation
from form8k.model import FilingBundle


@dataclass(frozen=True)
class Rule:
    """One rule: what it is called, how bad breaking it is, where it comes from, what it says."""

    id: str
    severity: Severity
    source: str
    message: str
    """A format string filled from the check's arguments."""
    configurable: bool = True
    """False for rules without which the filing cannot be rendered at all."""


E, W = Severity.ERROR, Severity.WARNING
S_K_601 = "Regulation S-K Item 601"
EFM = "EDGAR Filer Manual Vol. II"

_TABLE = (
    # --- the form's items ---------------------------------------------------------------
    Rule("item-unknown", E, "Form 8-K (Release 33-8400)", "{message}", configurable=False),
    Rule(
        "item-duplicate",
        E,
        "Form 8-K, General Instruction B.3",
        "Item {number} is reported twice; report each item once",
    ),
    Rule(
        "item-not-in-force",
        E,
        "Form 8-K; the release that added the item (form8k/items.py)",
        "Item {number} ({title}) exists only from {since} ({since_source}); this filing is "
        "dated {filing_date}",
    ),
    Rule(
        "exhibits-need-item-9.01",
        E,
        "Form 8-K, Item 9.01(d)",
        'the filing has exhibits but no Item 9.01 to list them; add an item with number "9.01"',
        configurable=False,
    ),
    Rule(
        "item-9.01-without-exhibits",
        W,
        "Form 8-K, Item 9.01",
        "Item 9.01 is reported but the filing lists no exhibits",
    ),
    Rule(
        "exhibit-duplicate",
        E,
        f"{S_K_601}(a)(2)",
        "Exhibit {number} is listed twice",
        configurable=False,
    ),
    Rule(
        "exhibit-number",
        W,
        f"{S_K_601}, exhibit table (Form 8-K column) (verify)",
        "Exhibit {number}: Item 601 has no exhibit {major} for Form 8-K (allowed: {allowed})",
    ),
    Rule(
        "exhibit-99-sequence",
        W,
        f"{S_K_601}(a)(2)",
        "Exhibits 99.x should be numbered 99.1, 99.2, ... without gaps; expected {expected}, "
        "found {number}",
    ),
    Rule(
        "exhibit-images-only",
        W,
        "Regulation S-T Rule 304 (graphic and image material)",
        "Exhibit {number} is page images only: EDGAR accepts images, but text and tables that "
        "must be filed may not be given only as images; file the text as well where it is "
        "required",
    ),
    Rule(
        "exhibit-104-document",
        E,
        "SEC C&DI 101.01 (Exhibit 104)",
        "Exhibit 104 is the cover page's Inline XBRL, embedded in the 8-K: list it with "
        "'index_only: true', never as a document of its own",
    ),
    Rule(
        "exhibit-unlisted",
        W,
        "Form 8-K, Item 9.01(d)",
        "{name!r} looks like an exhibit document but no exhibit names it as its source",
    ),
    Rule("amendment-number", E, "Form 8-K cover page; Exchange Act Rule 12b-15", "{problem}"),
    # --- dates and deadline -----------------------------------------------------------------
    Rule(
        "date-order",
        E,
        "Form 8-K, General Instruction B.1",
        "the date of report ({date_of_report}) is after the filing date ({filing_date})",
    ),
    Rule(
        "filing-date-closed",
        E,
        "Regulation S-T Rule 12 (EDGAR's business days and hours)",
        "the filing date {filing_date} is {reason}: EDGAR files nothing that day; the next "
        "business day is {next_day}",
    ),
    Rule("signature-date", E, "Form 8-K, Signatures", "the signature date ({date}) is {problem}"),
    Rule(
        "late-filing",
        W,
        "Form 8-K, General Instruction B.1",
        "filed on {filing_date}, {late} business day{plural} late: Item {items} had to be filed "
        "within four business days after {date_of_report}, by {due} (weekends and U.S. federal "
        "holidays excluded)",
    ),
    Rule("cik-format", E, "EDGAR Filer Manual Vol. I (CIK)", "{message}", configurable=False),
    Rule(
        "placeholder-value",
        W,
        "form8k init / form8k new company",
        "{field} is still the placeholder {value!r} that form8k wrote; replace it with the "
        "registrant's own",
    ),
    Rule(
        "ein-format",
        E,
        "Form 8-K cover page (IRS Employer Identification No.)",
        "IRS Employer Identification No. {value!r} should read NN-NNNNNNN",
    ),
    Rule(
        "file-number-format",
        W,
        "Form 8-K cover page (Commission File Number)",
        "Commission File Number {value!r} should read like 0-17999, 001-41872 or 333-123456",
    ),
    Rule(
        "incorporation",
        W,
        "Form 8-K cover page (State or other jurisdiction of incorporation)",
        "{value!r} is not a U.S. state or a country{suggestion}",
    ),
    Rule(
        "zip-format",
        W,
        "Form 8-K cover page (Zip Code)",
        "ZIP code {value!r} should read NNNNN or NNNNN-NNNN",
    ),
    Rule(
        "telephone-format",
        W,
        "Form 8-K cover page (telephone number, including area code)",
        "telephone number {value!r} should include its area code, e.g. (617) 995-2500",
    ),
    Rule(
        "section-12b-row",
        E,
        "Form 8-K cover page; Release 33-10618",
        "Section 12(b) row {row}: {problem}",
    ),
    Rule(
        "co-registrant-cik",
        E,
        "EDGAR Filer Manual Vol. I (co-registrants)",
        "CIK {cik} is already the CIK of another registrant of this filing",
    ),
    Rule(
        "transition-election",
        E,
        "Form 8-K cover page; Release 33-10332",
        "the extended-transition-period election applies only to an emerging growth company; "
        "set emerging_growth_company: true or remove the election",
    ),
    # --- press release --------------------------------------------------------------------
    Rule("release-fields", E, "Exhibit 99.1 conventions", "the press release's {field} is empty"),
    Rule(
        "release-date",
        E,
        "Form 8-K, Item 9.01; Regulation FD",
        "the press release is dated {date}, after the filing date {filing_date}",
    ),
    Rule(
        "safe-harbor-missing",
        W,
        "Private Securities Litigation Reform Act of 1995, "
        "Securities Act Section 27A and Exchange Act Section 21E",
        "the press release uses forward-looking language ({words}) but carries no "
        "forward-looking-statements paragraph; give company.forward_looking_statements or "
        "write one",
    ),
    # --- signature ------------------------------------------------------------------------
    Rule(
        "signatory-missing",
        E,
        "Form 8-K, Signatures; Regulation S-T Rule 302",
        "no signatory: give signature.{field} here or signatory.{field} in company.yaml",
        configurable=False,
    ),
    # --- EDGAR document rules, checked on the rendered HTML -------------------------------
    Rule("file-name", E, f"{EFM} 5.1.1", "document name {name!r} {problem}"),
    Rule(
        "file-name-length",
        E,
        f"{EFM} 5.1.1",
        "document name {name!r} has {length} characters; EDGAR allows at most 32 "
        "(shorten 'prefix' in company.yaml)",
    ),
    Rule(
        "html-element",
        E,
        f"{EFM} 5.2.2; EFM 5.02.02.04 / 5.02.05",
        "<{element}> is not an element EDGAR accepts in {kind}",
    ),
    Rule(
        "html-attribute",
        E,
        f"{EFM} 5.2.2; EFM 5.02.02.05 / 5.02.05",
        "<{element} {attribute}=...> is not accepted by EDGAR",
    ),
    Rule(
        "html-active-content",
        E,
        "Regulation S-T Rule 106; EFM 5.02.02.10",
        "{what} is active content, which EDGAR rejects",
    ),
    Rule(
        "html-nested-table",
        E,
        "EFM 5.02.02.10 / 5.02.05",
        "a table inside a table: EDGAR rejects nested tables",
    ),
    Rule(
        "html-link",
        E,
        f"{EFM} 5.2.2 (hyperlinks); EFM 6.05.16",
        "link to {href!r}: EDGAR accepts links only to documents of this submission or to "
        "https://www.sec.gov/Archives/edgar/data/...",
    ),
    Rule("html-image", E, f"{EFM} 5.2.2 (graphics); EFM 5.02.02.10", "image {src!r}: {problem}"),
    Rule("html-characters", E, f"{EFM} 5.2.1, table 5-1; EFM 5.02.01.01 / 5.02.02.06", "{problem}"),
    Rule("html-structure", E, f"{EFM} 5.2.2; EFM 5.02.02.02 / 5.02.02.03", "{problem}"),
    Rule(
        "submission-size",
        W,
        f"{EFM} (submission size; verify the current limit)",
        "the submission is {size} MB; EDGAR refuses submissions over {limit} MB",
    ),
    Rule(
        "glyph-missing",
        W,
        "the PDFs' bundled fonts (templates/fonts/README.md); EDGAR's HTML is read with the "
        "reader's own fonts",
        "{character} has no glyph in the bundled fonts: the PDF shows a box; EDGAR's HTML "
        "shows whatever the reader's browser has",
    ),
)

IXBRL = "Release 33-10618; EDGAR Filer Manual Vol. II ch. 6"
_XBRL_TABLE = (
    # --- the Inline XBRL cover page: content, then the facts read back from the document ---
    Rule(
        "xbrl-tagging-missing",
        W,
        "Release 33-10618 (cover-page tagging, phased in from June 15, 2019)",
        "the cover page is not tagged in Inline XBRL (inline_xbrl: false), which "
        "8-Ks filed since the 2019-2021 phase-in must be",
    ),
    Rule(
        "xbrl-incorporation-untagged",
        W,
        IXBRL,
        "{value!r} is not a U.S. state, so the cover page leaves "
        "EntityIncorporationStateCountryCode untagged; EDGAR expects it",
    ),
    Rule(
        "xbrl-exchange-unknown",
        E,
        "SEC Inline XBRL transformation registry (exchnameen)",
        "{value!r} is not an exchange name the SEC's transformation reads{suggestion}; it reads "
        '{known} (with or without "The", "LLC", "Inc.")',
    ),
    Rule(
        "xbrl-taxonomy-year",
        E,
        "EDGAR's accepted taxonomies by release (form8k/xbrl/taxonomy.py); EFM 6.22",
        "taxonomy_year {year}: on {filing_date} EDGAR (release {release}) accepts the dei and "
        "us-gaap taxonomies of {accepted}",
    ),
    Rule(
        "xbrl-fiscal-year-end",
        E,
        "EDGAR Filer Manual Vol. II 6.5.21 (Item 5.03 and dei:CurrentFiscalYearEndDate)",
        "the filing reports Item 5.03, so its cover page must tag the fiscal year end: add "
        "'fiscal_year_end' (e.g. \"December 31\") to the registrant",
    ),
    Rule(
        "xbrl-schema-ref",
        E,
        "EDGAR Filer Manual Vol. II 6.3; Inline XBRL 1.1",
        "the document's schemaRef is {href!r}; it must name the filing's schema {expected!r}",
    ),
    Rule(
        "xbrl-id-duplicate",
        E,
        "Inline XBRL 1.1; XHTML (id uniqueness)",
        "id {id!r} is used {count} times; every id must be unique",
    ),
    Rule(
        "xbrl-context-undefined",
        E,
        "Inline XBRL 1.1 (ix11.10.1.2)",
        "{concept} refers to context {id!r}, which ix:resources does not define",
    ),
    Rule(
        "xbrl-context-unused",
        E,
        "EDGAR Filer Manual Vol. II 6.5.4 (unused contexts)",
        "context {id!r} is defined but no fact uses it",
    ),
    Rule(
        "xbrl-context-mismatch",
        E,
        "EDGAR Filer Manual Vol. II 6.5.1 / 6.5.3",
        "context {id!r} is for {found}; expected {expected}",
    ),
    Rule(
        "xbrl-member-undeclared",
        E,
        "XBRL Dimensions 1.0; EDGAR Filer Manual Vol. II 6.7",
        "member {member} is used in a context but {schema} does not declare it",
    ),
    Rule(
        "xbrl-fact-missing",
        E,
        "EDGAR Filer Manual Vol. II 6.5.20; EFM 6.5.52",
        "{concept} is not tagged on the cover page",
    ),
    Rule(
        "xbrl-fact-mismatch",
        E,
        IXBRL,
        "{concept} reads {found!r} but the content says {expected!r}",
    ),
    Rule(
        "xbrl-fact-unexpected", E, IXBRL, "{concept} is tagged but the content gives no such fact"
    ),
    Rule(
        "edgar-efm",
        E,
        "EDGAR Filer Manual Vol. II ch. 5 and 6, as the SEC's EDGAR plugin for Arelle checks it "
        "(check --edgar)",
        "{message}",
        configurable=False,
    ),
    Rule(
        "xbrl-header-mismatch",
        E,
        "EDGAR Filer Manual Vol. II 6.5.20 and 5.2 (submission header and documents agree)",
        "the submission header says {field} {header!r} but the 8-K {where} {document!r}",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in (*_TABLE, *_XBRL_TABLE)}


@dataclass(frozen=True)
class Finding:
    """A check's raw result: which rule, where, and the message's arguments."""

    rule: str
    location: SourceLocation
    arguments: Mapping[str, object]


def to_problems(
    findings: list[Finding], severities: Mapping[str, Severity | None] | None = None
) -> list[Problem]:
    """Apply the table (and the project's severity settings) to findings; None means ignored."""
    problems = []
    for finding in findings:
        rule = RULES[finding.rule]
        severity = rule.severity
        if severities and rule.configurable and finding.rule in severities:
            chosen = severities[finding.rule]
            if chosen is None:
                continue
            severity = chosen
        problems.append(
            Problem(finding.location, rule.message.format(**finding.arguments), severity, rule.id)
        )
    return problems


def check_filing(
    bundle: FilingBundle, severities: Mapping[str, Severity | None] | None = None
) -> list[Problem]:
    """Every problem the model checks find in a loaded filing, located in its YAML."""
    from form8k.rules.model import check_model

    return to_problems(check_model(bundle), severities)
