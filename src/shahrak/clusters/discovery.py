"""Discovery of candidate clusters from the unit registry (issue 14, point 4).

A pure function over plain tuples, so that the command, the API and the page share it and the
tests can hold it against a brute-force reading of the same definition:

    Among the not-yet-assigned operating units with a location, for each unit u let N(u) be
    the not-yet-assigned units of u's ISIC class within r km of u (u included). Take the u
    with the largest N(u) (ties: the smaller national ID); if |N(u)| >= k, N(u) is a
    candidate centred on u and its units become assigned; repeat until no N(u) reaches k.

Distances are great-circle distances on a sphere of R = 6371.0088 km (the IUGG mean radius).
"Within r km" is decided exactly and the same way everywhere: v lies within r of u when the
squared chord between their unit vectors is at most (2 sin(r / 2R))², which is the same
condition as a great-circle distance of at most r, but computed with + − × only, so that it
does not depend on how a library evaluates sines in bulk. The unit vectors are computed once
per call by `unit_vectors` (the brute-force reference in the tests calls it too).

The spatial index is a k-d tree (scikit-learn's KDTree) over the unit vectors, one tree per
class: straight-line (chord) distance between unit vectors grows with the great-circle
distance, so a chord radius of 2 sin(r / 2R) finds exactly the units within r along the
globe, without a sine per comparison (scikit-learn's BallTree with the haversine metric gives
the same neighbours, 3× slower here: bench/results-clusters.md). The tree is asked for a
radius a hair larger, and the exact test above keeps the answer. The
greedy repeat is incremental: the neighbour lists are computed once, and when a candidate's
units become assigned, only the counts of their own neighbours go down; a heap keyed by
(−count, national ID) with lazy re-insertion finds the next centre (counts only fall, so a
stale key is never too small). Classes do not interact (N(u) holds u's class only), so each
class is run on its own.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

EARTH_RADIUS_KM = 6371.0088
DEFAULT_RADIUS_KM = 100.0
DEFAULT_MIN_UNITS = 10
# The tree is asked for a radius larger by this factor; the exact chord test decides.
_SLACK = 1 + 1e-7


class Site(NamedTuple):
    """One operating unit with a location, as discovery sees it."""

    national_id: str
    isic: str
    lat: float
    lon: float
    jobs: int
    province: str


@dataclass(frozen=True)
class Candidate:
    """A group of at least k units of one class within r km of its centre unit."""

    isic: str
    centre: Site
    members: tuple[Site, ...]  # the centre among them, in national-ID order
    radius_km: float
    lq: float | None = field(default=None, compare=False)

    @property
    def province(self) -> str:
        return self.centre.province

    @property
    def units(self) -> int:
        return len(self.members)

    @property
    def jobs(self) -> int:
        return sum(site.jobs for site in self.members)

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(site.national_id for site in self.members)


def chord_limit(radius_km: float) -> float:
    """The squared chord of unit vectors `radius_km` apart along the great circle."""
    if not 0 < radius_km < math.pi * EARTH_RADIUS_KM:
        raise ValueError("the radius must be positive and shorter than half the globe")
    return (2 * math.sin(radius_km / (2 * EARTH_RADIUS_KM))) ** 2


def unit_vectors(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """(n, 3) unit vectors of points given in degrees."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def squared_chords(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared chords between rows of `a` and rows of `b` (same shape, or broadcast)."""
    d = a - b
    return d[..., 0] * d[..., 0] + d[..., 1] * d[..., 1] + d[..., 2] * d[..., 2]


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in km (haversine), for showing; the membership test is
    `squared_chords` against `chord_limit`, its exact equivalent."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin(abs(p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(abs(math.radians(lon2 - lon1)) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _check(ids: list[str], lat: np.ndarray, lon: np.ndarray, radius_km: float, k: int) -> None:
    if k < 1:
        raise ValueError("the minimum number of units is at least 1")
    chord_limit(radius_km)
    if len(set(ids)) != len(ids):
        raise ValueError("a national ID appears twice")
    if not (np.all(np.abs(lat) <= 90) and np.all(np.abs(lon) <= 180)):
        raise ValueError("a latitude/longitude out of range")


