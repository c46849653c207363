from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "bole.assessment"
    label = "assessment"
