from django.urls import path

from . import views

app_name = "revival"
urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/diagnose/", views.case_diagnose, name="case-diagnose"),
    path("cases/<int:pk>/plan/", views.case_plan, name="case-plan"),
    path("cases/<int:pk>/visits/", views.visit_add, name="visit-add"),
    path("cases/<int:pk>/restart/", views.case_restart, name="case-restart"),
    path("cases/<int:pk>/close/", views.case_close, name="case-close"),
    path("diagnoses/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/archive/", views.attachment_archive, name="attachment-archive"),
    path("cases/<int:pk>/actions/", views.action_add, name="action-add"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action-progress"),
    path("units/<int:pk>/open/", views.case_open, name="case-open"),
    path("units/<int:pk>/reports/review/", views.report_review, name="report-review"),
    path("units/<int:pk>/utilities/", views.utility_readings, name="utility-readings"),
    path("units/<int:pk>/utilities/add/", views.utility_add, name="utility-add"),
    path("watch/", views.watch_list, name="watch-list"),
    path("funnel/", views.funnel, name="funnel"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/file/", views.report_file, name="report-file"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    # A province's revival settings (its manager's page).
    path("settings/<int:pk>/", views.revival_settings, name="settings"),
    # Monthly reports from a spreadsheet (the units import's way).
    path("reports/import/", views.report_import, name="report-import"),
    path("reports/import/<int:pk>/", views.report_import_run, name="report-import-run"),
    path(
        "reports/import/<int:pk>/confirm/",
        views.report_import_confirm,
        name="report-import-confirm",
    ),
    path(
        "reports/import/template.xlsx", views.report_import_template, name="report-import-template"
    ),
]
