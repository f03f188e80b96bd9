"""A small municipality with HR logged in, for the upload pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.prevention.conftest import build_world


@pytest.fixture
def hr(client):
    world = build_world()
    client.force_login(world["users"]["hr"])
    return world


def upload(client, url: str, name: str, text: str, **fields):
    """POST one file (and any other form fields) as a browser would."""
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode()), **fields})
