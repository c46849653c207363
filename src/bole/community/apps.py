from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "bole.community"
    label = "community"
