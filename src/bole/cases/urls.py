from django.urls import path

from . import desk_views, views

urlpatterns = [
    path("cases/", views.case_list, name="cases-list"),
    path("cases/stats/", views.stats, name="cases-stats"),
    path("cases/desks/", views.desk_list, name="cases-desks"),
    path("cases/desks/new/", desk_views.desk_edit, name="cases-desk-new"),
    path("cases/desks/<int:pk>/edit/", desk_views.desk_edit, name="cases-desk-edit"),
    path("cases/calendar/", views.calendar_page, name="cases-calendar"),
    path("cases/calendar/import/", views.calendar_import, name="cases-calendar-import"),
    path("cases/calendar/confirm/", views.calendar_year_confirm, name="cases-calendar-confirm"),
    path("cases/calendar/<int:pk>/remove/", views.calendar_entry_remove, name="cases-calendar-remove"),
    path("cases/<int:pk>/", views.case_detail, name="cases-detail"),
    path("cases/<int:pk>/act/", views.case_act, name="cases-act"),
    path("cases/<int:pk>/meeting/", views.meeting_new, name="cases-meeting"),
    path("cases/tasks/<int:pk>/", views.task_act, name="cases-task"),
    path("cases/attachments/<int:pk>/", views.attachment_download, name="cases-attachment"),
    path("portal/", views.portal, name="cases-portal"),
    path("portal/new/<slug:code>/", views.portal_submit, name="cases-submit"),
    path("f/<str:token>/", views.follow, name="cases-follow"),
]
