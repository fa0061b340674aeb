"""The Arelle harness on a real EDGAR submission: Caterpillar's Inline XBRL 8-K of April 28, 2022.

The real filing must give no message beyond what follows from the SEC and FASB taxonomies being
unreachable offline (the filter is not too strict), and each kind of breakage made in a copy of it
must come out as an unexpected message (the filter is not too loose) -- including breakages that
share a message code with the offline ones and differ only in the namespace or transform named.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.xbrl_validation import (
    OFFLINE_RULES,
    TAXONOMY_PACKAGES_ENV,
    ArelleResult,
    taxonomy_packages_from_env,
    unexpected_messages,
    validate_inline,
)

#: shared/ sits beside the repository (locally and in CI).
CAT_DIR = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "real-filings" / "cat-2022-04-28"
)
PRIMARY = "cat-20220428.htm"
SCHEMA = "cat-20220428.xsd"
LINKBASES = {
    "cat-20220428_lab.xml": "http://www.xbrl.org/2003/role/labelLinkbaseRef",
    "cat-20220428_pre.xml": "http://www.xbrl.org/2003/role/presentationLinkbaseRef",
    "cat-20220428_def.xml": "http://www.xbrl.org/2003/role/definitionLinkbaseRef",
}
IMAGES = ("cat-20220428_g1.jpg",)  # the only <img> of the primary document
CIK_CONTEXT = "i2fd95e8264db4de1aa723cbb43d6c1e0_D20220428-20220428"


def _copy_filing(target: Path) -> Path:
    """Copy the submission's primary document and its DTS into target; return the primary."""
    if not CAT_DIR.is_dir():
        pytest.skip(f"the reference filing is not here: {CAT_DIR} (shared/ sits beside the repo)")
    target.mkdir(parents=True, exist_ok=True)
    for name in (PRIMARY, SCHEMA, *LINKBASES, *IMAGES):
        shutil.copyfile(CAT_DIR / name, target / name)
    return target / PRIMARY


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> ArelleResult:
    return validate_inline(_copy_filing(tmp_path_factory.mktemp("cat")))


def _listing(messages: object) -> str:
    return "\n".join(str(m) for m in messages)  # type: ignore[attr-defined]


def test_the_filing_has_no_unexpected_message(
    reference: ArelleResult, record_property: Callable[[str, object], None]
) -> None:
    mode = "full validation (taxonomy packages)" if reference.full_validation else "offline"
    record_property("arelle_validation", mode)
    assert unexpected_messages(reference) == [], _listing(unexpected_messages(reference))
    if not reference.full_validation:
        # every offline rule is exercised by this filing, so the assertion above means something
        assert {m.code for m in reference.problems} == {rule[0] for rule in OFFLINE_RULES}
        codes = [m.code for m in reference.problems]
        assert codes.count("ix11.12.1.2:missingReferences") == 29  # one per dei fact
        assert codes.count("ix11.11.1.2:invalidTransformation") == 10  # one per ixt-sec format


def test_the_extension_schema_and_its_three_linkbases_loaded(reference: ArelleResult) -> None:
    folder = reference.primary.parent
    primary = reference.document(reference.primary)
    assert primary is not None and primary.kind == "inline XBRL instance"
    schema = reference.document(folder / SCHEMA)
    assert schema is not None and schema.kind == "schema"
    assert schema.target_namespace == "http://www.cat.com/20220428"
    for name, role in LINKBASES.items():
        linkbase = reference.document(folder / name)
        assert linkbase is not None and linkbase.kind == "linkbase", name
        assert reference.linkbase_refs[linkbase.uri] == role


def test_the_facts_and_contexts_were_read(reference: ArelleResult) -> None:
    assert len(reference.facts) == 29
    assert len(reference.contexts) == 4
    assert reference.unused_context_ids == ()
    by_name = {f.qname: f for f in reference.facts if f.context_id == CIK_CONTEXT}
    assert by_name["dei:DocumentType"].value == "8-K"
    assert by_name["dei:EntityCentralIndexKey"].value == "0000018230"
    assert by_name["dei:EntityCentralIndexKey"].hidden
    assert not by_name["dei:EntityRegistrantName"].hidden
    assert by_name["dei:DocumentPeriodEndDate"].value == "2022-04-28"
    assert by_name["dei:WrittenCommunications"].format == "ixt-sec:boolballotbox"
    assert all(f.namespace == "http://xbrl.sec.gov/dei/2021" for f in reference.facts)
    entity = reference.contexts[CIK_CONTEXT]
    assert (entity.entity_scheme, entity.entity_identifier) == (
        "http://www.sec.gov/CIK",
        "0000018230",
    )
    assert entity.period == {"startDate": "2022-04-28", "endDate": "2022-04-28"}
    assert entity.dimensions == {}
    members = sorted(
        c.dimensions["us-gaap:StatementClassOfStockAxis"]
        for c in reference.contexts.values()
        if c.dimensions
    )
    assert members == [
        "cat:A5.3DebenturesDueSeptember152035Member",
        "cat:A8DebenturesDueFebruary152023Member",
        "us-gaap:CommonStockMember",
    ]
    symbols = {f.value for f in reference.facts if f.qname == "dei:TradingSymbol"}
    assert symbols == {"CAT", "CAT23", "CAT35"}


# --- the filter is not too loose: each breakage is reported -----------------------------------


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the breakage would change nothing"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _remove_presentation_linkbase(folder: Path) -> None:
    (folder / "cat-20220428_pre.xml").unlink()


