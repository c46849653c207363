from django.urls import path

from . import views

urlpatterns = [
    path("pairing/", views.home, name="pairing-home"),
    path("pairing/classify/<int:case_id>/", views.classify, name="pairing-classify"),
    path("pairing/runs/new/", views.run_start, name="pairing-run-start"),
    path("pairing/runs/<int:pk>/", views.run_detail, name="pairing-run"),
    path("pairing/needs/<int:pk>/", views.need_detail, name="pairing-need"),
    path("pairing/needs/<int:pk>/add/", views.pairing_add, name="pairing-add"),
    path("pairing/pairs/", views.pairing_list, name="pairing-pairs"),
    path("pairing/pairs/<int:pk>/", views.pairing_detail, name="pairing-detail"),
    path("pairing/pairs/<int:pk>/act/", views.pairing_act, name="pairing-act"),
    path("pairing/pairs/<int:pk>/rate/", views.pairing_rate, name="pairing-rate"),
    path("pairing/pairs/<int:pk>/report/", views.report_add, name="pairing-report"),
    path("pairing/experts/", views.expert_list, name="pairing-experts"),
]
