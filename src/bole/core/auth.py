"""Authentication backend: Django's model backend, loading a request's user with its account in one query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Every page reads the user's scope (role, region, unit) from the Account: fetch them with the user."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = (model._default_manager.select_related("account__region", "account__unit__region")
                    .get(pk=user_id))
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
