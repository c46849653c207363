from django.urls import path

from . import views

urlpatterns = [
    path("assessment/", views.home, name="assessment-home"),
    path("assessment/schemes/new/", views.scheme_edit, name="assessment-scheme-new"),
    path("assessment/schemes/<int:pk>/", views.scheme_edit, name="assessment-scheme"),
    path("assessment/schemes/<int:pk>/copy/", views.scheme_copy, name="assessment-scheme-copy"),
    path("assessment/schemes/<int:pk>/active/", views.scheme_active, name="assessment-scheme-active"),
    path("assessment/rounds/new/", views.round_new, name="assessment-round-new"),
    path("assessment/rounds/<int:pk>/", views.round_detail, name="assessment-round"),
    path("assessment/rounds/<int:pk>/sources/", views.round_source, name="assessment-source"),
    path("assessment/rounds/<int:pk>/decisions/", views.grade_decide, name="assessment-decide"),
    path("assessment/decisions/<int:pk>/remove/", views.grade_decision_remove, name="assessment-decision-remove"),
    path("assessment/rounds/<int:pk>/transition/", views.round_transition, name="assessment-transition"),
    path("assessment/rounds/<int:pk>/ranking/", views.ranking, name="assessment-ranking"),
    path("assessment/rounds/<int:pk>/ranking/print/", views.ranking_print, name="assessment-ranking-print"),
    path("assessment/rounds/<int:pk>/ranking.xlsx", views.ranking_export, name="assessment-export"),
    path("assessment/rounds/<int:pk>/bulletin/", views.bulletin, name="assessment-bulletin"),
    path("assessment/rounds/<int:pk>/objections/", views.objection_lodge, name="assessment-object"),
    path("assessment/rounds/<int:pk>/people/<int:person_id>/", views.explain, name="assessment-explain"),
    path("assessment/rounds/<int:pk>/people/<int:person_id>/records/<slug:code>/", views.records,
         name="assessment-records"),
    path("assessment/objections/<int:pk>/answer/", views.objection_answer, name="assessment-answer"),
]
for _key in ("unit-scores", "task-tallies", "manual-values"):
    urlpatterns += [
        path(f"assessment/inputs/{_key}/", views.input_list, {"key": _key}, name=f"assessment-{_key}-list"),
        path(f"assessment/inputs/{_key}/import/", views.input_import, {"key": _key},
             name=f"assessment-{_key}-import"),
        path(f"assessment/inputs/{_key}/template.xlsx", views.input_template, {"key": _key},
             name=f"assessment-{_key}-template"),
    ]
