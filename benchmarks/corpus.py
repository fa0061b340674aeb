"""Generate a project of N filings for the benchmarks: python benchmarks/corpus.py N DIR.

Each filing is an 8-K with two items (2.02 and 9.01) and two exhibits: a two-page press release
(99.1) and an earnings release with three financial tables (99.2). The project copies the
repository's templates, so it renders exactly as the real examples do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from form8k.rules.calendar import is_business_day  # noqa: E402

COMPANY = """\
name: Benchmark Industries, Inc.
cik: "0001234567"
jurisdiction_of_incorporation: Delaware
file_number: 001-39999
irs_employer_id: 12-3456789
address:
  street: 100 Main Street
  city: Columbus
  state: Ohio
  zip: "43215"
telephone: (614) 555-0100
former_name_or_address: Not Applicable
prefix: bnch
website: https://www.benchmark.example
section_12b_securities:
  - title: Common Stock, par value $0.01 per share
    trading_symbol: BNCH
    exchange: New York Stock Exchange
about: |
  Benchmark Industries makes industrial sensors and the software that reads them. It employs
  2,400 people in eleven countries.
forward_looking_statements: |
  This press release contains forward-looking statements within the meaning of the Private
  Securities Litigation Reform Act of 1995. Actual results may differ materially.
contacts:
  - audience: Investors
    name: Dana Smith
    title: Director, Investor Relations
    phone: (614) 555-0101
    email: ir@benchmark.example
signatory:
  name: Lee Park
  title: Chief Financial Officer
"""

PARAGRAPH = (
    "Benchmark Industries, Inc. (NYSE: BNCH) reported results for the quarter, with revenue of "
    "$412.5 million, up 9% from a year ago, and operating margin of 14.2%. Orders grew in every "
    "region, led by the Americas, where the company shipped its new line of pressure sensors to "
    'three of the five largest utilities. "We continue to execute," said the chief executive '
    'officer. "Our backlog gives us confidence in the second half."'
)


def table(title: str, rows: int) -> str:
    lines = [
        f"**{title}** (unaudited; in thousands)",
        "",
        "| | Q3 2025 | Q3 2024 | 9M 2025 | 9M 2024 |",
        "|:--|--:|--:|--:|--:|",
    ]
    for row in range(rows):
        base = 1000 * (row + 3)
        lines.append(
            f"| Line item {row + 1} | {base + 17:,} | {base - 211:,} | {3 * base + 51:,} | "
            f"{3 * base - 402:,} |"
        )
    return "\n".join(lines) + "\n"


def filing(number: int, paragraphs: int = 14) -> dict[str, str]:
    """One filing's files; ``paragraphs`` sets the press release's length (14: two pages)."""
    day = dt.date(2025, 1, 6) + dt.timedelta(days=number % 300)
    while not is_business_day(day):  # EDGAR files nothing on a weekend or a federal holiday
        day += dt.timedelta(days=1)
    filing_yaml = f"""\
form_type: 8-K
date_of_report: {day}
filing_date: {day}
items:
  - number: "2.02"
    body: |
      On {day:%B} {day.day}, {day.year}, the Company issued a press release announcing its
      results (filing {number}). The information in this Item 2.02 shall not be deemed "filed"
      for purposes of Section 18 of the Securities Exchange Act of 1934.
  - number: "9.01"
    body: "(d) Exhibits."
exhibits:
  - number: "99.1"
    description: Press release dated {day:%B} {day.day}, {day.year}
    source: press-release.md
  - number: "99.2"
    description: Earnings release dated {day:%B} {day.day}, {day.year}
    source: earnings.md
"""
    front = (
        f"---\nheadline: Benchmark Industries Reports Results, Filing {number}\n"
        f"dateline:\n  city: COLUMBUS, Ohio\n  date: {day}\n---\n"
    )
    release = front + "\n\n".join([PARAGRAPH] * paragraphs) + "\n"
    earnings = (
        front.replace("Reports Results", "Earnings Release")
        + PARAGRAPH
        + "\n\n"
        + "\n".join(
            table(t, 14)
            for t in ("Statements of Operations", "Balance Sheets", "Statements of Cash Flows")
        )
    )
    return {"filing.yaml": filing_yaml, "press-release.md": release, "earnings.md": earnings}


def make_corpus(count: int, root: Path, paragraphs: int = 14) -> Path:
    """Write a project with ``count`` filings at ``root`` (replacing what is there), each
    press release of ``paragraphs`` paragraphs."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "templates", root / "templates")
    company = root / "content" / "benchmark"
    company.mkdir(parents=True)
    (company / "company.yaml").write_text(COMPANY)
    for number in range(1, count + 1):
        folder = company / f"filing-{number:03d}"
        folder.mkdir()
        for name, text in filing(number, paragraphs).items():
            (folder / name).write_text(text)
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    make_corpus(args.count, args.root)
    print(f"{args.count} filings in {args.root}")
