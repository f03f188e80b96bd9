from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Absence statistics pages, targets, cost, references, exports and intervention evaluation."""

    name = "naervaer.insight"
    label = "insight"
    verbose_name = _("Insight")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from naervaer.insight import data_version
        from naervaer.org.access import Action
        from naervaer.web import navigation

        data_version.connect_signals()
        navigation.register(
            "insight:index", _("Statistics"), visible=Action.VIEW_STATISTICS, order=40
        )
        navigation.register(
            "insight:overview",
            _("Organisation overview"),
            visible=Action.OVERVIEW,
            order=41,
        )
        navigation.register(
            "insight:attention",
            _("Attention list"),
            visible=Action.ATTENTION,
            order=42,
        )
        navigation.register(
            "insight:evaluation",
            _("Evaluation"),
            visible=Action.OVERVIEW,
            order=43,
        )
