from django.urls import path

from . import views

urlpatterns = [
    path("community/", views.branch_list, name="community-branches"),
    path("community/<int:pk>/", views.branch_detail, name="community-branch"),
    path("community/<int:pk>/qr/", views.qr_sheet, name="community-qr-sheet"),
    path("community/stairwells/<int:pk>/adopt/", views.adopt, name="community-adopt"),
    path("community/committees/<int:pk>/issue/", views.issue, name="community-issue"),
    path("q/<str:token>/", views.resident_form, name="community-qr"),
    path("q/<str:token>/qr.svg", views.qr_svg, name="community-qr-svg"),
]
