from django.urls import path

from . import views

app_name = "parks"
urlpatterns = [
    path("", views.park_list, name="park-list"),
    path("new/", views.park_create, name="park-create"),
    path("<int:pk>/", views.park_detail, name="park-detail"),
    path("<int:pk>/edit/", views.park_edit, name="park-edit"),
    path("<int:pk>/sections/new/", views.section_create, name="section-create"),
    path("<int:pk>/plots/new/", views.plot_create, name="plot-create"),
    path("<int:pk>/projects/new/", views.project_create, name="project-create"),
    path("plots/", views.plot_list, name="plot-list"),
    path("plots/<int:pk>/", views.plot_detail, name="plot-detail"),
    path("plots/<int:pk>/status/", views.plot_status, name="plot-status"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<int:pk>/reports/", views.report_add, name="report-add"),
    path("projects/<int:pk>/deliver/", views.project_deliver, name="project-deliver"),
    path("projects/<int:pk>/cancel/", views.project_cancel, name="project-cancel"),
]
