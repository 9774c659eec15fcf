"""The API, version 1: each domain app lists its routes in `<app>/api/urls.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from shahrak.accounts.access import Declaration
from shahrak.accounts.api import urls as accounts_api
from shahrak.clusters.api import urls as clusters_api
from shahrak.parks.api import urls as parks_api
from shahrak.reports.api import urls as reports_api
from shahrak.revival.api import urls as revival_api
from shahrak.support.api import urls as support_api
from shahrak.units.api import urls as units_api

APPS = [accounts_api, parks_api, units_api, revival_api, support_api, clusters_api, reports_api]

router = SimpleRouter()
for app in APPS:
    for prefix, viewset, basename in app.ROUTES:
        router.register(prefix, viewset, basename=basename)


class SchemaView(SpectacularAPIView):
    access = Declaration("signed_in")


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    *[path("", include(app.urlpatterns)) for app in APPS],
    *router.urls,
]
