"""Benchmark: discovery of candidate clusters over 100,000 synthetic units (issue 14, point 7).

Usage: python bench/clusters.py [--units 100000] [--classes 120] [--plants 200] [--seed 14]

The units are spread over Iran's bounding box (lat 25.0–39.8°, lon 44.0–63.3°): the
background uniformly, in ISIC classes of unequal size (class i weighs 1 / (i + 5): a few
crowded classes and a long tail), and `--plants` planted clusters of 25 units each, of a
random class, within 40 km of a random centre. It measures, in one run over the same points:

- the floor: a ball tree with the haversine metric built per class and asked for the count
  of neighbours within 100 km of every unit (`query_radius(count_only=True)`), nothing else;
  and the same count with the k-d tree over unit vectors that discovery itself uses;
- discovery: `shahrak.clusters.discovery.discover` (r = 100 km, k = 10), best of 3, then once
  more under tracemalloc for its peak memory (numpy's buffers included);
- recall: the share of planted clusters all of whose units are in one candidate of their
  class;
- the brute-force reference of the tests (the definition word for word, O(n²) a round),
  timed on random samples and scaled to the full run by its per-pair cost (an estimate,
  not a run: at 100,000 units it would take days).

Appends its figures to bench/results-clusters.md.
"""

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from shahrak.clusters.discovery import (  # noqa: E402
    EARTH_RADIUS_KM,
    Site,
    chord_limit,
    discover,
    unit_vectors,
)

LAT, LON = (25.0, 39.8), (44.0, 63.3)
RADIUS_KM, MIN_UNITS = 100.0, 10
PLANT_SIZE, PLANT_RADIUS_KM = 25, 40.0


def synthetic(units: int, classes: int, plants: int, seed: int):
    """(sites, planted: list of (isic, set of national IDs))."""
    rng = np.random.default_rng(seed)
    isics = [f"{1000 + 37 * i:04d}" for i in range(classes)]
    weights = 1 / (np.arange(classes) + 5)
    weights /= weights.sum()
    background = units - plants * PLANT_SIZE
    # Uniform over the box's area (sin of latitude uniform), not over its degrees.
    s0, s1 = np.sin(np.radians(LAT))
    lat = np.degrees(np.arcsin(rng.uniform(s0, s1, background)))
    lon = rng.uniform(*LON, background)
    cls = rng.choice(classes, background, p=weights)
    rows = list(zip(lat.tolist(), lon.tolist(), cls.tolist(), strict=True))
    planted = []
    for _ in range(plants):
        c_lat, c_lon = rng.uniform(LAT[0] + 1, LAT[1] - 1), rng.uniform(LON[0] + 1, LON[1] - 1)
        isic = int(rng.integers(classes))
        # Uniform in a disc of 40 km (a small-angle offset: 40 km is 0.36°).
        dist = PLANT_RADIUS_KM * np.sqrt(rng.uniform(0, 1, PLANT_SIZE)) / EARTH_RADIUS_KM
        bearing = rng.uniform(0, 2 * np.pi, PLANT_SIZE)
        m_lat = c_lat + np.degrees(dist * np.cos(bearing))
        m_lon = c_lon + np.degrees(dist * np.sin(bearing)) / np.cos(np.radians(c_lat))
        first = len(rows)
        rows.extend(zip(m_lat.tolist(), m_lon.tolist(), [isic] * PLANT_SIZE, strict=True))
        planted.append((isics[isic], range(first, len(rows))))
    # National IDs in a random order, so that ties are not broken by position.
    numbers = rng.permutation(units) + 10**10
    # As the selector hands them over (discovery also takes plain tuples).
    sites = [
        Site(str(numbers[i]), isics[c], la, lo, int(rng.integers(2, 60)), "p")
        for i, (la, lo, c) in enumerate(rows)
    ]
    planted = [(isic, {sites[i][0] for i in members}) for isic, members in planted]
    return sites, planted


def floors(sites) -> tuple[float, float]:
    """Seconds for an index per class and a count of every unit's neighbours within the
    radius, nothing else: (a ball tree with the haversine metric over latitude/longitude —
    the floor issue 14 names —, the k-d tree over unit vectors that discovery uses)."""
    from sklearn.neighbors import BallTree, KDTree

    by_class = {}
    for s in sites:
        by_class.setdefault(s[1], []).append((s[2], s[3]))
    arrays = [np.array(points) for points in by_class.values()]
    radians = [np.radians(points) for points in arrays]
    vectors = [unit_vectors(points[:, 0], points[:, 1]) for points in arrays]
    start = time.perf_counter()
    for points in radians:
        tree = BallTree(points, metric="haversine")
        tree.query_radius(points, r=RADIUS_KM / EARTH_RADIUS_KM, count_only=True)
    ball = time.perf_counter() - start
    start = time.perf_counter()
    for points in vectors:
        KDTree(points).query_radius(points, r=np.sqrt(chord_limit(RADIUS_KM)), count_only=True)
    return ball, time.perf_counter() - start


