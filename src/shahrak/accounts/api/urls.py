from django.urls import path

from .views import AuditEntryViewSet, MeView, UserViewSet

# (prefix, viewset, basename) for the project's API router.
ROUTES = [
    ("users", UserViewSet, "user"),
    ("audit-entries", AuditEntryViewSet, "audit-entry"),
]
urlpatterns = [path("me/", MeView.as_view(), name="me")]
