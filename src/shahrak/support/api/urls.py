from . import exhibitions
from .views import ApplicationViewSet, PaymentViewSet, ProgramBudgetViewSet, ProgramViewSet

ROUTES = [
    ("support-programs", ProgramViewSet, "support-program"),
    ("support-budgets", ProgramBudgetViewSet, "support-budget"),
    ("support-applications", ApplicationViewSet, "support-application"),
    ("support-payments", PaymentViewSet, "support-payment"),
    *exhibitions.ROUTES,
]
urlpatterns = []
