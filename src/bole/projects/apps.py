from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "bole.projects"
    label = "projects"
