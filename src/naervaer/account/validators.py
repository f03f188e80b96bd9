"""Password validators with messages the Norwegian pages can show in Norwegian."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its own message: Django 5.2 reworded the error and its Norwegian catalogue
    has no translation of the new wording yet, so the page would say it in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: it must have at least %(min_length)d character.",
            "The password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
