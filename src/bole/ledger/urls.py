from django.urls import path

from . import views

urlpatterns = [
    path("ledger/", views.entry_list, name="ledger-list"),
    path("ledger/new/", views.entry_post, name="ledger-post"),
    path("ledger/<int:pk>/", views.entry_detail, name="ledger-entry"),
    path("ledger/<int:pk>/decide/", views.entry_decide, name="ledger-decide"),
    path("ledger/<int:pk>/reverse/", views.entry_reverse, name="ledger-reverse"),
]
