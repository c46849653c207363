from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bole.cases"
    label = "cases"
