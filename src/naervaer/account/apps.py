from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountConfig(AppConfig):
    """Logins and sessions: lockout after failed logins, the second factor, one's own password."""

    name = "naervaer.account"
    label = "account"
    verbose_name = _("Login and security")

    def ready(self) -> None:
        from naervaer.account import middleware  # noqa: F401 — connects the session clock to logins
        from naervaer.org.access import Action
        from naervaer.web import navigation

        navigation.register(
            "account:locked", _("Locked logins"), visible=Action.UNLOCK_LOGINS, order=90
        )
