from django.urls import path

from . import views

urlpatterns = [
    path("challenges/", views.board, name="challenges-board"),
    path("challenges/all/", views.challenge_list, name="challenges-list"),
    path("challenges/new/", views.challenge_create, name="challenges-create"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenges-detail"),
    path("challenges/<int:pk>/transition/", views.challenge_transition, name="challenges-transition"),
    path("challenges/<int:pk>/apply/", views.challenge_apply, name="challenges-apply"),
    path("challenges/<int:pk>/applications/<int:app_pk>/", views.application_transition,
         name="challenges-application"),
    path("challenges/<int:pk>/award/", views.challenge_award, name="challenges-award"),
    path("challenges/<int:pk>/milestones/", views.milestone_add, name="challenges-milestone-add"),
    path("challenges/<int:pk>/milestones/<int:ms_pk>/", views.milestone_transition, name="challenges-milestone"),
    path("challenges/<int:pk>/milestones/<int:ms_pk>/signoff/", views.milestone_signoff,
         name="challenges-signoff"),
    path("challenges/<int:pk>/reports/", views.progress_report, name="challenges-report"),
    path("challenges/<int:pk>/panel/", views.panel_add, name="challenges-panel"),
    path("challenges/<int:pk>/panel/<int:member_pk>/conflict/", views.panel_conflict, name="challenges-conflict"),
]
