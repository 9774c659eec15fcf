from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitStatus(models.TextChoices):
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATIONAL = "operational", _("Operational")
    IDLE = "idle", _("Idle")
    RESTARTED = "restarted", _("Restarted")
    CLOSED = "closed", _("Closed")


# Statuses in which a unit counts as "in operation" (به بهره‌برداری رسیده و فعال).
IN_OPERATION = (UnitStatus.OPERATIONAL, UnitStatus.RESTARTED)

# Which status may follow which (the first event may be under construction or operational).
TRANSITIONS = {
    None: {UnitStatus.UNDER_CONSTRUCTION, UnitStatus.OPERATIONAL},
    UnitStatus.UNDER_CONSTRUCTION: {UnitStatus.OPERATIONAL, UnitStatus.CLOSED},
    UnitStatus.OPERATIONAL: {UnitStatus.IDLE, UnitStatus.CLOSED},
    UnitStatus.IDLE: {UnitStatus.RESTARTED, UnitStatus.CLOSED},
    UnitStatus.RESTARTED: {UnitStatus.OPERATIONAL, UnitStatus.IDLE, UnitStatus.CLOSED},
    UnitStatus.CLOSED: set(),
}


class IdleReason(models.TextChoices):
    MARKET = "market", _("Lack of market")
    WORKING_CAPITAL = "working_capital", _("Working capital and finance")
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    MANAGEMENT = "management", _("Management and partners' disputes")
    TECHNOLOGY = "technology", _("Outdated technology")
    INFRASTRUCTURE = "infrastructure", _("Power, water or other infrastructure")
    LEGAL = "legal", _("Legal and bank problems")
    OTHER = "other", _("Other")
    # Added for idle-unit revival (issue 12); after the first ones, so the stored values and
    # the order of the original list stay as they were.
    EQUIPMENT = "equipment", _("Worn-out or broken equipment")
    LICENCES = "licences", _("Licences and permits")


class Sector(models.TextChoices):
    FOOD_DATES = "food_dates", _("Food: dates processing and packaging")
    FOOD_AQUATIC = "food_aquatic", _("Food: aquatic products processing")
    FOOD_OTHER = "food_other", _("Food: other")
    TEXTILES_ZILOU = "textiles_zilou", _("Textiles: zilou and hand-woven rugs")
    TEXTILES_OTHER = "textiles_other", _("Textiles: other")
    CERAMICS = "ceramics", _("Tiles, ceramics and building materials")
    CHEMICALS = "chemicals", _("Chemicals and plastics")
    METALS = "metals", _("Metals and metal products")
    MACHINERY = "machinery", _("Machinery and equipment")
    ELECTRICAL = "electrical", _("Electrical and electronics")
    OTHER = "other", _("Other")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")
