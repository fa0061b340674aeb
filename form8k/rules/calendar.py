"""Business days as General Instruction B.1 counts them: no weekends, no U.S. federal holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import holidays


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> Mapping[dt.date, str]:
    """The federal holidays of ``year`` and their names (made once a year: each filing asks)."""
    # The holidays package keeps the federal calendar, observed days included (a Saturday
    # holiday is observed on Friday, a Sunday one on Monday).
    return MappingProxyType(dict(holidays.country_holidays("US", years=year)))


def closed_reason(day: dt.date) -> str | None:
    """Why EDGAR does not file on ``day`` ("a Saturday", "Thanksgiving Day, a federal
    holiday"), or None on a business day."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    name = _federal_holidays(day.year).get(day)
    if name is not None:
        return f"{name}, a federal holiday"
    return None


def is_business_day(day: dt.date) -> bool:
    """Whether the SEC is open: a weekday that is no U.S. federal holiday."""
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_business_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th business day after ``start``."""
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_business_day(day)
    return count
