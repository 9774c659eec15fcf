from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.province_list, name="province-list"),
    path("<slug:code>/", views.province_detail, name="province-detail"),
]
