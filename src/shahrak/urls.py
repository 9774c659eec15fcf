from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from shahrak.accounts.access import public

urlpatterns = [
    path("", include("shahrak.home.urls")),
    path("accounts/", include("shahrak.accounts.urls")),
    path("places/", include("shahrak.places.urls")),
    path("parks/", include("shahrak.parks.urls")),
    path("units/", include("shahrak.units.urls")),
    path("revival/", include("shahrak.revival.urls")),
    path("support/", include("shahrak.support.urls")),
    path("clusters/", include("shahrak.clusters.urls")),
    path("reports/", include("shahrak.reports.urls")),
    path("notifications/", include("shahrak.notifications.urls")),
    path("i18n/setlang/", public(set_language, methods=("POST",)), name="set_language"),
    path("api/v1/", include(("shahrak.api_urls", "api"), namespace="api")),
    # The back office: for administrators only, never the product's UI.
    path("backoffice/", admin.site.urls),
]

# Errors in the page shell (JSON under /api/): see core/error_pages.py.
handler400 = "shahrak.core.error_pages.bad_request"
handler403 = "shahrak.core.error_pages.permission_denied"
handler404 = "shahrak.core.error_pages.page_not_found"
handler500 = "shahrak.core.error_pages.server_error"
