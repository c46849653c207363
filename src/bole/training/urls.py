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

urlpatterns += [
    path("training/manage/", views.manage, name="training-manage"),
    path("training/plans/new/", views.plan_new, name="training-plan-new"),
    path("training/plans/<int:pk>/topics/new/", views.topic_new, name="training-topic-new"),
    path("training/plans/<int:pk>/sessions/new/", views.session_new, name="training-session-new"),
    path("training/plans/<int:pk>/classes/new/", views.class_new, name="training-class-new"),
    path("training/plans/<int:pk>/import/", views.plan_import, name="training-plan-import"),
    path("training/plan-template/", views.plan_template, name="training-plan-template"),
    path("training/topics/<int:pk>/", views.topic_detail, name="training-topic"),
    path("training/sessions/<int:pk>/edit/", views.session_edit, name="training-session-edit"),
    path("training/sessions/<int:pk>/publish/", views.session_publish, name="training-session-publish"),
    path("training/sessions/<int:pk>/group/", views.group_enrol, name="training-group-enrol"),
    path("training/group-template/", views.group_template, name="training-group-template"),
    path("training/classes/<int:pk>/edit/", views.class_edit, name="training-class-edit"),
]
