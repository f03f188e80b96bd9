"""The follow-up tests' small organisation (see tests/followup/conftest.py), for retention tests."""

from tests.followup.conftest import _english, _fast_passwords, world  # noqa: F401
