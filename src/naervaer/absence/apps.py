from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsenceConfig(AppConfig):
    """Sick notes, self-certifications, holidays and leave, imports."""

    name = "naervaer.absence"
    label = "absence"
    verbose_name = _("Absence")
    default_auto_field = "django.db.models.BigAutoField"