def neighbour_lists(vectors: np.ndarray, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
    """The neighbours within `radius_km` of every point (itself included) as CSR arrays
    (indptr, indices); `vectors` are the points' unit vectors."""
    from sklearn.neighbors import KDTree

    n = len(vectors)
    limit = chord_limit(radius_km)
    tree = KDTree(vectors)
    found = tree.query_radius(vectors, r=math.sqrt(limit) * _SLACK)
    lengths = np.fromiter((len(row) for row in found), dtype=np.int64, count=n)
    columns = np.concatenate(found).astype(np.int64) if n else np.empty(0, np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    # The exact test; rows stay grouped in order, so the CSR pointers follow from counts.
    keep = squared_chords(vectors[rows], vectors[columns]) <= limit
    rows, columns = rows[keep], columns[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, columns


def _gather(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The concatenated CSR rows `rows`."""
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=indices.dtype)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return indices[offsets + np.arange(total)]


def _greedy(
    ids: list[str], indptr: np.ndarray, indices: np.ndarray, k: int
) -> list[tuple[int, np.ndarray]]:
    """[(centre, members array), …] of one class in the order the definition takes them."""
    count = np.diff(indptr)
    alive = np.ones(len(ids), dtype=bool)
    reaching = np.flatnonzero(count >= k)
    heap = [
        (-c, ids[i], i) for c, i in zip(count[reaching].tolist(), reaching.tolist(), strict=True)
    ]
    heapq.heapify(heap)
    taken = []
    while heap:
        key, national_id, i = heapq.heappop(heap)
        if not alive[i]:
            continue
        now = int(count[i])
        if now != -key:  # stale: counts only fall, so put it back with its count
            if now >= k:
                heapq.heappush(heap, (-now, national_id, i))
            continue
        row = indices[indptr[i] : indptr[i + 1]]
        members = row[alive[row]]
        alive[members] = False
        np.subtract.at(count, _gather(indptr, indices, members), 1)
        taken.append((i, members))
    return taken


def discover(
    sites: Iterable[Site | tuple],
    *,
    assigned: Iterable[str] = (),
    radius_km: float = DEFAULT_RADIUS_KM,
    min_units: int = DEFAULT_MIN_UNITS,
) -> list[Candidate]:
    """The candidates of the definition above, by class (ISIC order), within a class in the
    order the greedy rule takes them. `sites` are (national ID, ISIC class, lat, lon, jobs,
    province) tuples; `assigned` the national IDs already members of a registered cluster of
    their class (left out)."""
    sites = list(sites)
    if sites and not all(isinstance(site, Site) for site in sites):
        sites = [Site._make(site) for site in sites]
    ids = [site[0] for site in sites]
    lat = np.array([site[2] for site in sites], dtype=float)
    lon = np.array([site[3] for site in sites], dtype=float)
    _check(ids, lat, lon, radius_km, min_units)
    excluded = set(assigned)
    by_class: dict[str, list[int]] = defaultdict(list)
    for position, site in enumerate(sites):
        if site[0] not in excluded:
            by_class[site[1]].append(position)
    vectors = unit_vectors(lat, lon)
    found = []
    for isic in sorted(by_class):
        positions = by_class[isic]
        if len(positions) < min_units:
            continue
        indptr, indices = neighbour_lists(vectors[positions], radius_km)
        class_ids = [ids[p] for p in positions]
        for centre, members in _greedy(class_ids, indptr, indices, min_units):
            chosen = sorted([sites[positions[m]] for m in members.tolist()])
            found.append(Candidate(isic, sites[positions[centre]], tuple(chosen), float(radius_km)))
    return found


def location_quotients(
    employment: Mapping[tuple[str, str], int],
) -> dict[tuple[str, str], float]:
    """LQ of every (province, ISIC class) from the jobs of the operating units:
    (jobs of the class in the province / jobs in the province) ÷ (jobs of the class in the
    nation / jobs in the nation)."""
    province_total: dict[str, int] = defaultdict(int)
    class_total: dict[str, int] = defaultdict(int)
    for (province, isic), jobs in employment.items():
        province_total[province] += jobs
        class_total[isic] += jobs
    nation = sum(province_total.values())
    quotients = {}
    for (province, isic), jobs in employment.items():
        if jobs and province_total[province] and class_total[isic]:
            quotients[province, isic] = (jobs / province_total[province]) / (
                class_total[isic] / nation
            )
    return quotients


def ranked(
    candidates: Iterable[Candidate], quotients: Mapping[tuple[str, str], float]
) -> list[Candidate]:
    """Candidates with their LQ, in rank order: more units first, then more jobs, then the
    higher location quotient (none counts as 0), then the ISIC class and the centre's national
    ID in ascending order, so that the order is total."""
    with_lq = [
        Candidate(c.isic, c.centre, c.members, c.radius_km, quotients.get((c.province, c.isic)))
        for c in candidates
    ]
    return sorted(
        with_lq,
        key=lambda c: (-c.units, -c.jobs, -(c.lq or 0.0), c.isic, c.centre.national_id),
    )
