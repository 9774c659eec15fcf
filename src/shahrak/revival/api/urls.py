from .views import MonthlyReportViewSet, RevivalCaseViewSet

ROUTES = [
    ("revival-cases", RevivalCaseViewSet, "revival-case"),
    ("monthly-reports", MonthlyReportViewSet, "monthly-report"),
]
urlpatterns = []
