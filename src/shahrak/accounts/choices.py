from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HQ = "hq", _("National headquarters")
    MANAGER = "manager", _("Provincial manager")
    EXPERT = "expert", _("Provincial expert")
    CLUSTER_AGENT = "cluster_agent", _("Cluster development agent")
    UNIT_REP = "unit_rep", _("Unit representative")
    AUDITOR = "auditor", _("Auditor")
    SYSADMIN = "sysadmin", _("System administrator")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    CHANGE = "change", _("change")
    APPROVE = "approve", _("approve")
    MANAGE_USERS = "manage_users", _("manage users")
    VIEW_HISTORY = "view_history", _("view history")
