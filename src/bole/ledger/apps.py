from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "bole.ledger"
    label = "ledger"
