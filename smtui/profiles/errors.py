"""The errors of :mod:`smtui.profiles`: a profile that cannot be used, stored or imported.

They derive from :class:`smtui.api.errors.SmError`, so one ``except SmError`` still catches every
smtui failure; they live here because only profiles raise them (``smtui.api`` knows no profiles).
"""

from __future__ import annotations

from smtui.api.errors import SmError


class ProfileError(SmError):
    """A connection profile is missing, invalid, or could not be stored."""


class CredentialStoreError(ProfileError):
    """The keyring (or its file fallback) could not store or return certificate paths."""


class PublishSettingsError(ProfileError):
    """A ``.publishsettings`` file could not be read or its management certificate converted."""


__all__ = ["CredentialStoreError", "ProfileError", "PublishSettingsError"]
