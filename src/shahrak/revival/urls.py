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
    path("actions/<int:pk>/progress/", views.action_progress, name="action-progress"),
    path("units/<int:pk>/open/", views.case_open, name="case-open"),
    path("units/<int:pk>/reports/review/", views.report_review, name="report-review"),
    path("watch/", views.watch_list, name="watch-list"),
    path("funnel/", views.funnel, name="funnel"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/file/", views.report_file, name="report-file"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
]
