"""Real, EDGAR-accepted 8-Ks rebuilt from our content format: the judge of the content model.

Each folder of ``tests/fixtures/real/`` holds a project's ``content/`` with one real filing
written in form8k's format (its text copied from the filing) and an ``expect.yaml`` naming the
real submission in ``../shared/reference/real-filings/`` and which of its documents each of
ours reproduces. Built with the repository's templates, each must:

- have >= 0.97 of the real document's words in the same order, in our HTML and in the text of
  our PDF, and add little (>= 0.95 of our words are the real one's, in order);
- carry every dei fact of the real filing's XBRL instance, with the same value and dimensions;
- build clean under ``--strict``;
- pass the SEC's EFM validation (``../shared/efm/validate``; the ``efm`` tests).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from form8k.pipeline import BuildReport, Project, build
from form8k.xbrl.readback import read_document
from tests.conftest import REPO
from tests.efm_judge import VALIDATE, judge
from tests.fidelity import InstanceFact, in_order, instance_facts, missing, pdf_words, words

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real"
REAL = REPO.parent / "shared" / "reference" / "real-filings"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expect.yaml").is_file())

#: The bar of the content model, in both directions.
REPRODUCED = 0.97
ADDED = 0.95

pytestmark = pytest.mark.shared


@dataclass
class Rebuilt:
    """A fixture built into a temporary output folder."""

    name: str
    expect: dict[str, object]
    report: BuildReport
    folder: Path
    """The filing's output folder."""
    real: Path
    """The real submission's folder."""

    def ours(self, edgar_type: str) -> Path:
        manifest = yaml.safe_load((self.folder / "manifest.json").read_text())
        for document in manifest["documents"]:
            if document["type"] == edgar_type:
                return self.folder / document["file"]
        raise AssertionError(f"{self.name}: no {edgar_type} document in our build")


@pytest.fixture(scope="module", params=CASES)
def rebuilt(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rebuilt:
    name = request.param
    expect = yaml.safe_load((FIXTURES / name / "expect.yaml").read_text())
    real = REAL / expect["real"]
    if not real.is_dir():
        pytest.skip(f"the real filings are not here: {REAL} (shared/ sits beside the repo)")
    root = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(FIXTURES / name / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    out = root / "output"
    report = build(Project.at(root), out=out, strict=True)
    assert len(report.results) == 1, "a fixture holds exactly one filing"
    result = report.results[0]
    assert result.ok, [p.display(root) for p in result.problems]
    return Rebuilt(name, expect, report, out / result.key, real)


def _documents(case: Rebuilt) -> dict[str, str]:
    documents = case.expect["documents"]
    assert isinstance(documents, dict)
    return documents


def test_builds_clean_under_strict(rebuilt: Rebuilt) -> None:
    problems = [p.display() for p in rebuilt.report.problems]
    assert problems == []


def test_html_has_the_real_words_in_order(rebuilt: Rebuilt) -> None:
    for edgar_type, real_name in _documents(rebuilt).items():
        real = words((rebuilt.real / real_name).read_bytes())
        ours = words(rebuilt.ours(edgar_type).read_bytes())
        assert in_order(real, ours) >= REPRODUCED, (edgar_type, missing(real, ours))
        assert in_order(ours, real) >= ADDED, (edgar_type, missing(ours, real))


def test_pdf_has_the_real_words_in_order(rebuilt: Rebuilt) -> None:
    for edgar_type, real_name in _documents(rebuilt).items():
        real = words((rebuilt.real / real_name).read_bytes())
        ours = pdf_words(rebuilt.ours(edgar_type).with_suffix(".pdf"))
        assert in_order(real, ours) >= REPRODUCED, (edgar_type, missing(real, ours))
        assert in_order(ours, real) >= ADDED, (edgar_type, missing(ours, real))


def _our_facts(primary: Path) -> set[InstanceFact]:
    facts, contexts, _, _ = read_document(primary.read_bytes())
    by_id = {context.id: context for context in contexts}
    result = set()
    for fact in facts:
        dims = frozenset(
            (
                axis,
                member
                if member.split(":")[0] in ("dei", "us-gaap", "exch")
                else "ext:" + member.split(":", 1)[1],
            )
            for axis, member in by_id[fact.context].dimensions
        )
        result.add(InstanceFact(fact.concept, dims, " ".join((fact.value or "").split())))
    return result


def test_every_real_dei_fact_is_tagged_alike(rebuilt: Rebuilt) -> None:
    instances = sorted(rebuilt.real.glob("*_htm.xml"))
    if not instances:
        pytest.skip(f"{rebuilt.name} is not an Inline XBRL filing")
    real = instance_facts(instances[0])
    ours = _our_facts(rebuilt.ours(str(rebuilt.expect.get("form", "8-K"))))
    assert sorted(real - ours, key=str) == []


@pytest.mark.efm
def test_edgar_accepts_the_rebuilt_filing(rebuilt: Rebuilt) -> None:
    if not VALIDATE.is_file():
        pytest.skip(f"the SEC's EFM validation is not here: {VALIDATE}")
    code, report = judge(rebuilt.folder)
    assert code == 0, report
