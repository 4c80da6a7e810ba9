from __future__ import annotations

import pytest

from ingest.dates import date_bounds


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2022-08-01", (20220801, 20220801)),
        ("2021-08-26T17:24:00-04:00", (20210826, 20210826)),
        ("2024/03/25", (20240325, 20240325)),
        ("2022-08", (20220801, 20220831)),
        ("2024-02", (20240201, 20240229)),
        ("2023-02", (20230201, 20230228)),
        ("2021", (20210101, 20211231)),
        ("2021 (UNGA 76th session general debate, September)", (20210901, 20210930)),
        ("2018 (UNGA 73th session general debate, September)", (20180901, 20180930)),
        ("August 1, 2022", (20220801, 20220801)),
        ("Aug. 1, 2022", (20220801, 20220801)),
        ("1 August 2022", (20220801, 20220801)),
        ("September 11th, 2001", (20010911, 20010911)),
        ("the 3rd of March 2020", (20200303, 20200303)),
        ("Mr. PALLONE — 22 January 2007", (20070122, 20070122)),
        ("June 2022", (20220601, 20220630)),
        ("Sept 2019", (20190901, 20190930)),
        ("december 2020", (20201201, 20201231)),
        ("2007-2010", (20070101, 20101231)),
        ("08/01/2022", (20220101, 20221231)),
    ],
)
def test_date_bounds_gives_the_interval_a_written_date_denotes(
    published: str, expected: tuple[int, int]
) -> None:
    assert date_bounds(published) == expected


@pytest.mark.parametrize(
    "published",
    ["", "   ", "undated", "September", "76th session", "2022-02-30", "2022-13-01", "February 30, 2021"],
)
def test_date_bounds_is_none_without_a_real_date(published: str) -> None:
    assert date_bounds(published) is None


def test_date_bounds_takes_the_year_written_after_the_month() -> None:
    # The report is from 2019 but the date it gives is in 2020.
    assert date_bounds("Report 2019, updated March 5, 2020") == (20200305, 20200305)


def test_date_bounds_low_never_exceeds_high() -> None:
    for year in (1999, 2000, 2024):
        for month in range(1, 13):
            bounds = date_bounds(f"{year}-{month:02d}")
            assert bounds is not None
            lo, hi = bounds
            assert lo <= hi
            assert lo // 100 == hi // 100 == year * 100 + month
