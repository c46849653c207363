from django.urls import path

from . import views

urlpatterns = [path("tree/", views.tree, name="tree"), path("counties/", views.counties, name="counties"),
               path("pick/<slug:source>/", views.pick, name="pick")]
for name in views.PAGES:
    urlpatterns += [
        path(f"{name}/", views.page_view("list", name), name=f"{name}-list"),
        path(f"{name}/new/", views.page_view("create", name), name=f"{name}-create"),
        path(f"{name}/export.xlsx", views.page_view("export", name), name=f"{name}-export"),
        path(f"{name}/template.xlsx", views.page_view("template", name), name=f"{name}-template"),
        path(f"{name}/import/", views.page_view("import", name), name=f"{name}-import"),
        path(f"{name}/<int:pk>/", views.page_view("detail", name), name=f"{name}-detail"),
        path(f"{name}/<int:pk>/edit/", views.page_view("edit", name), name=f"{name}-edit"),
        path(f"{name}/<int:pk>/active/", views.page_view("set_active", name), name=f"{name}-active"),
    ]
