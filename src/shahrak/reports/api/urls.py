from django.urls import path

from .views import MetricsView

ROUTES = []
urlpatterns = [path("reports/metrics/", MetricsView.as_view(), name="report-metrics")]
