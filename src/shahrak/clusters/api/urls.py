from django.urls import path

from .candidates import CandidateView
from .views import ActionPlanViewSet, ClusterViewSet, DevelopmentPlanViewSet

ROUTES = [
    ("clusters", ClusterViewSet, "cluster"),
    ("cluster-plans", DevelopmentPlanViewSet, "cluster-plan"),
    ("cluster-action-plans", ActionPlanViewSet, "cluster-action-plan"),
]
# Before the router's clusters/<pk>/ (api_urls.py includes the apps' paths first).
urlpatterns = [
    path("clusters/candidates/", CandidateView.as_view(), name="cluster-candidates"),
]
