from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "shahrak.clusters"
    label = "clusters"
    verbose_name = _("Industrial clusters")

    def ready(self):
        from shahrak.accounts.audit import track
        from shahrak.accounts.scoping import register_object_scope

        from .models import ActionPlan, Associate, Cluster, DevelopmentPlan, Membership, PlanStep

        for model in (Cluster, Membership, Associate, DevelopmentPlan, PlanStep, ActionPlan):
            track(model)
        # Development agents reach the records of the clusters they are the agent of.
        register_object_scope(
            "cluster", lambda user: Cluster.objects.filter(agent=user).values("pk")
        )
