"""Travel times between points, for route optimization and the board: a port with a straight-line default.

`TravelTimeProvider` is the port: `minutes(origins, destinations)` answers a matrix of whole minutes, one row per
origin, one column per destination. The solver (`routing.solve`) and the plan check (`routing.check`) ask only
this, so a real routing service (a road-network matrix API, an OSRM server, a cached matrix) replaces the default
by implementing the same one method; nothing else changes. A provider must answer 0 from a point to itself and
non-negative whole minutes otherwise; it need not be symmetric.

The default, `StraightLine`, is the great-circle (haversine) distance times a detour factor (roads are not
straight: 1.3 by default) at an average speed (30 mph by default), rounded UP to whole minutes, so that a plan
never promises an arrival the estimate cannot make.

`ZIP_CENTROIDS` places the zip codes the demo uses (Austin, Round Rock, San Antonio, Corpus Christi). They are
APPROXIMATE centroids (to about a kilometre, from public zip-code tabulation areas), good enough for travel
estimates, not for addresses. `locate` answers None for a zip code not in the table (the caller reports the
visit as unlocated rather than guessing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

EARTH_RADIUS_MILES = 3958.8


@dataclass(frozen=True, slots=True)
class Point:
    """A place on the map, in decimal degrees (WGS 84)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"not a point on the map: {self.lat}, {self.lon}")


class TravelTimeProvider(Protocol):
    """The port a routing service implements: travel minutes from each origin to each destination."""

    def minutes(self, origins: Sequence[Point], destinations: Sequence[Point]) -> list[list[int]]:
        """Whole minutes, `result[i][j]` from `origins[i]` to `destinations[j]`; 0 from a point to itself."""
        ...


def miles_between(a: Point, b: Point) -> float:
    """The great-circle (haversine) distance in statute miles."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    half_dlat = (lat2 - lat1) / 2
    half_dlon = math.radians(b.lon - a.lon) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class StraightLine:
    """Straight-line distance times `detour` at `speed_mph`, rounded up to whole minutes (the default provider)."""

    speed_mph: float = 30.0
    detour: float = 1.3

    def __post_init__(self) -> None:
        if self.speed_mph <= 0:
            raise ValueError("speed_mph must be positive")
        if self.detour < 1:
            raise ValueError("detour must be at least 1 (a road is never shorter than the straight line)")

    def minutes_between(self, a: Point, b: Point) -> int:
        if a == b:
            return 0
        exact = miles_between(a, b) * self.detour / self.speed_mph * 60
        return math.ceil(exact - 1e-9)  # up: an arrival the estimate promises can be made; 1e-9 absorbs float noise

    def minutes(self, origins: Sequence[Point], destinations: Sequence[Point]) -> list[list[int]]:
        return [[self.minutes_between(a, b) for b in destinations] for a in origins]


ZIP_CENTROIDS: dict[str, Point] = {
    # Austin
    "78701": Point(30.2713, -97.7426),
    "78702": Point(30.2636, -97.7145),
    "78704": Point(30.2428, -97.7658),
    "78745": Point(30.2069, -97.7956),
    "78748": Point(30.1660, -97.8226),
    "78750": Point(30.4443, -97.7962),
    "78756": Point(30.3222, -97.7392),
    "78759": Point(30.4036, -97.7526),
    # Round Rock
    "78664": Point(30.5140, -97.6496),
    "78665": Point(30.5460, -97.6430),
    "78681": Point(30.5200, -97.7170),
    # San Antonio
    "78209": Point(29.4890, -98.4560),
    "78216": Point(29.5340, -98.4880),
    "78232": Point(29.5830, -98.4740),
    "78249": Point(29.5680, -98.6120),
    "78258": Point(29.6370, -98.4950),
    "78259": Point(29.6280, -98.4440),
    # Corpus Christi
    "78411": Point(27.7310, -97.3860),
    "78412": Point(27.7060, -97.3520),
    "78413": Point(27.6910, -97.3990),
    "78418": Point(27.6350, -97.2900),
}
"""Approximate centroids of the demo's zip codes (see the module's docstring)."""


def locate(zip_code: str) -> Point | None:
    """The approximate centroid of a five-digit zip code (a ZIP+4 is read by its first five digits), or None."""
    return ZIP_CENTROIDS.get(zip_code.strip()[:5])
