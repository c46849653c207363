from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "bole.challenges"
    label = "challenges"
