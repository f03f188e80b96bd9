from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Absence statistics pages, targets, cost, references, exports and intervention evaluation."""

    name = "naervaer.insight"
    label = "insight"
    verbose_name = _("Insight")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from naervaer.insight import data_version, selectors
        from naervaer.web import navigation

        data_version.connect_signals()
        navigation.register(
            "insight:index", _("Statistics"), visible=selectors.can_use_insight, order=40
        )
        navigation.register(
            "insight:overview",
            _("Organisation overview"),
            visible=lambda user: selectors.has_role(user, selectors.OVERVIEW_ROLES),
            order=41,
        )
        navigation.register(
            "insight:attention",
            _("Attention list"),
            visible=lambda user: selectors.has_role(user, selectors.ATTENTION_ROLES),
            order=42,
        )
        navigation.register(
            "insight:evaluation",
            _("Evaluation"),
            visible=lambda user: selectors.has_role(user, selectors.OVERVIEW_ROLES),
            order=43,
        )
