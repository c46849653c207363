from django.urls import path

from . import views

urlpatterns = [
    path("help/", views.index, name="help-index"),
    path("help/<slug:slug>/", views.guide, name="help-guide"),
]
