"""Evaluation pages; the ballot link /b/<token>/ is short so it fits a QR code well."""

from django.urls import path

from . import views

urlpatterns = [
    path("evaluation/", views.evaluation_list, name="evaluation-list"),
    path("evaluation/new/", views.evaluation_create, name="evaluation-create"),
    path("evaluation/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluation/<int:pk>/rates/", views.evaluation_rates, name="evaluation-rates"),
    path("evaluation/<int:pk>/add/<str:what>/", views.evaluation_add, name="evaluation-add"),
    path("evaluation/<int:pk>/transition/", views.evaluation_transition, name="evaluation-transition"),
    path("evaluation/<int:pk>/tokens/", views.tokens_issue, name="evaluation-tokens"),
    path("evaluation/<int:pk>/tokens/print/", views.tokens_print, name="evaluation-tokens-print"),
    path("evaluation/<int:pk>/results/", views.results, name="evaluation-results"),
    path("evaluation/<int:pk>/results.xlsx", views.results_export, name="evaluation-export"),
    path("evaluation/<int:pk>/screen/", views.screen, name="evaluation-screen"),
    path("evaluation/<int:pk>/screen/board/", views.screen_board, name="evaluation-screen-board"),
    path("evaluation/<int:pk>/screen/host/", views.screen_host, name="evaluation-screen-host"),
    path("evaluation/<int:pk>/subjects/<int:sid>/reveal/", views.subject_reveal, name="evaluation-reveal"),
    path("b/<str:token>/", views.ballot, name="evaluation-ballot"),
    path("judge/", views.judge_home, name="evaluation-judge-home"),
    path("judge/<int:pk>/", views.judge_event, name="evaluation-judge-event"),
    path("judge/<int:pk>/<int:sid>/", views.judge_subject, name="evaluation-judge-subject"),
    path("judge/<int:pk>/submit/", views.judge_submit, name="evaluation-judge-submit"),
    path("judge/<int:pk>/conflict/", views.judge_conflict, name="evaluation-judge-conflict"),
]
