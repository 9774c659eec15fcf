from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("shahrak.core.urls")),
    path("accounts/", include("shahrak.accounts.urls")),
    path("places/", include("shahrak.places.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The back office: for administrators only, never the product's UI.
    path("backoffice/", admin.site.urls),
]
