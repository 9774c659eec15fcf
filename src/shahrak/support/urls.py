from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("programs/", views.program_list, name="program-list"),
    path("programs/new/", views.program_create, name="program-create"),
    path("programs/budget/", views.budget_set, name="budget-set"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/new/", views.application_create, name="application-create"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/documents/", views.document_add, name="document-add"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    # Exhibitions and services.
    path("exhibitions/", views.exhibition_list, name="exhibition-list"),
    path("exhibitions/new/", views.exhibition_create, name="exhibition-create"),
    path("exhibitions/<int:pk>/", views.exhibition_detail, name="exhibition-detail"),
    path("exhibitions/<int:pk>/edit/", views.exhibition_edit, name="exhibition-edit"),
    path("exhibitions/<int:pk>/archive/", views.exhibition_archive, name="exhibition-archive"),
    path("exhibition-supports/", views.exhibition_support_list, name="exhibition-support-list"),
    path(
        "exhibition-supports/new/",
        views.exhibition_support_create,
        name="exhibition-support-create",
    ),
    path(
        "exhibition-supports/<int:pk>/",
        views.exhibition_support_detail,
        name="exhibition-support-detail",
    ),
    path(
        "exhibition-supports/<int:pk>/edit/",
        views.exhibition_support_edit,
        name="exhibition-support-edit",
    ),
    path(
        "exhibition-supports/<int:pk>/archive/",
        views.exhibition_support_archive,
        name="exhibition-support-archive",
    ),
    path("services/", views.service_list, name="service-list"),
    path("services/new/", views.service_create, name="service-create"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("services/<int:pk>/archive/", views.service_archive, name="service-archive"),
]
# The staff's steps, each a form of the application's page.
urlpatterns += [
    path(f"applications/<int:pk>/{name}/", getattr(views, f"application_{name}"),
         name=f"application-{name}")
    for name in ("assign", "review", "return", "approve", "reject", "execute", "pay", "close")
]  # fmt: skip
urlpatterns += [
    path("applications/batch/", views.application_batch, name="application-batch"),
]

# The budget pages (budget_views.py).
from . import budget_views  # noqa: E402

urlpatterns += [
    path("budgets/", budget_views.budget_report, name="budget-report"),
    path("budgets/caps/", budget_views.cap_report, name="cap-report"),
    path("budgets/stages/", budget_views.stage_report, name="stage-report"),
    path("payments/", budget_views.payment_list, name="payment-list"),
]
