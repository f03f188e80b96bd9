from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Follow-up cases, milestones, meetings, plans, adaptations, reminders and calendar feeds."""

    name = "naervaer.followup"
    label = "followup"
    verbose_name = _("Follow-up")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from naervaer.followup import menu

        menu.register_entries()
