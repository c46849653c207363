from django.urls import path

from . import views

urlpatterns = [
    path("growth/", views.dashboard, name="growth-dashboard"),
    path("growth/records/", views.record_list, name="growth-records"),
    path("growth/records/new/", views.record_create, name="growth-create"),
    path("growth/records/<int:pk>/", views.record_detail, name="growth-record"),
    path("growth/records/<int:pk>/entries/<int:entry_pk>/submit/", views.entry_submit, name="growth-submit"),
    path("growth/records/<int:pk>/entries/<int:entry_pk>/transition/", views.entry_transition,
         name="growth-transition"),
    path("growth/records/<int:pk>/entries/<int:entry_pk>/file/", views.entry_file, name="growth-file"),
    path("growth/records/<int:pk>/postings/", views.posting_add, name="growth-posting"),
    path("growth/checklist/", views.checklist, name="growth-checklist"),
]
