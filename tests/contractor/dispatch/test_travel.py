"""`dispatch.travel`: straight-line travel minutes (haversine distance times detour over speed, rounded up), the
matrix shape the port promises, and the demo's approximate zip-code centroids. Pure: no database."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from hestami.contractor.dispatch.travel import (
    ZIP_CENTROIDS,
    Point,
    StraightLine,
    TravelTimeProvider,
    locate,
    miles_between,
)

DEMO_ZIPS = (
    *("78701", "78702", "78704", "78745", "78748", "78750", "78759", "78664", "78665", "78681", "78756"),
    *("78209", "78216", "78232", "78249", "78258", "78259"),
    *("78411", "78412", "78413", "78418"),
)
ONE_DEGREE_OF_LATITUDE_MILES = 2 * math.pi * 3958.8 / 360  # 69.09


def test_a_degree_of_latitude_is_69_miles() -> None:
    assert miles_between(Point(30, -97), Point(31, -97)) == pytest.approx(ONE_DEGREE_OF_LATITUDE_MILES)
    assert miles_between(Point(30, -97), Point(30, -97)) == 0


def test_straight_line_minutes_are_distance_times_detour_over_speed_rounded_up() -> None:
    a, b = Point(30, -97), Point(31, -97)
    assert StraightLine().minutes_between(a, b) == 180  # 69.09 mi * 1.3 / 30 mph = 179.6 min
    assert StraightLine(speed_mph=60, detour=1).minutes_between(a, b) == 70  # 69.09 min, up
    assert StraightLine().minutes_between(a, a) == 0
    assert StraightLine().minutes_between(a, Point(30.0001, -97)) == 1  # a few metres is still a minute


def test_the_matrix_has_a_row_per_origin_and_a_column_per_destination() -> None:
    austin, san_antonio, corpus = locate("78701"), locate("78209"), locate("78411")
    assert austin is not None
    assert san_antonio is not None
    assert corpus is not None
    matrix = StraightLine().minutes([austin, san_antonio], [austin, san_antonio, corpus])
    assert [len(row) for row in matrix] == [3, 3]
    assert matrix[0][0] == matrix[1][1] == 0
    assert matrix[0][1] == matrix[1][0]
    assert 150 < matrix[0][1] < 250  # Austin to San Antonio: about 70 miles as the crow flies
    assert matrix[0][2] > matrix[1][2]  # Corpus Christi is nearer San Antonio than Austin


def test_bad_settings_and_points_are_refused() -> None:
    with pytest.raises(ValueError, match="speed"):
        StraightLine(speed_mph=0)
    with pytest.raises(ValueError, match="detour"):
        StraightLine(detour=0.9)
    with pytest.raises(ValueError, match="not a point"):
        Point(91, 0)


def test_every_demo_zip_code_is_located_and_others_are_not() -> None:
    for zip_code in DEMO_ZIPS:
        point = locate(zip_code)
        assert point is not None, zip_code
        assert (27 < point.lat < 31, -99 < point.lon < -97) == (True, True), zip_code
    assert set(ZIP_CENTROIDS) == set(DEMO_ZIPS)
    assert locate("78701-1234") == locate(" 78701 ") == ZIP_CENTROIDS["78701"]
    assert locate("10001") is None


def test_any_object_with_minutes_is_a_provider() -> None:
    class Fixed:
        def minutes(self, origins: Sequence[Point], destinations: Sequence[Point]) -> list[list[int]]:
            return [[0 if a == b else 15 for b in destinations] for a in origins]

    provider: TravelTimeProvider = Fixed()
    here = Point(30, -97)
    assert provider.minutes([here], [here, Point(31, -97)]) == [[0, 15]]
    default: TravelTimeProvider = StraightLine()
    assert default.minutes([], []) == []
