"""Great-circle distances for the 100 km rule (and discovery).

The distance is the haversine formula on a sphere of the Earth's mean radius (IUGG,
R₁ = 6371.0088 km), computed in double precision: exact for the sphere, and within 0.5 % of
the ellipsoidal (Vincenty/Karney) distance anywhere — at Iran's latitudes and a 100 km
radius, within a few hundred metres. The rule compares this distance with the cluster's
radius; the refusal message states it.
"""

import math

EARTH_MEAN_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
