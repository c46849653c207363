from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "bole.evaluation"
    label = "evaluation"
