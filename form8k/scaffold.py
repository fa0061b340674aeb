"""Starting points: a filings repository (``init``), a company, a filing, an amendment.

Everything written here builds at once: placeholders are valid values, marked "replace", and
``check`` warns (``placeholder-value``) until they are replaced. Nothing existing is ever
overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from form8k import __version__
from form8k.errors import UsageError
from form8k.items import BY_NUMBER
from form8k.project import COMPANY_FILE, CONFIG_FILE, FILING_FILE, Project
from form8k.rules.calendar import is_business_day
from form8k.rules.registrant import PLACEHOLDERS

SCHEMA_FOLDER = ".form8k/schemas"

COMPANY_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# The registrant's profile, shared by every filing in this folder and below it. Replace each
# value marked "replace": `form8k check` warns while a placeholder is left. Every key is
# described in form8k's docs/fields.md.
name: {name}                            # replace: exact name of registrant as in its charter
cik: "{cik}"                            # replace: the EDGAR Central Index Key
jurisdiction_of_incorporation: Delaware # replace: state (or country) of incorporation
file_number: {file_number}                  # replace: Commission File Number
irs_employer_id: {irs_employer_id}             # replace: IRS Employer Identification No.
address:                                # replace: address of principal executive offices
  street: 100 Main Street
  city: Wilmington
  state: Delaware
  zip: "19801"
telephone: (302) 555-0100               # replace, with the area code
prefix: {prefix}                           # lower-case letters and digits: names the documents
# website: https://www.example.com      # names the Inline XBRL extension namespace
# logo: logo.jpg                        # a .jpg or .gif for press-release letterheads

section_12b_securities:                 # the cover's Section 12(b) table; [] for none
  - title: Common Stock, $0.01 par value
    trading_symbol: {symbol}
    exchange: The Nasdaq Stock Market LLC
emerging_growth_company: false

signatory:                              # who signs, unless a filing says otherwise
  name: Jane Q. Officer                 # replace
  title: Chief Financial Officer        # replace

contacts:                               # press-release contacts
  - audience: Investors
    name: Jane Q. Officer               # replace
    phone: (302) 555-0100
    email: ir@example.com

about: |                                # "About" paragraph appended to press releases
  {name} ... (replace with the company's boilerplate).
"""

FORM8K_YAML = """\
# form8k's settings for this repository (all optional).
#
# checks:                      # change a rule's severity: error, warning or ignore
#   exhibit-number: ignore
# edgar_plugin: ../EDGAR       # the SEC's EDGAR plugin for `form8k check --edgar`
#                              # (git clone https://github.com/Arelle/EDGAR)
"""

GITIGNORE = """\
/output/
/.venv/
"""

WORKFLOW = """\
# Check every filing against Form 8-K's and EDGAR's rules on each push, build them, and keep the
# PDFs for review. Set the repository variable FORM8K_SPEC to where your team installs form8k
# from (a wheel's URL, or "form8k @ git+https://..."); this file was made by form8k {version}.
name: filings

on:
  push:
  pull_request:

jobs:
  filings:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4

      - name: System libraries for the PDFs (Pango)
        run: |
          sudo apt-get update
          sudo apt-get install -y --no-install-recommends \\
            libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"

      - name: Install form8k (from the repository variable FORM8K_SPEC)
        run: |
          if [ -z "${{{{ vars.FORM8K_SPEC }}}}" ]; then
            echo "::error::set the repository variable FORM8K_SPEC: where form8k installs from"
            exit 1
          fi
          pip install "${{{{ vars.FORM8K_SPEC }}}}"

      - name: Check every filing strictly
        run: form8k check --strict --format junit > check-report.xml

      - name: Build the filings (HTML for EDGAR, PDFs for review)
        if: success()
        run: form8k build --strict

      - name: Keep the check report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: check-report
          path: check-report.xml

      - name: Keep the PDFs
        if: success()
        uses: actions/upload-artifact@v4
        with:
          name: filing-pdfs
          path: output/**/*.pdf
          if-no-files-found: error
"""

FILING_HEADER = """\
# yaml-language-server: $schema={schema}
# One Form 8-K: dates, items and exhibits. Every key is described in form8k's docs/fields.md.
"""

RELEASE_TEMPLATE = """\
---
headline: {name} Announces ... (replace)
dateline:
  city: WILMINGTON, Del.                # replace
  date: {date}
---
{name} today announced ... (replace with the release's text).
"""


