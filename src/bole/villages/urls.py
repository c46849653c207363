from django.urls import path

from . import views

urlpatterns = [
    path("villages/", views.index_page, name="villages-index"),
    path("villages/run/", views.run_create, name="villages-run"),
    path("villages/import/", views.import_page, name="villages-import"),
    path("villages/target/", views.target_page, name="villages-target"),
    path("villages/teams/", views.teams_page, name="villages-teams"),
    path("villages/score/<int:pk>/", views.score_detail, name="villages-score"),
    path("villages/village/<int:pk>/", views.village_detail, name="villages-village"),
]
