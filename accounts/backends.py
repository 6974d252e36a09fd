from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from .models import User


class ZelModelBackend(ModelBackend):
    """Loads the user with organisation, roles and territories so permission checks cost no query."""

    def get_user(self, user_id):
        user = (
            User.objects.select_related("organisation")
            .prefetch_related("roles", "territories")
            .filter(pk=user_id)
            .first()
        )
        return user if user and self.user_can_authenticate(user) else None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped for programmatic calls that carry no request.

    Only a login form (an HTTP request) can be brute-forced; `authenticate()` without a request
    comes from code (management commands, `Client.login()` in tests) and is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
