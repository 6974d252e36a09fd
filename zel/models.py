"""The core's own rows: idempotency keys of create forms (issue 17, item 5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionKey(models.Model):
    """One create form submitted once: the key rendered into the form and what the submission made.

    Written in the same transaction as the object it made, under a unique (user, key) constraint, so
    that 20 identical submissions from a phone that lost its network make one visit, and the 19
    others are answered with the first one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    scope = models.CharField(max_length=60)  # the form's URL name: a key is not valid for another form
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("envoi de formulaire")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="zel_submission_key_unique")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
