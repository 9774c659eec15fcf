from django.urls import path

from . import views, wording_views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trend/", views.trend, name="trend"),
    path("press/", views.press, name="press"),
    path("press/sentences/", wording_views.sentence_list, name="sentence-list"),
    path("press/sentences/<slug:key>/", wording_views.sentence_edit, name="sentence-edit"),
    path(
        "press/sentences/<slug:key>/restore/",
        wording_views.sentence_restore,
        name="sentence-restore",
    ),
]
