from django.apps import AppConfig


class WebConfig(AppConfig):
    """The project shell: base layout, login, start page, static assets."""

    name = "naervaer.web"
    label = "web"