def recall(candidates, planted, share: float = 1.0) -> float:
    """The share of planted clusters of which at least `share` of the units are in one
    candidate of their class."""
    groups = {}
    for c in candidates:
        groups.setdefault(c.isic, []).append(set(c.member_ids))
    found = sum(
        any(len(ids & g) >= share * len(ids) for g in groups.get(isic, [])) for isic, ids in planted
    )
    return found / len(planted)


def brute_force_estimate(sites, candidates, seed: int) -> tuple[float, str]:
    """Seconds the reference would take over all of `sites`, scaled from samples by its
    per-pair cost: each round tests every pair of free units, so its work is the sum over
    rounds of (free units)². Also a line saying what was run."""
    from tests.clusters.test_discovery import brute_force

    rng = random.Random(seed)
    per_pair = []
    notes = []
    for size in (300, 600):
        sample = rng.sample(sites, size)
        start = time.perf_counter()
        taken = brute_force(sample, radius_km=RADIUS_KM, min_units=MIN_UNITS)
        seconds = time.perf_counter() - start
        free, pairs = size, 0
        for _, _, members in taken:
            pairs += free * free
            free -= len(members)
        pairs += free * free  # the last round, which finds nothing
        per_pair.append(seconds / pairs)
        notes.append(f"{size} units: {seconds:.2f} s, {len(taken)} candidates")
    cost = max(per_pair)
    free, pairs = len(sites), 0
    for c in sorted(candidates, key=lambda c: -c.units):
        pairs += free * free
        free -= c.units
    pairs += free * free
    return cost * pairs, "; ".join(notes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--classes", type=int, default=120)
    parser.add_argument("--plants", type=int, default=200)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--no-brute-force", action="store_true")
    args = parser.parse_args()

    sites, planted = synthetic(args.units, args.classes, args.plants, args.seed)
    ball_s, kd_s = (min(runs) for runs in zip(*(floors(sites) for _ in range(3)), strict=True))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        candidates = discover(sites, radius_km=RADIUS_KM, min_units=MIN_UNITS)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    discover(sites, radius_km=RADIUS_KM, min_units=MIN_UNITS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found, mostly = recall(candidates, planted), recall(candidates, planted, 0.8)
    best = min(times)
    lines = [
        f"## {dt.date.today()} — {args.units:,} units, {args.classes} classes, "
        f"{args.plants} planted clusters of {PLANT_SIZE} (seed {args.seed})",
        "",
        f"- machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {__import__('sklearn').__version__}, load average "
        f"{os.getloadavg()[0]:.1f} at the end",
        f"- floor, a ball tree (haversine) per class + count within {RADIUS_KM:.0f} km, best "
        f"of 3: {ball_s:.2f} s; the same count with the k-d tree over unit vectors that "
        f"discovery uses: {kd_s:.2f} s",
        f"- discovery (r = {RADIUS_KM:.0f} km, k = {MIN_UNITS}, best of 3): {best:.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}) = {best / ball_s:.1f}× the ball-tree "
        f"floor, {best / kd_s:.1f}× the k-d tree's",
        f"- candidates: {len(candidates):,}, holding {sum(c.units for c in candidates):,} units",
        f"- recall of the planted clusters: {found:.1%} ({round(found * len(planted))} of "
        f"{len(planted)} wholly inside one candidate of their class; {mostly:.1%} with at "
        f"least 80 % of their units in one)",
        f"- peak memory of one discovery (tracemalloc): {peak / 2**20:.0f} MiB; the process's "
        f"peak resident size: {rss:.0f} MiB",
    ]
    if not args.no_brute_force:
        estimate, notes = brute_force_estimate(sites, candidates, args.seed)
        lines.append(
            f"- brute-force reference, ESTIMATED (timed on random samples — {notes} — and "
            f"scaled by its cost per pair of free units per round): {estimate:,.0f} s "
            f"≈ {estimate / 3600:,.1f} h"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    with (REPO / "bench" / "results-clusters.md").open("a") as out:
        out.write("\n" + text)


if __name__ == "__main__":
    main()
