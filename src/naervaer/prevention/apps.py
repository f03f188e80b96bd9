from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    """Work-environment surveys, HSE action plans, deviations, safety rounds, conversations, AMU."""

    name = "naervaer.prevention"
    label = "prevention"
    verbose_name = _("Prevention")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from naervaer.insight import process_tables, unit_panels
        from naervaer.prevention import menu, process, unit_panel

        menu.register_entries()
        unit_panels.register(unit_panel.panel)
        process_tables.register(process.process_table)
