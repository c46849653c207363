from django.urls import path

from . import views

urlpatterns = [
    path("talent/", views.talent_list, name="talent-list"),
    path("talent/new/", views.talent_create, name="talent-create"),
    path("talent/export/", views.talent_export, name="talent-export"),
    path("talent/import/", views.talent_import, name="talent-import"),
    path("talent/template/", views.talent_template, name="talent-template"),
    path("talent/me/", views.talent_mine, name="talent-mine"),
    path("talent/liaison/", views.liaison_home, name="talent-liaison-home"),
    path("talent/lifecycle/", views.lifecycle, name="talent-lifecycle"),
    path("talent/creators/", views.creators, name="talent-creators"),
    path("talent/creators/<int:pk>/", views.creator_detail, name="talent-creator"),
    path("talent/households/<int:pk>/survey/", views.household_survey, name="talent-survey"),
    path("talent/projects/", views.projects, name="talent-projects"),
    path("talent/projects/new/", views.project_create, name="talent-project-create"),
    path("talent/projects/<int:pk>/", views.project_detail, name="talent-project"),
    path("talent/projects/<int:pk>/edit/", views.project_edit, name="talent-project-edit"),
    path("talent/contests/", views.contests, name="talent-contests"),
    path("talent/contests/<int:pk>/", views.contest_detail, name="talent-contest"),
    path("talent/contests/<int:pk>/tracks/", views.contest_track, name="talent-contest-track"),
    path("talent/contests/<int:pk>/entries/", views.contest_entry, name="talent-contest-entry"),
    path("talent/contests/<int:pk>/judges/", views.contest_judge, name="talent-contest-judge"),
    path("talent/contests/<int:pk>/transition/", views.contest_transition, name="talent-contest-transition"),
    path("talent/<int:pk>/", views.talent_detail, name="talent-detail"),
    path("talent/<int:pk>/edit/", views.talent_edit, name="talent-edit"),
    path("talent/<int:pk>/stage/", views.talent_stage, name="talent-stage"),
    path("talent/<int:pk>/activities/<int:activity_pk>/", views.activity_done, name="talent-activity"),
    path("talent/<int:pk>/liaison/", views.talent_liaison, name="talent-liaison"),
    path("talent/<int:pk>/request/", views.talent_request, name="talent-request"),
]
