"""Business days for the four-day deadline: weekends, federal holidays and the year end."""

from __future__ import annotations

import datetime as dt

import pytest

from form8k.rules.calendar import add_business_days, business_days_between, is_business_day

D = dt.date


@pytest.mark.parametrize(
    ("event", "due", "why"),
    [
        (D(2025, 11, 3), D(2025, 11, 7), "Monday: Tuesday to Friday"),
        (D(2025, 11, 6), D(2025, 11, 13), "a weekend, and Veterans Day on Tuesday 11th"),
        (D(2024, 3, 1), D(2024, 3, 7), "Friday: across the weekend"),
        (D(2025, 11, 25), D(2025, 12, 2), "Thanksgiving on the 27th and a weekend"),
        (D(2024, 12, 27), D(2025, 1, 3), "the year end: New Year's Day 2025 skipped"),
        (D(2021, 12, 29), D(2022, 1, 5), "New Year's Day 2022 fell on Saturday: observed Friday"),
        (D(2026, 6, 18), D(2026, 6, 25), "Juneteenth, Friday June 19, 2026"),
        (D(2026, 7, 2), D(2026, 7, 9), "July 4, 2026 is a Saturday: observed Friday July 3"),
    ],
)
def test_due_date_is_four_business_days_later(event: dt.date, due: dt.date, why: str) -> None:
    assert add_business_days(event, 4) == due, why


def test_weekends_and_federal_holidays_are_not_business_days() -> None:
    assert not is_business_day(D(2025, 11, 8))  # Saturday
    assert not is_business_day(D(2025, 11, 9))  # Sunday
    assert not is_business_day(D(2025, 11, 11))  # Veterans Day
    assert not is_business_day(D(2025, 12, 25))
    assert not is_business_day(D(2026, 1, 1))
    assert is_business_day(D(2025, 12, 24))  # Christmas Eve is not a federal holiday
    assert is_business_day(D(2025, 11, 12))


def test_business_days_between_counts_only_business_days() -> None:
    assert business_days_between(D(2024, 12, 27), D(2025, 1, 3)) == 4
    assert business_days_between(D(2025, 11, 13), D(2025, 11, 17)) == 2  # Fri, Mon
    assert business_days_between(D(2025, 11, 13), D(2025, 11, 13)) == 0
    assert business_days_between(D(2025, 11, 14), D(2025, 11, 13)) == 0


def test_late_filing_names_the_due_date_across_a_holiday(make_project, run_cli) -> None:
    from tests.conftest import FILING_YAML

    filing = (
        FILING_YAML.replace("date_of_report: 2024-03-01", "date_of_report: 2025-11-06")
        .replace("filing_date: 2024-03-04", "filing_date: 2025-11-14")
        .replace('"8.01"', '"5.02"')
        .replace("  date: 2024-03-01", "  date: 2025-11-06")
    )
    root = make_project({"content/example/filing.yaml": filing})
    release = root / "content" / "example" / "press-release.md"
    release.write_text(release.read_text().replace("2024-03-01", "2025-11-06"))
    code, out, _ = run_cli("--project", str(root), "check")
    assert code == 0
    assert (
        "content/example/filing.yaml:3:14: warning: late-filing: filed on 2025-11-14, 1 business "
        "day late: Item 5.02 had to be filed within four business days after 2025-11-06, by "
        "2025-11-13 (weekends and U.S. federal holidays excluded)"
    ) in out.splitlines()


def test_voluntary_items_have_no_deadline(make_project, run_cli) -> None:
    from tests.conftest import FILING_YAML

    filing = FILING_YAML.replace("filing_date: 2024-03-04", "filing_date: 2024-04-30")
    root = make_project({"content/example/filing.yaml": filing})
    code, out, _ = run_cli("--project", str(root), "check")
    assert (code, "late-filing" in out) == (0, False)
