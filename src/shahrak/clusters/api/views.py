from rest_framework import viewsets

from shahrak.accounts.api.base import ScopedViewSetMixin

from ..filtersets import ActionPlanFilterSet, ClusterFilterSet, PlanFilterSet
from ..models import ActionPlan, Cluster, DevelopmentPlan
from .serializers import ActionPlanSerializer, ClusterSerializer, DevelopmentPlanSerializer


class ClusterViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Clusters with their current members, read (they are written on their pages, through
    the services)."""

    serializer_class = ClusterSerializer
    queryset = (
        Cluster.objects.select_related("province")
        .prefetch_related("memberships__unit")
        .order_by("sort_key", "pk")
    )
    filterset_class = ClusterFilterSet


class DevelopmentPlanViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Cluster development plans with their dated stages, read."""

    serializer_class = DevelopmentPlanSerializer
    queryset = DevelopmentPlan.objects.prefetch_related("steps").order_by("cluster", "-started_on")
    filterset_class = PlanFilterSet


class ActionPlanViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Clusters' action plans, read."""

    serializer_class = ActionPlanSerializer
    queryset = ActionPlan.objects.order_by("cluster", "year", "starts_on", "pk")
    filterset_class = ActionPlanFilterSet
