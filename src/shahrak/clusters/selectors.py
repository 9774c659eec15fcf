"""Reads for discovery: the registry's operating units as `discovery` sees them, and the
candidates a user may see, with what the command, the API and the page show of them."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Sum

from shahrak.accounts.choices import Action
from shahrak.units.choices import IN_OPERATION
from shahrak.units.models import Unit

from .discovery import (
    DEFAULT_MIN_UNITS,
    Candidate,
    Site,
    discover,
    location_quotients,
    ranked,
)
from .models import DEFAULT_RADIUS_KM, Membership


@dataclass
class Discovery:
    """The candidates (in rank order) of one request, with the units behind them."""

    province: str | None
    radius_km: int
    min_units: int
    candidates: list[Candidate]
    units: dict[str, dict] = field(default_factory=dict)  # national ID → name, pk, county…
    considered: int = 0
    # Where the units considered are (rounded to ~100 m, each place once): the map's context.
    points: list[tuple[float, float]] = field(default_factory=list)

    def name_of(self, national_id: str) -> str:
        return self.units.get(national_id, {}).get("name", "")

    def product_of(self, candidate: Candidate) -> str:
        """The members' most common product (ties: the first in alphabetical order)."""
        counts = Counter(self.units[i]["products"] for i in candidate.member_ids)
        return min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else ""

    def as_json(self) -> dict:
        return {
            "parameters": {
                "province": self.province,
                "radius_km": self.radius_km,
                "min_units": self.min_units,
            },
            "candidates": [
                {
                    "isic": c.isic,
                    "product": self.product_of(c),
                    "province": c.province,
                    "centre": {"lat": c.centre.lat, "lon": c.centre.lon},
                    "radius_km": self.radius_km,
                    "units": c.units,
                    "jobs": c.jobs,
                    "lq": None if c.lq is None else round(c.lq, 2),
                    "members": list(c.member_ids),
                }
                for c in self.candidates
            ],
        }


def operating_units(user, province: str | None = None):
    """The operating units with a location and a national ID that `user` may see."""
    units = (
        Unit.objects.restrict(user, Action.VIEW)
        .active()
        .filter(
            status__in=IN_OPERATION,
            latitude__isnull=False,
            longitude__isnull=False,
            national_id__isnull=False,
        )
        .exclude(national_id="")
    )
    if province:
        units = units.filter(county__province__code=province)
    return units


def assigned_ids(national_ids) -> set[str]:
    """Of these units, those that are current members of a registered (not archived) cluster
    of their own ISIC class."""
    from django.db.models import F

    return set(
        Membership.objects.filter(
            unit__national_id__in=list(national_ids),
            left_on__isnull=True,
            archived_at__isnull=True,
            cluster__archived_at__isnull=True,
            cluster__isic_code=F("unit__isic_code"),
        ).values_list("unit__national_id", flat=True)
    )


def national_employment() -> dict[tuple[str, str], int]:
    """Jobs in the operating units of the whole registry by (province, ISIC class): the
    location quotient compares a province with the nation, so these are totals over every
    province, whoever asks (sums only, no record)."""
    rows = (
        Unit.objects.active()
        .filter(status__in=IN_OPERATION)
        .values("county__province__code", "isic_code")
        .annotate(jobs=Sum("employees"))
        .order_by()
    )
    return {(row["county__province__code"], row["isic_code"]): row["jobs"] or 0 for row in rows}


def discover_for(
    user,
    *,
    province: str | None = None,
    radius_km: int = DEFAULT_RADIUS_KM,
    min_units: int = DEFAULT_MIN_UNITS,
) -> Discovery:
    """Candidate clusters among the operating units `user` sees (of one province, if given),
    leaving out the units already members of a registered cluster of their class; in rank
    order (docs/discovery.md)."""
    rows = list(
        operating_units(user, province)
        .order_by()
        .values_list(
            "pk",
            "national_id",
            "name",
            "isic_code",
            "latitude",
            "longitude",
            "employees",
            "products",
            "county__name_fa",
            "county__province__code",
        )
    )
    sites = [
        Site(nid, isic, float(lat), float(lon), jobs or 0, prov)
        for _pk, nid, _name, isic, lat, lon, jobs, _products, _county, prov in rows
    ]
    found = discover(
        sites,
        assigned=assigned_ids(site.national_id for site in sites),
        radius_km=radius_km,
        min_units=min_units,
    )
    candidates = ranked(found, location_quotients(national_employment()))
    wanted = {i for c in candidates for i in c.member_ids}
    units = {
        nid: {"pk": pk, "name": name, "products": products, "county": county}
        for pk, nid, name, _isic, _lat, _lon, _jobs, products, county, _prov in rows
        if nid in wanted
    }
    points = sorted({(round(s.lat, 3), round(s.lon, 3)) for s in sites})
    return Discovery(
        province, radius_km, min_units, candidates, units, considered=len(sites), points=points
    )
