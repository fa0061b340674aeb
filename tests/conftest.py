"""Shared fixtures: the repository's own project, small projects in tmp_path, a CLI runner."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from form8k.cli import main
from form8k.pipeline import BuildReport, Project, build

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECTS = Path(__file__).resolve().parent / "projects"

#: A small valid company profile and filing, for tests that change one thing.
COMPANY_YAML = """\
name: Example Corp.
cik: "1234567"
jurisdiction_of_incorporation: Delaware
file_number: 001-12345
irs_employer_id: 12-3456789
address:
  street: 1 Main Street
  city: Springfield
  state: IL
  zip: "62701"
telephone: (217) 555-0100
prefix: exmp
signatory:
  name: Jane Q. Public
  title: Chief Executive Officer
"""

FILING_YAML = """\
form_type: 8-K
date_of_report: 2024-03-01
filing_date: 2024-03-04
items:
  - number: "8.01"
    body: Something happened.
  - number: "9.01"
exhibits:
  - number: "99.1"
    description: Press release dated March 1, 2024
    source: press-release.md
"""

PRESS_RELEASE_MD = """\
---
headline: Example Corp. Announces Something
dateline:
  city: SPRINGFIELD, Ill.
  date: 2024-03-01
---
Example Corp. today announced something.
"""

#: A page scan: a GIF as far as EDGAR's content check reads (its signature).
SCAN_GIF = "GIF89a\x01\x00\x01\x00\x00\x00\x00;"
IMAGES_EXHIBIT = (
    '  - number: "99.2"\n    description: Signed letter\n    kind: images\n    pages: [scan.gif]\n'
)
CO_REGISTRANT = (
    'co_registrants:\n  - key: sub\n    name: Example Sub LLC\n    cik: "1234567"\n'
    "    jurisdiction_of_incorporation: Delaware\n    file_number: 001-12346\n"
    "    irs_employer_id: 12-3456780\n"
    '    address: {street: 1 Main Street, city: Springfield, state: IL, zip: "62701"}\n'
    "    telephone: (217) 555-0100\n"
)


#: The default project's files, as messages name them.
F = "content/example/filing.yaml"
C = "content/company.yaml"
P = "content/example/press-release.md"


def filing(old: str, new: str) -> dict[str, str]:
    """The default filing.yaml with one change, as files for make_project."""
    assert old in FILING_YAML
    return {F: FILING_YAML.replace(old, new)}


def company(old: str, new: str) -> dict[str, str]:
    """The default company.yaml with one change."""
    assert old in COMPANY_YAML
    return {C: COMPANY_YAML.replace(old, new)}


def release(old: str, new: str) -> dict[str, str]:
    """The default press release with one change."""
    assert old in PRESS_RELEASE_MD
    return {P: PRESS_RELEASE_MD.replace(old, new)}


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Make a project in tmp_path: the repository's templates plus the given content files.

    ``files`` maps paths relative to the project to text (dedented); ``None`` leaves the
    default example filing out. By default the project holds one valid filing in
    ``content/example/``.
    """

    def make(files: dict[str, str] | None = None, *, example: bool = True) -> Path:
        root = tmp_path / "project"
        if not root.exists():
            shutil.copytree(REPO / "templates", root / "templates")
            (root / "content").mkdir()
        defaults = {
            "content/company.yaml": COMPANY_YAML,
            "content/example/filing.yaml": FILING_YAML,
            "content/example/press-release.md": PRESS_RELEASE_MD,
        }
        for name, text in {**(defaults if example else {}), **(files or {})}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the command line in-process; return (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exit_info:
            main(list(argv))
        captured = capsys.readouterr()
        code = exit_info.value.code
        return (code if isinstance(code, int) else 1), captured.out, captured.err

    return run


#: The repository's example filings (company folder, filing folder). A filing a user adds to
#: content/, beside them or in their company's folder, is never a test's business.
EXAMPLE_FILINGS = (("immunogen", "2005-09-07-hun901"), ("lumen-ridge", "2025-11-06-q3-results"))
EXAMPLES = tuple(company for company, _ in EXAMPLE_FILINGS)


def copy_examples(root: Path) -> Path:
    """Copy the repository's example filings alone into ``root``/content: each company's own
    files and its example filing, not the other filing folders a user has added there."""
    for company, filing in EXAMPLE_FILINGS:
        source = REPO / "content" / company

        def others(folder: str, names: list[str], source: Path = source, filing: str = filing):
            if Path(folder) != source:
                return []
            return [name for name in names if (source / name).is_dir() and name != filing]

        shutil.copytree(source, root / "content" / company, ignore=others)
    return root


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Path]:
    """The repository's own example filings, built once (HTML and PDF) into a temporary folder,
    from a copy of them alone (whatever else content/ holds)."""
    root = tmp_path_factory.mktemp("examples-project")
    copy_examples(root)
    out = tmp_path_factory.mktemp("examples")
    report = build(Project(root), out=out)
    assert not report.problems, [p.display(root) for p in report.problems]
    return report, out


@pytest.fixture(scope="session")
def immunogen(examples: tuple[BuildReport, Path]) -> Path:
    """Output folder of the ImmunoGen 2005 example."""
    return examples[1] / "immunogen" / "2005-09-07-hun901"


@pytest.fixture(scope="session")
def lumen_ridge(examples: tuple[BuildReport, Path]) -> Path:
    """Output folder of the modern (2025) example."""
    return examples[1] / "lumen-ridge" / "2025-11-06-q3-results"
