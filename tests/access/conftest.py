"""The access tests use the follow-up tests' small organisation (one user per role)."""

from tests.followup.conftest import _english, _fast_passwords, world  # noqa: F401
