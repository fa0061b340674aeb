"""The submission envelope: EDGARLink Online XML from the filing's model and its built documents,
checked against the envelope's schema; its documents are the bytes in output/."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from form8k.load import load_filing
from form8k.pipeline import Project, build
from form8k.submission.envelope import (
    COMMON,
    COREG,
    Contact,
    EnvelopeError,
    Mode,
    build_envelope,
    description,
    documents_of,
    envelope_xml,
    phone_number,
    schema_errors,
)
from form8k.submission.secrets import Secret
from tests.conftest import CO_REGISTRANT, COMPANY_YAML, EXAMPLES, copy_examples

SEC_EXAMPLE = Path(__file__).parent / "fixtures" / "edgar" / "openapi-8k-example.xml"
FILINGS = {
    "immunogen": "immunogen/2005-09-07-hun901",
    "lumen-ridge": "lumen-ridge/2025-11-06-q3-results",
}
CCC = "ab#12345"


def cccs(cik: str, filer: bool) -> Secret:
    return Secret(CCC if filer else f"co{cik[-5:]}#")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the repository's examples, built into its own output/."""
    root = tmp_path_factory.mktemp("envelope-project")
    copy_examples(root)
    project = Project(root)
    report = build(project, out=root / "output", formats=("html",))
    assert not report.failed, [p.display(root) for p in report.problems]
    return project


def envelope_of(project: Project, key: str, **options: object) -> tuple[object, bytes]:
    bundle = load_filing(project.content / key, content=project.content, root=project.root)
    envelope = build_envelope(bundle, project.root / "output" / key, cccs, **options)  # type: ignore[arg-type]
    return envelope, envelope_xml(envelope)


def test_the_secs_own_8k_example_passes_the_envelope_schema() -> None:
    """The reconstruction accepts what the SEC documents as a valid 8-K envelope."""
    assert schema_errors(SEC_EXAMPLE.read_bytes()) == []


@pytest.mark.parametrize("company", EXAMPLES)
def test_each_example_makes_an_envelope_that_passes_the_schema(
    built: Project, company: str
) -> None:
    key = FILINGS[company]
    _envelope, xml = envelope_of(built, key)
    assert schema_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.tag == f"{{{COREG}}}edgarSubmission"
    assert root.findtext(f"{{{COREG}}}liveTestFlag") == "TEST"


@pytest.mark.parametrize("company", EXAMPLES)
def test_the_documents_decode_to_the_bytes_in_output(built: Project, company: str) -> None:
    key = FILINGS[company]
    _, xml = envelope_of(built, key)
    folder = built.root / "output" / key
    manifest = json.loads((folder / "manifest.json").read_text())
    carried = documents_of(xml)
    assert list(carried) == [d["file"] for d in manifest["documents"]]
    for entry in manifest["documents"]:
        kind, data = carried[entry["file"]]
        assert kind == entry["type"]
        assert data == (folder / entry["file"]).read_bytes()
    assert "manifest.json" not in carried and not any(n.endswith(".pdf") for n in carried)


def test_the_header_comes_from_the_filings_model(built: Project) -> None:
    key = FILINGS["lumen-ridge"]
    _, xml = envelope_of(built, key)
    root = etree.fromstring(xml)

    def text(path: str) -> str | None:
        return root.findtext(path.replace("cor:", f"{{{COREG}}}").replace("com:", f"{{{COMMON}}}"))

    assert text("cor:submissionType") == "8-K"
    assert text("cor:filer/cor:filerId") == "0001987654"
    assert text("cor:filer/cor:filerCcc") == CCC
    assert text("cor:filer/cor:fileNumber") == "001-41872"
    assert text("cor:periodOfReport") == "11-06-2025"
    assert [i.text for i in root.iter(f"{{{COREG}}}item")] == ["2.02", "5.02", "9.01"]
    assert text("cor:emergingGrowthCompanyFlag") == "true"
    assert text("cor:exTransitionPeriodFlag") == "false"
    assert text("cor:sros/com:sroId") == "NONE"
    assert text("cor:contact/com:phoneNumber") == "410-555-0142"
    _immunogen, xml = envelope_of(built, FILINGS["immunogen"])
    root = etree.fromstring(xml)
    assert root.findtext(f"{{{COREG}}}emergingGrowthCompanyFlag") == "false"
    assert root.find(f"{{{COREG}}}exTransitionPeriodFlag") is None


def test_every_element_the_secs_example_has_is_where_the_sec_puts_it(built: Project) -> None:
    """Same qualified names on the same paths, in the same order, as the SEC's 8-K example."""

    def paths(xml: bytes) -> list[str]:
        root = etree.fromstring(xml)
        tree = root.getroottree()
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        return [re.sub(r"\[\d+\]", "", tree.getpath(e)) for e in elements]

    def order(xml: bytes) -> list[str]:
        root = etree.fromstring(xml)
        return [etree.QName(e).text for e in root]

    ours = order(envelope_of(built, FILINGS["lumen-ridge"])[1])
    theirs = order(SEC_EXAMPLE.read_bytes())
    assert [tag for tag in ours if tag in theirs] == theirs
    assert set(paths(SEC_EXAMPLE.read_bytes())) <= set(
        paths(envelope_of(built, FILINGS["lumen-ridge"])[1])
    )