def next_filing_day(day: dt.date) -> dt.date:
    """``day``, or the next day EDGAR is open."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def _schema_ref(file: Path, root: Path) -> str:
    return Path(os.path.relpath(root / SCHEMA_FOLDER, file.parent)).as_posix()


def _write_new(path: Path, text: str) -> Path:
    if path.exists():
        raise UsageError(f"{path}: already exists; form8k never overwrites content")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "company"


# --- a repository ---------------------------------------------------------------------------


def init(folder: Path, *, company: str = "example") -> list[Path]:
    """Make a filings repository in ``folder``: content/ with a sample company profile,
    form8k.yaml, a CI workflow, .gitignore, and the content files' JSON Schemas."""
    from form8k.schema import write_schemas

    folder = folder.resolve()
    if (folder / "content").exists():
        raise UsageError(f"{folder}: content/ already exists; this is a form8k project already")
    folder.mkdir(parents=True, exist_ok=True)
    written = [
        _write_new(folder / CONFIG_FILE, FORM8K_YAML),
        _write_new(
            folder / ".github" / "workflows" / "filings.yml", WORKFLOW.format(version=__version__)
        ),
    ]
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        written.append(_write_new(gitignore, GITIGNORE))
    written += write_schemas(folder / SCHEMA_FOLDER)
    written.append(new_company(Project(folder), company))
    return written


# --- a company ------------------------------------------------------------------------------


def new_company(project: Project, key: str, *, name: str | None = None) -> Path:
    """content/<key>/company.yaml with placeholders to replace."""
    key = _slug(key)
    path = project.content / key / COMPANY_FILE
    name = name or "Example Company, Inc."
    prefix = re.sub(r"[^a-z0-9]", "", key)[:20] or "company"
    text = COMPANY_TEMPLATE.format(
        schema=f"{_schema_ref(path, project.root)}/company.schema.json",
        name=name,
        prefix=prefix,
        symbol=prefix[:5].upper(),
        **PLACEHOLDERS,
    )
    return _write_new(path, text)


# --- a filing -------------------------------------------------------------------------------


def _company_folder(project: Project, company: Path | None) -> Path:
    if company is not None:
        folder = company.resolve()
        if not (folder / COMPANY_FILE).is_file():
            raise UsageError(f"{company}: no {COMPANY_FILE} here")
        return folder
    folders = sorted(p.parent for p in project.content.rglob(COMPANY_FILE))
    if len(folders) != 1:
        raise UsageError(
            "name the company's folder (e.g. `form8k new filing content/acme`): "
            + (
                "there is none; `form8k new company` makes one"
                if not folders
                else "there are " + ", ".join(str(f.relative_to(project.root)) for f in folders)
            )
        )
    return folders[0]


def _read(path: Path, root: Path) -> dict[str, Any]:
    """A content file to copy from: checked as the build reads it (a project file, within the
    limits, valid YAML; its problems as a usage error), then its values as YAML types them,
    so that they are written back as they were written."""
    from form8k.load import LoadError
    from form8k.load.files import require_inside
    from form8k.load.text import read_yaml_file

    if not path.parent.resolve().is_relative_to(root.resolve()):
        raise UsageError(f"{path.parent}: not in this project ({root}); name one of its filings")
    try:
        require_inside(path, root)
        read_yaml_file(path)
    except LoadError as error:
        raise UsageError(error.problems) from None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _company_name(folder: Path, root: Path) -> str:
    return str(_read(folder / COMPANY_FILE, root).get("name") or "The Company")


def _item_body(number: str, name: str) -> str:
    spec = BY_NUMBER[number]
    if number == "9.01":
        return "(d) Exhibits.\n"
    text = f"Describe the {spec.title.lower()} here (replace).\n"
    if spec.furnished:
        text += (
            f"\nThe information in this Item {number}, including any exhibit, is furnished and "
            'shall not be deemed "filed" for purposes of Section 18 of the Securities Exchange '
            "Act of 1934, as amended.\n"
        )
    return text


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)


