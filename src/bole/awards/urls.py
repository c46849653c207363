from django.urls import path

from . import views

urlpatterns = [
    path("awards/", views.round_list, name="awards-list"),
    path("awards/<int:pk>/", views.round_detail, name="awards-round"),
    path("awards/<int:pk>/print/", views.round_print, name="awards-print"),
    path("awards/<int:pk>/transition/", views.round_transition, name="awards-transition"),
    path("awards/<int:pk>/nominate/", views.nominate, name="awards-nominate"),
    path("awards/<int:pk>/objections/", views.objection_lodge, name="awards-object"),
    path("awards/nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="awards-withdraw"),
    path("awards/objections/<int:pk>/answer/", views.objection_answer, name="awards-answer"),
    path("awards/people/<int:person_id>/", views.person_honours, name="awards-person"),
]
