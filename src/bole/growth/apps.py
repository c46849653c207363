from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "bole.growth"
    label = "growth"
