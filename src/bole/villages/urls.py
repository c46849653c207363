from django.urls import path

from . import views

urlpatterns = [
    path("villages/", views.index_page, name="villages-index"),
    path("villages/run/", views.run_create, name="villages-run"),
    path("villages/import/", views.import_page, name="villages-import"),
    path("villages/target/", views.target_page, name="villages-target"),
    path("villages/teams/", views.teams_page, name="villages-teams"),
    path("villages/teams/review/", views.team_review_create, name="villages-team-review"),
    path("villages/team/<int:pk>/", views.team_detail, name="villages-team"),
    path("villages/team/<int:pk>/edit/", views.team_edit, name="villages-team-edit"),
    path("villages/team/<int:pk>/report/", views.team_report, name="villages-team-report"),
    path("villages/patrons/", views.patron_list, name="villages-patrons"),
    path("villages/patron/<int:pk>/", views.patron_detail, name="villages-patron"),
    path("villages/patron/<int:pk>/log/", views.patron_log, name="villages-patron-log"),
    path("villages/patron/<int:pk>/problem/", views.patron_problem, name="villages-patron-problem"),
    path("villages/patron/<int:pk>/end/", views.patron_end, name="villages-patron-end"),
    path("villages/events/", views.events_page, name="villages-events"),
    path("villages/events/new/", views.event_create, name="villages-event-new"),
    path("villages/event/<int:pk>/", views.event_detail, name="villages-event"),
    path("villages/honours/", views.honours_compute, name="villages-honours"),
    path("villages/indicators/", views.indicators_page, name="villages-indicators"),
    path("villages/indicators/new/", views.indicator_edit, name="villages-indicator-new"),
    path("villages/indicator/<int:pk>/edit/", views.indicator_edit, name="villages-indicator-edit"),
    path("villages/score/<int:pk>/", views.score_detail, name="villages-score"),
    path("villages/village/<int:pk>/", views.village_detail, name="villages-village"),
    path("villages/village/<int:pk>/patron/", views.patron_add, name="villages-patron-add"),
    path("villages/village/<int:pk>/team/", views.team_create, name="villages-team-add"),
]
