from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "bole.awards"
    label = "awards"
