from django.urls import path

from . import discovery_views, views

app_name = "clusters"
urlpatterns = [
    path("", views.cluster_list, name="cluster-list"),
    path("new/", views.cluster_create, name="cluster-create"),
    path("candidates/", discovery_views.candidate_list, name="candidate-list"),
    path("candidates/register/", discovery_views.candidate_register, name="candidate-register"),
    path("<int:pk>/", views.cluster_detail, name="cluster-detail"),
    path("<int:pk>/edit/", views.cluster_edit, name="cluster-edit"),
    path("<int:pk>/members/add/", views.member_add, name="member-add"),
    path("<int:pk>/associates/add/", views.associate_add, name="associate-add"),
    path("<int:pk>/plan/start/", views.plan_start, name="plan-start"),
    path("<int:pk>/actions/", views.action_list, name="action-list"),
    path("<int:pk>/actions/new/", views.action_add, name="action-add"),
    path("members/", views.member_list, name="member-list"),
    path("members/<int:pk>/leave/", views.member_leave, name="member-leave"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/step/", views.plan_step, name="plan-step"),
    path("plans/<int:pk>/study/", views.study_attach, name="study-attach"),
    path("steps/<int:pk>/document/", views.study_download, name="study-download"),
    path("action-plans/", views.action_plan_list, name="action-plan-list"),
    path("action-plans/<int:pk>/edit/", views.action_edit, name="action-edit"),
]
