"""The Inline XBRL cover page, read back from the written files (never from the tagger)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from form8k.load import load_filing
from form8k.rules import to_problems
from form8k.xbrl.readback import check_cover_facts, read_document
from tests.conftest import FILING_YAML, REPO

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "ix": "http://www.xbrl.org/2013/inlineXBRL",
    "xbrli": "http://www.xbrl.org/2003/instance",
    "link": "http://www.xbrl.org/2003/linkbase",
    "xlink": "http://www.w3.org/1999/xlink",
    "xs": "http://www.w3.org/2001/XMLSchema",
}
XLINK = "{http://www.w3.org/1999/xlink}"
A = "us-gaap:CommonClassAMember"
W = "us-gaap:WarrantMember"
N = "lrsy:A825SeniorNotesDue2030Member"

#: Every cover fact of the modern example, written out by hand from content/lumen-ridge.
EXPECTED = {
    ("dei:DocumentType", None, "8-K"),
    ("dei:AmendmentFlag", None, "false"),
    ("dei:DocumentPeriodEndDate", None, "2025-11-06"),
    ("dei:EntityRegistrantName", None, "Lumen Ridge Systems, Inc."),
    ("dei:EntityCentralIndexKey", None, "0001987654"),
    ("dei:EntityIncorporationStateCountryCode", None, "DE"),
    ("dei:EntityFileNumber", None, "001-41872"),
    ("dei:EntityTaxIdentificationNumber", None, "88-1234567"),
    ("dei:EntityAddressAddressLine1", None, "1200 Harbor Point Drive"),
    ("dei:EntityAddressAddressLine2", None, "Suite 400"),
    ("dei:EntityAddressCityOrTown", None, "Baltimore"),
    ("dei:EntityAddressStateOrProvince", None, "MD"),
    ("dei:EntityAddressPostalZipCode", None, "21231"),
    ("dei:CityAreaCode", None, "410"),
    ("dei:LocalPhoneNumber", None, "555-0142"),
    ("dei:WrittenCommunications", None, "false"),
    ("dei:SolicitingMaterial", None, "false"),
    ("dei:PreCommencementTenderOffer", None, "false"),
    ("dei:PreCommencementIssuerTenderOffer", None, "false"),
    ("dei:EntityEmergingGrowthCompany", None, "true"),
    ("dei:EntityExTransitionPeriod", None, "false"),
    ("dei:Security12bTitle", A, "Class A Common Stock, par value $0.0001 per share"),
    ("dei:TradingSymbol", A, "LRSY"),
    ("dei:SecurityExchangeName", A, "NASDAQ"),
    (
        "dei:Security12bTitle",
        W,
        "Warrants, each whole warrant exercisable for one share of "
        "Class A Common Stock at an exercise price of $11.50",
    ),
    ("dei:TradingSymbol", W, "LRSYW"),
    ("dei:SecurityExchangeName", W, "NASDAQ"),
    ("dei:Security12bTitle", N, "8.25% Senior Notes due 2030"),
    ("dei:TradingSymbol", N, "LRSYL"),
    ("dei:SecurityExchangeName", N, "NASDAQ"),
}


def member(context: object) -> str | None:
    """The class member of a context read back (the cover's only axis here), or None."""
    dimensions = sorted(context.dimensions)  # type: ignore[attr-defined]
    assert len(dimensions) <= 1
    return dimensions[0][1] if dimensions else None


@pytest.fixture(scope="module")
def primary(lumen_ridge: Path) -> bytes:
    return (lumen_ridge / "lrsy-20251106.htm").read_bytes()


def test_primary_document_is_inline_xbrl_xhtml(primary: bytes) -> None:
    assert primary.startswith(b'<html xmlns="http://www.w3.org/1999/xhtml"')
    assert b"<!DOCTYPE" not in primary.upper()
    root = etree.fromstring(primary)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"
    assert root.get("lang") is None
    (schema_ref,) = root.iterfind(".//link:schemaRef", NS)
    assert schema_ref.get(f"{XLINK}href") == "lrsy-20251106.xsd"
    hidden = root.find(".//ix:hidden", NS)
    assert [f.get("name") for f in hidden] == ["dei:AmendmentFlag", "dei:EntityCentralIndexKey"]
    header_div = root.find(".//ix:header", NS).getparent()
    assert header_div.get("style") == "display:none"


def test_every_cover_fact_reads_back_with_its_context(primary: bytes) -> None:
    facts, contexts, ids, _ = read_document(primary)
    members = {context.id: member(context) for context in contexts}
    read = {(fact.concept, members[fact.context], fact.value) for fact in facts}
    assert read == EXPECTED
    assert len(facts) == len(EXPECTED)
    assert len(ids) == len(set(ids))


def test_contexts_are_the_date_of_report_for_the_cik_one_per_class(primary: bytes) -> None:
    facts, contexts, _, _ = read_document(primary)
    assert [(c.id, member(c)) for c in contexts] == [
        ("c-1", None),
        ("c-2", A),
        ("c-3", W),
        ("c-4", N),
    ]
    for context in contexts:
        assert (context.scheme, context.identifier) == ("http://www.sec.gov/CIK", "0001987654")
        assert (context.start, context.end) == ("2025-11-06", "2025-11-06")
    assert {fact.context for fact in facts} == {"c-1", "c-2", "c-3", "c-4"}


def test_facts_are_visible_where_the_cover_shows_them(primary: bytes) -> None:
    root = etree.fromstring(primary)
    cover = root.find(".//x:div[@id='cover']", NS)
    shown = {f.get("name") for f in cover.iterfind(".//ix:nonNumeric", NS)}
    assert shown == {concept for concept, _, _ in EXPECTED} - {
        "dei:AmendmentFlag",
        "dei:EntityCentralIndexKey",
    }
    box = cover.find(".//ix:nonNumeric[@name='dei:EntityEmergingGrowthCompany']", NS)
    assert (box.text, box.get("format")) == ("\u2612", "ixt-sec:boolballotbox")
    state = cover.find(".//ix:nonNumeric[@name='dei:EntityIncorporationStateCountryCode']", NS)
    assert (state.text, state.get("format")) == ("Delaware", "ixt-sec:stateprovnameen")
    date = cover.find(".//ix:nonNumeric[@name='dei:DocumentPeriodEndDate']", NS)
    assert (date.text, date.get("format")) == ("November 6, 2025", "ixt:date-monthname-day-year-en")


def test_extension_schema_imports_dei_and_us_gaap_and_declares_the_new_member(
    lumen_ridge: Path,
) -> None:
    schema = etree.parse(lumen_ridge / "lrsy-20251106.xsd").getroot()
    assert schema.get("targetNamespace") == "http://www.lumenridge.example/20251106"
    imports = {i.get("schemaLocation") for i in schema.iterfind("xs:import", NS)}
    assert "https://xbrl.sec.gov/dei/2025/dei-2025.xsd" in imports
    assert "https://xbrl.fasb.org/us-gaap/2025/elts/us-gaap-2025.xsd" in imports
    refs = [r.get(f"{XLINK}href") for r in schema.iterfind(".//link:linkbaseRef", NS)]
    assert refs == ["lrsy-20251106_lab.xml", "lrsy-20251106_pre.xml", "lrsy-20251106_def.xml"]
    (role,) = schema.iterfind(".//link:roleType", NS)
    assert role.get("roleURI") == "http://www.lumenridge.example/role/Cover"
    elements = [(e.get("name"), e.get("type")) for e in schema.iterfind("xs:element", NS)]
    assert elements == [("A825SeniorNotesDue2030Member", "dtr-types:domainItemType")]
    (role,) = schema.iterfind(".//link:roleType", NS)
    used_on = [u.text for u in role.iterfind("link:usedOn", NS)]
    assert used_on == ["link:presentationLink", "link:calculationLink", "link:definitionLink"]


def test_every_concept_used_has_a_standard_label(lumen_ridge: Path, primary: bytes) -> None:
    # EFM 6.10.1: the dei and us-gaap schemas carry no labels, so ours labels each concept.
    root = etree.parse(lumen_ridge / "lrsy-20251106_lab.xml").getroot()
    link = root.find("link:labelLink", NS)
    locs = {
        loc.get(f"{XLINK}label"): loc.get(f"{XLINK}href").split("#")[1].replace("_", ":", 1)
        for loc in link.iterfind("link:loc", NS)
    }
    texts: dict[str, dict[str, str]] = {}
    for label in link.iterfind("link:label", NS):
        assert label.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"
        role = label.get(f"{XLINK}role").rsplit("/", 1)[1]
        texts.setdefault(label.get(f"{XLINK}label"), {})[role] = label.text
    labels = {
        locs[arc.get(f"{XLINK}from")]: texts[arc.get(f"{XLINK}to")]
        for arc in link.iterfind("link:labelArc", NS)
    }
    facts, contexts, _, _ = read_document(primary)
    used = (
        {fact.concept for fact in facts}
        | {name for context in contexts for pair in context.dimensions for name in pair}
        | {"us-gaap:ClassOfStockDomain"}
    )
    assert {concept for concept in used if "label" not in labels.get(concept, {})} == set()
    assert labels["dei:DocumentType"]["label"] == "Document Type"
    assert labels["us-gaap:StatementClassOfStockAxis"]["label"] == "Class of Stock [Axis]"
    assert labels["lrsy:A825SeniorNotesDue2030Member"] == {
        "label": "8.25% Senior Notes due 2030 [Member]",
        "terseLabel": "8.25% Senior Notes due 2030",
    }


def _tree(link: etree._Element, arc: str) -> list[tuple[str, str, str, str]]:
    locs = {
        loc.get(f"{XLINK}label"): loc.get(f"{XLINK}href").split("#")[1]
        for loc in link.iterfind("link:loc", NS)
    }
    return [
        (
            a.get(f"{XLINK}arcrole").rsplit("/", 1)[1],
            locs[a.get(f"{XLINK}from")],
            locs[a.get(f"{XLINK}to")],
            a.get("order"),
        )
        for a in link.iterfind(f"link:{arc}", NS)
    ]


def test_presentation_orders_the_cover_table_then_each_concept(lumen_ridge: Path) -> None:
    root = etree.parse(lumen_ridge / "lrsy-20251106_pre.xml").getroot()
    arcs = _tree(root.find("link:presentationLink", NS), "presentationArc")
    assert arcs[:6] == [
        ("parent-child", "dei_CoverAbstract", "dei_EntitiesTable", "1"),
        ("parent-child", "dei_EntitiesTable", "us-gaap_StatementClassOfStockAxis", "1"),
        ("parent-child", "us-gaap_StatementClassOfStockAxis", "us-gaap_ClassOfStockDomain", "1"),
        ("parent-child", "us-gaap_ClassOfStockDomain", "us-gaap_CommonClassAMember", "1"),
        ("parent-child", "us-gaap_ClassOfStockDomain", "us-gaap_WarrantMember", "2"),
        ("parent-child", "us-gaap_ClassOfStockDomain", "lrsy_A825SeniorNotesDue2030Member", "3"),
    ]
    assert arcs[6] == ("parent-child", "dei_EntitiesTable", "dei_EntityInformationLineItems", "2")
    concepts = [to for _, source, to, _ in arcs[7:]]
    assert concepts[:4] == [
        "dei_DocumentType",
        "dei_DocumentPeriodEndDate",
        "dei_EntityRegistrantName",
        "dei_EntityIncorporationStateCountryCode",
    ]
    assert concepts[-2:] == ["dei_EntityCentralIndexKey", "dei_AmendmentFlag"]
    assert len(concepts) == len({concept for concept, _, _ in EXPECTED})


def test_definition_gives_the_table_its_dimensional_arcs(lumen_ridge: Path) -> None:
    root = etree.parse(lumen_ridge / "lrsy-20251106_def.xml").getroot()
    arcs = _tree(root.find("link:definitionLink", NS), "definitionArc")
    kinds = [(kind, source, to) for kind, source, to, _ in arcs[:7]]
    assert kinds == [
        ("all", "dei_EntityInformationLineItems", "dei_EntitiesTable"),
        ("hypercube-dimension", "dei_EntitiesTable", "us-gaap_StatementClassOfStockAxis"),
        ("dimension-domain", "us-gaap_StatementClassOfStockAxis", "us-gaap_ClassOfStockDomain"),
        ("dimension-default", "us-gaap_StatementClassOfStockAxis", "us-gaap_ClassOfStockDomain"),
        ("domain-member", "us-gaap_ClassOfStockDomain", "us-gaap_CommonClassAMember"),
        ("domain-member", "us-gaap_ClassOfStockDomain", "us-gaap_WarrantMember"),
        ("domain-member", "us-gaap_ClassOfStockDomain", "lrsy_A825SeniorNotesDue2030Member"),
    ]
    all_arc = root.find(".//link:definitionArc", NS)
    assert all_arc.get("{http://xbrl.org/2005/xbrldt}closed") == "true"
    assert all_arc.get("{http://xbrl.org/2005/xbrldt}contextElement") == "segment"


def test_manifest_lists_the_submission_in_upload_order(lumen_ridge: Path) -> None:
    manifest = json.loads((lumen_ridge / "manifest.json").read_text())
    assert [(d["file"], d["type"]) for d in manifest["documents"]] == [
        ("lrsy-20251106.htm", "8-K"),
        ("lrsy-ex99-1.htm", "EX-99.1"),
        ("lrsy-ex99-2.htm", "EX-99.2"),
        ("lrsy-20251106.xsd", "EX-101.SCH"),
        ("lrsy-20251106_lab.xml", "EX-101.LAB"),
        ("lrsy-20251106_pre.xml", "EX-101.PRE"),
        ("lrsy-20251106_def.xml", "EX-101.DEF"),
        ("lrsy-logo.jpg", "GRAPHIC"),
    ]
    assert not any(d["file"].endswith(".pdf") for d in manifest["documents"])


def test_exhibit_104_is_an_index_row_never_a_file(lumen_ridge: Path, primary: bytes) -> None:
    root = etree.fromstring(primary)
    rows = root.findall(".//x:div[@id='item-9-01']//x:tr", NS)
    last = ["".join(cell.itertext()) for cell in rows[-1]]
    assert last == [
        "104",
        "Cover Page Interactive Data File (embedded within the Inline XBRL document)",
    ]
    assert rows[-1].find(".//x:a", NS) is None
    assert not list(lumen_ridge.glob("*104*"))


def test_immunogen_opts_out_of_tagging(immunogen: Path) -> None:
    assert sorted(p.suffix for p in immunogen.iterdir() if p.suffix in (".xsd", ".xml")) == []
    document = (immunogen / "imgn-20050906.htm").read_bytes()
    assert b"ix:" not in document and b"xmlns" not in document and b"104" not in document
    manifest = json.loads((immunogen / "manifest.json").read_text())
    assert [d["type"] for d in manifest["documents"]] == ["8-K", "EX-99.1"]


def test_untagged_filing_after_the_phase_in_draws_a_warning(make_project, run_cli) -> None:
    root = make_project(
        {
            "content/example/filing.yaml": FILING_YAML.replace(
                "filing_date: 2024-03-04", "filing_date: 2024-03-04\ninline_xbrl: false"
            )
        }
    )
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 0
    assert out.splitlines()[0] == (
        "content/example/filing.yaml:4:14: warning: xbrl-tagging-missing: the cover page is not "
        "tagged in Inline XBRL (inline_xbrl: false), which 8-Ks filed since the 2019-2021 "
        "phase-in must be"
    )


def test_pdf_of_the_tagged_8k_shows_no_trace_of_the_hidden_header(lumen_ridge: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(lumen_ridge / "lrsy-20251106.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for trace in ("0001987654", "false", "c-1", "lrsy-20251106.xsd", "fact-", "NASDAQ"):
        assert trace not in text
    assert "Emerging growth company \u2612" in text
    assert text.splitlines()[0] == "UNITED STATES"


# --- the read-back check catches what a broken generator would write -------------------------


@pytest.fixture(scope="module")
def bundle():
    content = REPO / "content"
    return load_filing(
        content / "lumen-ridge" / "2025-11-06-q3-results", content=content, root=REPO
    )


def problems(bundle, document: bytes, schema: bytes) -> list[str]:
    findings = check_cover_facts(bundle, document, schema, Path("lrsy-20251106.htm"))
    return [p.display() for p in to_problems(findings)]


def test_the_written_example_passes_the_read_back(bundle, primary, lumen_ridge) -> None:
    schema = (lumen_ridge / "lrsy-20251106.xsd").read_bytes()
    assert problems(bundle, primary, schema) == []


def test_read_back_reports_a_mismatched_fact(bundle, primary, lumen_ridge) -> None:
    schema = (lumen_ridge / "lrsy-20251106.xsd").read_bytes()
    broken = primary.replace(b">LRSYW</ix:nonNumeric>", b">LRSYX</ix:nonNumeric>")
    assert broken != primary
    (shown,) = problems(bundle, broken, schema)
    assert shown.endswith(
        "error: xbrl-fact-mismatch: dei:TradingSymbol [us-gaap:WarrantMember] reads 'LRSYX' but "
        "the content says 'LRSYW'"
    )


def test_read_back_reports_an_unused_and_an_undefined_context(bundle, primary, lumen_ridge):
    schema = (lumen_ridge / "lrsy-20251106.xsd").read_bytes()
    extra = (
        b'<xbrli:context id="c-9"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">'
        b"0001987654</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:startDate>2025-11-06"
        b"</xbrli:startDate><xbrli:endDate>2025-11-06</xbrli:endDate></xbrli:period>"
        b"</xbrli:context></ix:resources>"
    )
    unused = primary.replace(b"</ix:resources>", extra)
    assert [line.split(": ", 1)[1] for line in problems(bundle, unused, schema)] == [
        "error: xbrl-context-unused: context 'c-9' is defined but no fact uses it"
    ]
    undefined = primary.replace(b'contextRef="c-3"', b'contextRef="c-7"', 1)
    shown = problems(bundle, undefined, schema)
    assert any(
        "xbrl-context-undefined: dei:Security12bTitle refers to context 'c-7'" in line
        for line in shown
    )


def test_read_back_reports_a_member_the_schema_does_not_declare(bundle, primary, lumen_ridge):
    schema = (lumen_ridge / "lrsy-20251106.xsd").read_bytes()
    renamed = schema.replace(b'name="A825SeniorNotesDue2030Member"', b'name="SeniorNotesMember"')
    (shown,) = problems(bundle, primary, renamed)
    assert shown.endswith(
        "error: xbrl-member-undeclared: member lrsy:A825SeniorNotesDue2030Member is used in a "
        "context but lrsy-20251106.xsd does not declare it"
    )


def test_taxonomy_year_follows_the_filing_date_or_the_filing_override(make_project, run_cli):
    # On 2024-03-04 EDGAR release 23.x was in force (24.1, which added us-gaap 2024, went live
    # on March 18): the newest year it took for both dei and us-gaap was 2023.
    root = make_project()
    assert run_cli("--project", str(root), "build", "--format", "html")[0] == 0
    document = (root / "output" / "example" / "exmp-20240301.htm").read_bytes()
    assert b'xmlns:dei="http://xbrl.sec.gov/dei/2023"' in document
    root = make_project({"content/example/filing.yaml": FILING_YAML + "taxonomy_year: 2022\n"})
    assert run_cli("--project", str(root), "build", "--format", "html")[0] == 0
    schema = (root / "output" / "example" / "exmp-20240301.xsd").read_bytes()
    assert b'schemaLocation="https://xbrl.sec.gov/dei/2022/dei-2022.xsd"' in schema


def test_a_taxonomy_year_edgar_does_not_accept_that_day_is_refused(make_project, run_cli):
    root = make_project({"content/example/filing.yaml": FILING_YAML + "taxonomy_year: 2025\n"})
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 1
    assert (
        "content/example/filing.yaml:12:16: error: xbrl-taxonomy-year: taxonomy_year 2025: on "
        "2024-03-04 EDGAR (release 23.2) accepts the dei and us-gaap taxonomies of 2022, 2023"
    ) in out


def test_an_amendment_tags_its_flag_and_description(make_project, run_cli) -> None:
    amendment = FILING_YAML.replace(
        "form_type: 8-K",
        "form_type: 8-K/A\namendment_number: 1\n"
        "explanatory_note: This amendment adds Exhibit 99.1.",
    )
    root = make_project({"content/example/filing.yaml": amendment})
    code, _, err = run_cli("--project", str(root), "check", "--strict")
    assert (code, err) == (0, "")
    assert run_cli("--project", str(root), "build", "--format", "html")[0] == 0
    facts, _, _, _ = read_document((root / "output" / "example" / "exmp-20240301.htm").read_bytes())
    values = {fact.concept: fact.value for fact in facts}
    assert values["dei:AmendmentFlag"] == "true"
    assert values["dei:DocumentType"] == "8-K/A"
    assert values["dei:AmendmentDescription"] == "This amendment adds Exhibit 99.1."


def test_a_class_on_two_exchanges_is_tagged_per_listing(make_project, run_cli) -> None:
    from tests.conftest import COMPANY_YAML

    securities = (
        "section_12b_securities:\n"
        "  - {title: Common Stock, trading_symbol: EXMP, exchange: New York Stock Exchange}\n"
        '  - {title: Common Stock, trading_symbol: EXMP, exchange: "NYSE Arca, Inc."}\n'
    )
    root = make_project({"content/company.yaml": COMPANY_YAML + securities})
    code, out, err = run_cli("--project", str(root), "build", "--format", "html", "--strict")
    assert (code, err) == (0, ""), out
    facts, contexts, _, _ = read_document(
        (root / "output" / "example" / "exmp-20240301.htm").read_bytes()
    )
    by_id = {context.id: context.dimensions for context in contexts}
    listed = {
        (fact.value, by_id[fact.context]) for fact in facts if fact.concept.endswith("ExchangeName")
    }
    common = ("us-gaap:StatementClassOfStockAxis", "us-gaap:CommonStockMember")
    assert listed == {
        ("NYSE", frozenset({common, ("dei:EntityListingsExchangeAxis", "exch:XNYS")})),
        ("NYSEArca", frozenset({common, ("dei:EntityListingsExchangeAxis", "exch:ARCX")})),
    }


def test_the_header_and_the_document_must_agree(make_project, run_cli) -> None:
    # A template that leaves an item's heading out: the header (from the model) still lists it.
    root = make_project()
    template = root / "templates" / "8-k.htm.j2"
    text = template.read_text()
    template.write_text(
        text.replace(
            "{% for item in items %}", "{% for item in items if item.spec.number != '8.01' %}"
        )
    )
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 1
    assert (
        "output/example/exmp-20240301.htm: error: xbrl-header-mismatch: the submission header "
        "says items ['8.01', '9.01'] but the 8-K reports ['9.01']"
    ) in out


def test_the_header_and_the_tags_must_agree() -> None:
    import json

    header = json.dumps(
        {"form_type": "8-K", "date_of_report": "2024-03-01", "cik": "0000000001", "items": []}
    ).encode()
    document = (
        b'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"'
        b' xmlns:dei="http://xbrl.sec.gov/dei/2024"><body>'
        b'<ix:nonNumeric name="dei:DocumentType" contextRef="c">8-K/A</ix:nonNumeric>'
        b'<ix:nonNumeric name="dei:DocumentPeriodEndDate" contextRef="c">2024-03-01</ix:nonNumeric>'
        b'<ix:nonNumeric name="dei:EntityCentralIndexKey" contextRef="c">0000000001</ix:nonNumeric>'
        b"</body></html>"
    )
    from form8k.xbrl.readback import check_header

    findings = check_header(header, document, Path("x.htm"), tagged=True)
    assert [(f.rule, f.arguments["field"]) for f in findings] == [
        ("xbrl-header-mismatch", "form type")
    ]