def new_filing(
    project: Project,
    company: Path | None,
    *,
    items: list[str],
    date: dt.date,
    source: Path | None = None,
    name: str | None = None,
) -> Path:
    """A filing folder under the company's: filing.yaml (and an Exhibit 99.1 press release
    when Item 9.01 is reported), or a copy of ``source`` with new dates."""
    folder_of_company = _company_folder(project, company)
    filing_date = next_filing_day(date)
    if source is not None:
        return _copy_filing(project, source.resolve(), folder_of_company, date, filing_date, name)
    unknown = [number for number in items if number not in BY_NUMBER]
    if unknown:
        raise UsageError(f"unknown item {unknown[0]!r}: Form 8-K has items 1.01 to 9.01")
    items = sorted(set(items), key=lambda n: BY_NUMBER[n].sort_key) or ["8.01"]
    company_name = _company_name(folder_of_company, project.root)
    folder = folder_of_company / (name or f"{date.isoformat()}-item-{items[0].replace('.', '-')}")
    path = folder / FILING_FILE
    data: dict[str, Any] = {
        "form_type": "8-K",
        "date_of_report": date.isoformat(),
        "filing_date": filing_date.isoformat(),
        "items": [{"number": n, "body": _item_body(n, company_name)} for n in items],
    }
    if "9.01" in items:
        data["exhibits"] = [
            {
                "number": "99.1",
                "description": f"Press release dated {date:%B} {date.day}, {date.year}",
                "source": "press-release.md",
            }
        ]
    header = FILING_HEADER.format(schema=f"{_schema_ref(path, project.root)}/filing.schema.json")
    _write_new(path, header + _dump(data))
    if "9.01" in items:
        _write_new(
            folder / "press-release.md",
            RELEASE_TEMPLATE.format(name=company_name, date=date.isoformat()),
        )
    return folder


def _copy_filing(
    project: Project,
    source: Path,
    company: Path,
    date: dt.date,
    filing_date: dt.date,
    name: str | None,
) -> Path:
    if not (source / FILING_FILE).is_file():
        raise UsageError(f"{source}: no {FILING_FILE} here")
    data = _read(source / FILING_FILE, project.root)
    for key in ("form_type", "amendment_number", "explanatory_note"):
        data.pop(key, None)
    data = {"form_type": "8-K", **data}
    data["date_of_report"] = date.isoformat()
    data["filing_date"] = filing_date.isoformat()
    if isinstance(data.get("signature"), dict):
        data["signature"].pop("date", None)
    folder = company / (name or f"{date.isoformat()}-{_slug(source.name.split('-', 3)[-1])}")
    return _copy(project, source, folder, data)


def _copy(project: Project, source: Path, folder: Path, data: dict[str, Any]) -> Path:
    if folder.exists():
        raise UsageError(f"{folder}: already exists; form8k never overwrites content")
    shutil.copytree(source, folder, symlinks=True, ignore=shutil.ignore_patterns(FILING_FILE))
    path = folder / FILING_FILE
    header = FILING_HEADER.format(schema=f"{_schema_ref(path, project.root)}/filing.schema.json")
    path.write_text(header + _dump(data), encoding="utf-8")
    return folder


def new_amendment(project: Project, filing: Path, *, today: dt.date) -> Path:
    """``<filing>-amendment-N``: the filing as an 8-K/A with the next amendment number and an
    explanatory note to write; the same date of report, filed on the next filing day."""
    source = filing.resolve()
    if not (source / FILING_FILE).is_file():
        raise UsageError(f"{filing}: no {FILING_FILE} here")
    data = _read(source / FILING_FILE, project.root)
    earlier = str(data.get("amendment_number") or 0)
    if not earlier.isdigit():
        raise UsageError(f"{source / FILING_FILE}: amendment_number {earlier!r} is not a number")
    number = int(earlier) + 1
    base = re.sub(r"-amendment-\d+$", "", source.name)
    folder = source.parent / f"{base}-amendment-{number}"
    body = {
        "form_type": "8-K/A",
        "amendment_number": number,
        "explanatory_note": (
            f"This Amendment No. {number} on Form 8-K/A amends the Current Report on Form 8-K "
            f"filed on {data.get('filing_date', '...')} to ... (replace: state what it amends "
            "and why)."
        ),
    }
    for key in ("amendment_number", "explanatory_note", "form_type"):
        data.pop(key, None)
    data = {**body, **data}
    data["filing_date"] = next_filing_day(today).isoformat()
    if isinstance(data.get("signature"), dict):
        data["signature"].pop("date", None)
    return _copy(project, source, folder, data)
