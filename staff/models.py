from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffSession(models.Model):
    """A logged-in editor's session, kept on the server so that it can be ended.

    The session itself stays a signed cookie (voters never get a server-side session); a staff
    cookie also carries this row's token, and is only accepted while the row exists and was used
    within the idle timeout. Logging out, or deleting the row in the admin, ends it everywhere.
    """

    token = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_sessions",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("ingelogd op"), auto_now_add=True)
    last_seen = models.DateTimeField(_("laatst actief"))
    address = models.GenericIPAddressField(_("adres"), null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("sessie van de redactie")
        verbose_name_plural = _("sessies van de redactie")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
