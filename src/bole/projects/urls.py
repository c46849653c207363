from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.project_list, name="projects-list"),
    path("projects/new/", views.project_create, name="projects-create"),
    path("projects/frontline/", views.frontline, name="projects-frontline"),
    path("projects/<int:pk>/", views.project_detail, name="projects-detail"),
    path("projects/<int:pk>/transition/", views.project_transition, name="projects-transition"),
    path("projects/<int:pk>/difficulties/", views.difficulty_new, name="projects-difficulty"),
    path("projects/milestones/<int:pk>/done/", views.milestone_done, name="projects-milestone-done"),
]
