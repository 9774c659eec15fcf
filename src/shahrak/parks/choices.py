from django.db import models
from django.utils.translation import gettext_lazy as _


class ParkKind(models.TextChoices):
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
    INDUSTRIAL_ZONE = "industrial_zone", _("Industrial zone")
    SEZ = "sez", _("Special economic zone")
    TECH_ZONE = "tech_zone", _("Technology / biotechnology zone")


class ParkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_DEVELOPMENT = "under_development", _("Under development")
    OPERATIONAL = "operational", _("Operational")


class PlotUse(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    SERVICE = "service", _("Services")
    UTILITY = "utility", _("Utilities")
    GREEN = "green", _("Green space")
    OTHER = "other", _("Other")


class PlotStatus(models.TextChoices):
    READY = "ready", _("Ready for allocation")
    ALLOCATED = "allocated", _("Allocated")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATIONAL = "operational", _("Operational")
    RETURNED = "returned", _("Returned")


class ProjectKind(models.TextChoices):
    POWER_SUBSTATION = "power_substation", _("Power substation")
    POWER_NETWORK = "power_network", _("Power network")
    WATER_NETWORK = "water_network", _("Water network")
    SEWAGE = "sewage", _("Sewage network and treatment")
    SALINE_WATER = "saline_water", _("Saline-water collection")
    GAS = "gas", _("Gas")
    TELECOM = "telecom", _("Telecom")
    ASPHALT_ROADS = "asphalt_roads", _("Asphalt and roads")
    EARTHWORKS = "earthworks", _("Earthworks")
    PUMPING_STATION = "pumping_station", _("Pumping station")
    OTHER = "other", _("Other")


# Kinds whose capacity in MW counts as power capacity added.
POWER_KINDS = (ProjectKind.POWER_SUBSTATION, ProjectKind.POWER_NETWORK)
# The project list's `power` filter: the projects whose capacity counts as power (MW) added.
POWER_MW = "mw"


class CapacityUnit(models.TextChoices):
    MW = "MW", _("MW")
    M3_PER_DAY = "m3/day", _("m³ per day")
    KM = "km", _("km")
    M2 = "m2", _("m²")
    LINES = "lines", _("lines")
    M3 = "m3", _("m³")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    TEMPORARILY_DELIVERED = "temporarily_delivered", _("Temporarily delivered")
    FINALLY_DELIVERED = "finally_delivered", _("Finally delivered")
    CANCELLED = "cancelled", _("Cancelled")


DELIVERED = (ProjectStatus.TEMPORARILY_DELIVERED, ProjectStatus.FINALLY_DELIVERED)
