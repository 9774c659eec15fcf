from django.urls import path

from .views import MetricsView, PressView

ROUTES = []
urlpatterns = [
    path("reports/metrics/", MetricsView.as_view(), name="report-metrics"),
    path("reports/press/", PressView.as_view(), name="report-press"),
]
