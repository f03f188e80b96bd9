from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The project shell: base layout, login, start page, static assets."""

    name = "naervaer.web"
    label = "web"

    def ready(self) -> None:
        from naervaer.org.access import Action
        from naervaer.web import navigation

        navigation.register("admin:index", _("Administration"), visible=Action.ADMINISTER, order=95)


class NaervaerAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site that asks the access layer (``org.admin_site``)."""

    default = False  # named in INSTALLED_APPS; WebConfig stays this module's default
    default_site = "naervaer.org.admin_site.NaervaerAdminSite"
