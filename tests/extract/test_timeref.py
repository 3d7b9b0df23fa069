"""Dates of figures: when a figure holds, resolved against the publication date."""

from __future__ import annotations

from claimledger.extract.timeref import find_time


def test_since_a_month_holds_at_publication():
    """"11,000 ... held ground since August" in a 23 December article holds in December."""
    found = find_time("Officials estimate that around 11,000 troops are deployed in the region, "
                      "where forces have held ground since August.", "2024-12-23")
    assert (found.text, found.date) == ("since August", "2024-12-23")


def test_since_a_year_holds_at_publication():
    found = find_time("Nearly 460 inmates have died in prison violence since 2021.", "2023-08-05")
    assert (found.text, found.date) == ("since 2021", "2023-08-05")


def test_in_a_month_is_that_month_of_the_right_year():
    assert find_time("At least 40 were killed in August.", "2024-12-23").date == "2024-08"
    assert find_time("At least 40 were killed in December.", "2025-02-03").date == "2024-12"
    assert find_time("At least 40 were killed in 2022.", "2024-12-23").date == "2022"


def test_since_without_a_publication_date_is_unknown():
    assert find_time("Forces have held ground since August.", None).date is None


def test_a_day_and_month_take_the_year_nearest_publication():
    """A report stamped the evening before, in another time zone, tells of "early on
    May 7": that year's; a January report's "December 28" is last year's."""
    assert find_time("Strikes early on May 7 killed at least 26 people.", "2025-05-06").date == "2025-05-07"
    assert find_time("Strikes on May 7 killed at least 26 people.", "2025-05-07").date == "2025-05-07"
    assert find_time("At least 40 were killed on December 28.", "2025-01-05").date == "2024-12-28"
    assert find_time("At least 40 were killed on May 20.", "2025-05-07").date == "2024-05-20"
