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
