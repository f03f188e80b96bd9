"""Files uploaded through the web pages: size and row limits, checked before anything is parsed.

A million-row reference file once ran for ten minutes and made logins fail; the limits
(``NAERVAER_UPLOAD_MAX_BYTES``, ``NAERVAER_UPLOAD_MAX_ROWS``, README) turn such a file into a form
error before it is read into memory as rows, so nothing is written and nobody waits.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


class LimitedFileField(forms.FileField):
    """A file field that refuses files over the upload size limit with a clear message."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        limit = settings.NAERVAER_UPLOAD_MAX_BYTES
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; uploads over %(limit)s MB are not accepted. "
                    "Split it into smaller files."
                )
                % {"size": f"{upload.size / 1e6:.1f}", "limit": f"{limit / 1e6:g}"}
            )
        return upload


def row_limit_problem(text: str, filename: str) -> str | None:
    """The message for an uploaded text file with more data rows than the limit, else None."""
    limit = settings.NAERVAER_UPLOAD_MAX_ROWS
    rows = text.count("\n") + (0 if text.endswith("\n") else 1) - 1  # less the header
    if rows <= limit:
        return None
    return _(
        "%(file)s has %(rows)s rows; at most %(limit)s are accepted at a time. "
        "Split it into smaller files."
    ) % {"file": filename, "rows": rows, "limit": limit}
