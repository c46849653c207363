from django.urls import path

from . import views

urlpatterns = [
    path("training/", views.plan, name="training-plan"),
    path("training/mine/", views.mine, name="training-mine"),
    path("training/reports/", views.reports, name="training-reports"),
    path("training/sessions/<int:pk>/", views.session_detail, name="training-session"),
    path("training/sessions/<int:pk>/enrol/", views.enrol, name="training-enrol"),
    path("training/sessions/<int:pk>/drop/", views.drop, name="training-drop"),
    path("training/sessions/<int:pk>/screen/", views.screen, name="training-screen"),
    path("training/sessions/<int:pk>/checkin/", views.checkin, name="training-checkin"),
    path("training/sessions/<int:pk>/mark/", views.mark, name="training-mark"),
    path("training/sessions/<int:pk>/rate/", views.rate, name="training-rate"),
    path("training/classes/<int:pk>/", views.class_detail, name="training-class"),
    path("training/classes/<int:pk>/scores/", views.class_scores, name="training-class-scores"),
    path("training/classes/<int:pk>/certificate/<int:member_pk>/", views.certificate, name="training-certificate"),
    path("training/classes/<int:pk>/quiz/", views.quiz, name="training-quiz"),
    path("training/classes/<int:pk>/quiz/questions/", views.quiz_question, name="training-quiz-question"),
    path("training/classes/<int:pk>/quiz/questions/<int:question_pk>/delete/", views.quiz_question_delete,
         name="training-quiz-question-delete"),
    path("training/classes/<int:pk>/quiz/state/", views.quiz_state, name="training-quiz-state"),
    path("training/classes/<int:pk>/quiz/submit/", views.quiz_submit, name="training-quiz-submit"),
    path("training/classes/<int:pk>/certificate/<int:member_pk>/pdf/", views.certificate_pdf,
         name="training-certificate-pdf"),
    path("training/sessions/<int:pk>/roster/", views.session_roster, name="training-session-roster"),
]
