"""The map of the discovery page, drawn by the page itself as SVG (no map tiles: the
intranet has no internet, and the app ships no province outlines). An equirectangular frame
around the province's county seats and the units shown, east–west distances shrunk by the
cosine of the middle latitude so that a circle of 100 km looks round; whole-degree lines;
the county seats and the operating units considered as context; each candidate's circle and
members, every point with a hover label (<title>)."""

import math

from .discovery import EARTH_RADIUS_KM

WIDTH, MARGIN = 720, 28
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
COLOURS = ["#c0392b", "#1f6fb2", "#7b3fa0", "#d35400", "#138d75", "#a04000", "#2e4053", "#b7950b"]


def candidate_map(discovery, counties) -> dict | None:
    """Geometry for templates/clusters/candidate_list.html; None when there is nothing to draw.
    `counties`: (name, lat, lon) of the county seats of the province shown."""
    points = [(float(lat), float(lon)) for _name, lat, lon in counties]
    points += discovery.points
    for candidate in discovery.candidates:
        points += [(s.lat, s.lon) for s in candidate.members]
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    south, north = min(lats) - 0.3, max(lats) + 0.3
    squeeze = math.cos(math.radians((south + north) / 2))
    west, east = min(lons) - 0.3 / squeeze, max(lons) + 0.3 / squeeze
    scale = (WIDTH - 2 * MARGIN) / max((east - west) * squeeze, 0.1)
    height = round(2 * MARGIN + (north - south) * scale)

    def xy(lat, lon):
        return round(MARGIN + (lon - west) * squeeze * scale, 1), round(
            MARGIN + (north - lat) * scale, 1
        )

    radius = discovery.radius_km / KM_PER_DEGREE * scale  # a circle in this projection
    shapes = []
    # The county names (drawn 6 px above their seats) are in the way of the numbers too.
    taken = [
        (x, y - 6 - 4, name_half_width(name))
        for name, (x, y) in ((n, xy(float(lat), float(lon))) for n, lat, lon in counties)
    ]
    for rank, candidate in enumerate(discovery.candidates, 1):
        cx, cy = xy(candidate.centre.lat, candidate.centre.lon)
        label = label_place((cx, cy - 9), taken)
        taken.append((*label, LABEL_GAP / 2))
        shapes.append(
            {
                "rank": rank,
                "colour": COLOURS[(rank - 1) % len(COLOURS)],
                "centre": (cx, cy),
                "label": label,
                "r": round(radius, 1),
                "members": [
                    {
                        "xy": xy(s.lat, s.lon),
                        "name": discovery.name_of(s.national_id),
                        "national_id": s.national_id,
                        "jobs": s.jobs,
                        "centre": s.national_id == candidate.centre.national_id,
                    }
                    for s in candidate.members
                ],
            }
        )
    meridians = [
        {"x": xy(north, lon)[0], "label": lon}
        for lon in range(math.ceil(west), math.floor(east) + 1)
    ]
    parallels = [
        {"y": xy(lat, west)[1], "label": lat}
        for lat in range(math.ceil(south), math.floor(north) + 1)
    ]
    return {
        "width": WIDTH,
        "height": height,
        "meridians": meridians,
        "parallels": parallels,
        "counties": [
            {"name": name, "xy": xy(float(lat), float(lon))} for name, lat, lon in counties
        ],
        "context": [xy(lat, lon) for lat, lon in discovery.points],
        "candidates": shapes,
    }


LABEL_GAP = 20  # px between the centres of two rank labels (a two-digit rank is ~14 px wide)
LINE = 12  # px: labels on lines further apart than this do not meet


def name_half_width(name: str) -> float:
    """Half the width of a county's name at the map's 10 px (about 5 px a letter)."""
    return 2.5 * len(name) + 2


def label_place(wanted: tuple[float, float], taken: list) -> tuple[float, float]:
    """Where a candidate's number goes: above its centre, or — when candidates share a
    centre or lie close, or a county's name is there, and they would be drawn over each
    other — the nearest free place on the same line, alternately to the right and the left.
    `taken`: (x, y, half width) of what is drawn already."""
    x, y = wanted
    half = LABEL_GAP / 2
    # Try the spots LABEL_GAP apart; each thing drawn rules out a stretch of
    # 2 × (its half width + half) of them: past that many, a spot is free.
    reach = sum(int(2 * (w + half) // LABEL_GAP) + 2 for _x, _y, w in taken)
    for step in range(reach + 1):
        shift = (step + 1) // 2 * LABEL_GAP * (1 if step % 2 else -1)
        spot = (x + shift, y)
        if all(abs(spot[0] - tx) >= w + half or abs(spot[1] - ty) >= LINE
               for tx, ty, w in taken):  # fmt: skip
            return spot
    raise AssertionError("no free spot within reach")  # cannot happen (see above)