def _fact_in_extension_namespace(folder: Path) -> None:
    # same code as the offline dei facts (missingReferences); only the namespace differs
    _replace(folder / PRIMARY, 'name="dei:DocumentType"', 'name="cat:DocumentType"')


def _unknown_sec_transform(folder: Path) -> None:
    # same code and namespace as the offline ixt-sec formats; only the transform's name differs
    _replace(folder / PRIMARY, 'format="ixt-sec:exchnameen"', 'format="ixt-sec:exchangenameen"')


def _undeclared_extension_member(folder: Path) -> None:
    # same code as the offline us-gaap:CommonStockMember one; the member is the filer's own
    _replace(
        folder / PRIMARY,
        ">cat:A8DebenturesDueFebruary152023Member<",
        ">cat:A8DebenturesDueFebruary152024Member<",
    )


def _duplicate_fact_id(folder: Path) -> None:
    primary = folder / PRIMARY
    first, second = re.findall(r'<ix:nonNumeric[^>]*? id="([^"]+)"', primary.read_text())[:2]
    _replace(primary, f'id="{second}"', f'id="{first}"')


def _bad_extension_element(folder: Path) -> None:
    _replace(folder / SCHEMA, 'type="dtr-types:domainItemType"', 'type="dtr-types:noSuchType"')


def _element_xhtml_does_not_allow(folder: Path) -> None:
    _replace(folder / PRIMARY, "<body>", "<body><center>cover</center>")


BREAKAGES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    # name: (breakage, the code Arelle reports, a word that must be in its message)
    "presentation linkbase missing": (
        _remove_presentation_linkbase,
        "IOerror",
        "cat-20220428_pre.xml",
    ),
    "fact in the extension namespace undefined": (
        _fact_in_extension_namespace,
        "ix11.12.1.2:missingReferences",
        "cat:DocumentType",
    ),
    "unknown ixt-sec transform": (
        _unknown_sec_transform,
        "ix11.11.1.2:invalidTransformation",
        "http://www.sec.gov/inlineXBRL/transformation/2015-08-31",
    ),
    "undeclared extension member": (
        _undeclared_extension_member,
        "xbrldie:ExplicitMemberUndefinedQNameError",
        "cat:A8DebenturesDueFebruary152024Member",
    ),
    "duplicate id": (_duplicate_fact_id, "xml.3.3.1:idMustBeUnique", "ix:nonNumeric"),
    "extension element of an undefined type": (
        _bad_extension_element,
        "xmlSchema:valueError",
        "dtr-types:noSuchType",
    ),
    "element XHTML does not allow": (
        _element_xhtml_does_not_allow,
        "lxml.SCHEMAV_ELEMENT_CONTENT",
        "center",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_copy_gives_an_unexpected_message(breakage: str, tmp_path: Path) -> None:
    primary = _copy_filing(tmp_path)
    breaking, code, word = BREAKAGES[breakage]
    breaking(tmp_path)
    unexpected = unexpected_messages(validate_inline(primary))
    assert any(m.code == code and word in m.text for m in unexpected), _listing(unexpected)


def test_a_missing_linkbase_is_not_in_the_loaded_documents(tmp_path: Path) -> None:
    primary = _copy_filing(tmp_path)
    _remove_presentation_linkbase(tmp_path)
    result = validate_inline(primary)
    assert result.document(tmp_path / "cat-20220428_pre.xml") is None
    assert result.document(tmp_path / "cat-20220428_lab.xml") is not None


def test_context_problems_arelle_leaves_unsaid_offline_show_in_the_result(tmp_path: Path) -> None:
    # Core Arelle checks a fact's context only once it knows the fact's concept, and reports no
    # unused context; offline both show only in the facts and contexts read.
    primary = _copy_filing(tmp_path)
    text = primary.read_text(encoding="utf-8")
    context = re.search(rf'<xbrli:context id="{CIK_CONTEXT}">.*?</xbrli:context>', text)
    assert context is not None
    unused = context.group(0).replace(CIK_CONTEXT, "UnusedContext")
    _replace(primary, context.group(0), context.group(0) + unused)
    _replace(
        primary,
        f'contextRef="{CIK_CONTEXT}" name="dei:DocumentType"',
        'contextRef="NoSuchContext" name="dei:DocumentType"',
    )
    result = validate_inline(primary)
    assert result.unused_context_ids == ("UnusedContext",)
    assert [f.qname for f in result.facts if f.context_id not in result.contexts] == [
        "dei:DocumentType"
    ]


# --- with taxonomy packages nothing but ixt-sec is filtered -----------------------------------


def test_a_full_validation_filters_only_the_sec_transforms(reference: ArelleResult) -> None:
    full = dataclasses.replace(reference, taxonomy_packages=(Path("taxonomies.zip"),))
    assert full.full_validation
    kept = {m.code for m in unexpected_messages(full)}
    if reference.full_validation:
        assert kept == set()
    else:
        assert kept == {rule[0] for rule in OFFLINE_RULES} - {"ix11.11.1.2:invalidTransformation"}


def test_taxonomy_packages_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, second = tmp_path / "dei.zip", tmp_path / "us-gaap.zip"
    monkeypatch.setenv(TAXONOMY_PACKAGES_ENV, f"{first}{os.pathsep}{second}")
    assert taxonomy_packages_from_env() == (first, second)
    primary = tmp_path / "x.htm"
    primary.write_text("<html/>", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"dei\.zip"):
        validate_inline(primary)
    monkeypatch.delenv(TAXONOMY_PACKAGES_ENV)
    assert taxonomy_packages_from_env() == ()
