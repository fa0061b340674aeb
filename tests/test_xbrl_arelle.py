"""Arelle, an independent XBRL processor, on the modern example's written Inline XBRL 8-K.

Offline (as in CI) Arelle cannot load the SEC and FASB taxonomies; `unexpected_messages` drops
only what follows from that (tests/xbrl_validation.py). With taxonomy packages named in
FORM8K_TAXONOMY_PACKAGES the same test runs the full validation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_xbrl import EXPECTED
from tests.xbrl_validation import (
    ArelleResult,
    taxonomy_packages_from_env,
    unexpected_messages,
    validate_inline,
)

SUBMISSION = (
    "lrsy-20251106.htm",
    "lrsy-20251106.xsd",
    "lrsy-20251106_lab.xml",
    "lrsy-20251106_pre.xml",
    "lrsy-20251106_def.xml",
)


@pytest.fixture(scope="module")
def arelle(lumen_ridge: Path, tmp_path_factory: pytest.TempPathFactory) -> ArelleResult:
    # Only the submission's XBRL documents, as a filing agent uploads them.
    folder = tmp_path_factory.mktemp("arelle")
    for name in SUBMISSION:
        shutil.copy(lumen_ridge / name, folder / name)
    return validate_inline(folder / SUBMISSION[0], taxonomy_package=taxonomy_packages_from_env())


def test_arelle_reports_nothing_beyond_what_offline_explains(arelle: ArelleResult) -> None:
    assert unexpected_messages(arelle) == [], "\n".join(map(str, unexpected_messages(arelle)))


def test_arelle_loads_the_extension_schema_and_all_three_linkbases(arelle: ArelleResult) -> None:
    folder = arelle.primary.parent
    schema = arelle.document(folder / "lrsy-20251106.xsd")
    assert schema is not None and schema.kind == "schema"
    assert schema.target_namespace == "http://www.lumenridge.example/20251106"
    for name in SUBMISSION[2:]:
        linkbase = arelle.document(folder / name)
        assert linkbase is not None and linkbase.kind == "linkbase", name
    assert sorted(role.rsplit("/", 1)[1] for role in arelle.linkbase_refs.values()) == [
        "definitionLinkbaseRef",
        "labelLinkbaseRef",
        "presentationLinkbaseRef",
    ]


def test_arelle_reads_every_cover_fact_in_its_context(arelle: ArelleResult) -> None:
    assert len(arelle.facts) == len(EXPECTED)
    assert arelle.unused_context_ids == ()
    read = set()
    for fact in arelle.facts:
        context = arelle.contexts[fact.context_id or ""]
        assert context.entity_identifier == "0001987654"
        member = next(iter(context.dimensions.values()), None)
        # Offline, core Arelle cannot apply the SEC's transformations: compare the rest.
        value = fact.value if not (fact.format or "").startswith("ixt-sec:") else None
        read.add((fact.qname, member, value))
    expected = {
        (concept, member, value)
        for concept, member, value in EXPECTED
        if (concept, member, None) not in read
    }
    assert {r for r in read if r[2] is not None} == expected
    hidden = sorted(fact.qname for fact in arelle.facts if fact.hidden)
    assert hidden == ["dei:AmendmentFlag", "dei:EntityCentralIndexKey"]