def test_live_only_when_asked(built: Project) -> None:
    _, xml = envelope_of(built, FILINGS["immunogen"], mode=Mode.LIVE)
    assert etree.fromstring(xml).findtext(f"{{{COREG}}}liveTestFlag") == "LIVE"


def test_contact_and_notifications(built: Project) -> None:
    _, xml = envelope_of(
        built,
        FILINGS["immunogen"],
        contact=Contact("Filing Desk", "617-555-0100"),
        notifications=("filings@example.com", "cfo@example.com"),
    )
    root = etree.fromstring(xml)
    assert root.findtext(f"{{{COREG}}}contact/{{{COMMON}}}name") == "Filing Desk"
    addresses = [e.text for e in root.iter(f"{{{COMMON}}}internetNotificationAddress")]
    assert addresses == ["filings@example.com", "cfo@example.com"]
    with pytest.raises(EnvelopeError, match="e-mail"):
        envelope_of(built, FILINGS["immunogen"], notifications=("not an address",))


def test_output_built_from_other_content_is_refused(
    make_project: Callable[..., Path],
) -> None:
    root = make_project()
    project = Project(root)
    assert not build(project, out=root / "output", formats=("html",)).failed
    filing = root / "content/example/filing.yaml"
    filing.write_text(filing.read_text().replace('"8.01"', '"7.01"'))
    bundle = load_filing(root / "content/example", content=project.content, root=root)
    with pytest.raises(EnvelopeError, match="build it again"):
        build_envelope(bundle, root / "output/example", cccs)


def test_co_registrants_each_with_their_ccc(make_project: Callable[..., Path]) -> None:
    root = make_project(
        {
            "content/company.yaml": COMPANY_YAML
            + CO_REGISTRANT.replace('cik: "1234567"', 'cik: "7654321"')
        }
    )
    project = Project(root)
    report = build(project, out=root / "output", formats=("html",))
    assert not report.failed, [p.display(root) for p in report.problems]
    bundle = load_filing(root / "content/example", content=project.content, root=root)
    envelope = build_envelope(bundle, root / "output/example", cccs)
    xml = envelope_xml(envelope)
    coregs = etree.fromstring(xml).find(f"{{{COREG}}}coregs")
    assert coregs is not None
    assert coregs.findtext(f"{{{COREG}}}filer/{{{COREG}}}filerId") == "0007654321"
    assert coregs.findtext(f"{{{COREG}}}filer/{{{COREG}}}filerCcc") == "co54321#"

    def no_coreg_ccc(cik: str, filer: bool) -> Secret:
        if filer:
            return Secret(CCC)
        raise EnvelopeError(f"no CCC for CIK {cik}")

    with pytest.raises(EnvelopeError, match="0007654321"):
        build_envelope(bundle, root / "output/example", no_coreg_ccc)


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("<cor:liveTestFlag>TEST<", "<cor:liveTestFlag>MAYBE<", "liveTestFlag"),
        ("<cor:filerCcc>#decb44a<", "<cor:filerCcc>#decb4<", "filerCcc"),
        ("<cor:item>1.01<", "<cor:item>1.1<", "item"),
        ("<cor:submissionType>8-K<", "<cor:submissionType>10-K<", "submissionType"),
        ("<com:conformedName>file.txt<", "<com:conformedName>my file.exe<", "conformedName"),
        # out of order: the items after the flags
        (
            "  <cor:items>\n    <cor:item>1.01</cor:item>\n  </cor:items>\n  "
            "<cor:emergingGrowthCompanyFlag>true</cor:emergingGrowthCompanyFlag>",
            "<cor:emergingGrowthCompanyFlag>true</cor:emergingGrowthCompanyFlag>\n  "
            "<cor:items>\n    <cor:item>1.01</cor:item>\n  </cor:items>",
            "items",
        ),
        ("<cor:sros>\n    <com:sroId>NONE</com:sroId>\n  </cor:sros>\n", "", "sros"),
    ],
)
def test_the_schema_refuses_what_edgar_would(old: str, new: str, complaint: str) -> None:
    text = SEC_EXAMPLE.read_text()
    assert old in text
    errors = schema_errors(text.replace(old, new).encode())
    assert errors and any(complaint in e for e in errors), errors


def test_schema_messages_never_show_the_ccc(built: Project) -> None:
    bundle = load_filing(
        built.content / FILINGS["immunogen"], content=built.content, root=built.root
    )

    def short(cik: str, filer: bool) -> Secret:
        return Secret("sh#rt")

    envelope = build_envelope(bundle, built.root / "output" / FILINGS["immunogen"], short)
    with pytest.raises(EnvelopeError) as error:
        envelope_xml(envelope)
    assert "filerCcc" in str(error.value) and "sh#rt" not in str(error.value)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("(410) 555-0142", "410-555-0142"),
        ("+1 617.555.0100", "617-555-0100"),
        ("44 20 7946 0958", "44-20-7946-0958"),
    ],
)
def test_phone_numbers_as_edgar_takes_them(given: str, expected: str) -> None:
    assert phone_number(given) == expected


def test_descriptions_are_printable_ascii_of_at_most_255() -> None:
    assert (
        description("Press release \u201cQ3\u201d \u2013 Caf\u00e9") == 'Press release "Q3" - Cafe'
    )
    assert len(description("x" * 400)) == 255
