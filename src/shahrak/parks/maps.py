"""A small map drawn by the page itself (no map tiles: the intranet has no internet): the
province's county seats as dots and the park as a marker, projected into a box."""

from decimal import Decimal

WIDTH, HEIGHT, MARGIN = 320, 240, 24


def county_map(park) -> dict:
    counties = list(park.county.province.counties.all())
    points = [(c.latitude, c.longitude) for c in counties] + [(park.latitude, park.longitude)]
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    lat_span = max(max(lats) - min(lats), Decimal("0.1"))
    lon_span = max(max(lons) - min(lons), Decimal("0.1"))
    scale = min((WIDTH - 2 * MARGIN) / float(lon_span), (HEIGHT - 2 * MARGIN) / float(lat_span))

    def project(lat, lon):
        x = MARGIN + float(lon - min(lons)) * scale
        y = HEIGHT - MARGIN - float(lat - min(lats)) * scale
        return round(x, 1), round(y, 1)

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "counties": [
            {"name": c.name, "xy": project(c.latitude, c.longitude), "own": c.pk == park.county_id}
            for c in counties
        ],
        "park": project(park.latitude, park.longitude),
    }
