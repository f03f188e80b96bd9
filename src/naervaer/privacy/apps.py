from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Retention (deleting what is no longer needed) and innsyn (the employee's own data)."""

    name = "naervaer.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from naervaer.privacy import menu

        menu.register_entries()
