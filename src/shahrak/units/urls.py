from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("new/", views.unit_create, name="unit-create"),
    path("exports/", views.export_list, name="export-list"),
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
    path("<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("<int:pk>/status/", views.unit_status, name="unit-status"),
    path("<int:pk>/exports/", views.export_add, name="export-add"),
    path("<int:pk>/representatives/", views.representative_add, name="representative-add"),
    path(
        "<int:pk>/representatives/remove/",
        views.representative_remove,
        name="representative-remove",
    ),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_run, name="import-run"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/template.xlsx", views.import_template, name="import-template"),
]
