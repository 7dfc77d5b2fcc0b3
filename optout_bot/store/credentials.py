"""Sign-in credentials and small secrets, kept only in the OS keyring.

Layout: one service, ``optout-bot``, with a distinct username per secret, because Windows
Credential Manager renames entries once a second username shares a service (docs/evidence/tooling.md §5)::

    email:<site>:<account>       the sign-in e-mail address
    password:<site>:<account>    the password
    state-key:<site>:<account>   the Fernet key of the saved session (see ``state.py``)

Every keyring call goes through :func:`secret_get`, :func:`secret_set` and :func:`secret_delete`,
which turn any keyring failure into :class:`~optout_bot.errors.KeyringUnavailable` with a one-line
message naming the backend and the problem. There is no plain-text fallback: a keyring that
cannot keep a secret stops the run. A ``keyrings.alt`` plain-text backend that keyring picked on
its own (it does, silently, wherever no Secret Service runs) is refused too; choosing it
explicitly with ``PYTHON_KEYRING_BACKEND`` or ``keyringrc.cfg`` is allowed (tests do that).

Logs may say *which source* answered (:class:`CredentialSource`), never a value.
"""

from __future__ import annotations

import configparser
import enum
import logging
import os
import re
from dataclasses import dataclass, field
from typing import TextIO

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.util import platform_
from pydantic import SecretStr

from optout_bot.errors import KeyringUnavailable, UsageError
from optout_bot.i18n import _
from optout_bot.store.paths import check_account

__all__ = [
    "SERVICE",
    "check_site",
    "CredentialSource",
    "Credentials",
    "delete_credentials",
    "keyring_username",
    "load_credentials",
    "read_password_stdin",
    "save_credentials",
    "secret_delete",
    "secret_get",
    "secret_set",
    "stored_email",
]

log = logging.getLogger(__name__)

SERVICE = "optout-bot"
KINDS = ("email", "password", "state-key")
SITE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")

# Backends that store secrets in clear text. Refused unless chosen explicitly (docs/evidence/tooling.md §5).
_PLAINTEXT_BACKENDS = frozenset({"keyrings.alt.file.PlaintextKeyring"})

_REMEDY_DAMAGED = (
    "the keyring's file or service is damaged: repair or move aside the keyring file "
    "(for keyrings.alt/cryptfile under ~/.local/share/python_keyring), then run 'optout-bot login' again"
)
_REMEDY_LOCKED = (
    "unlock your keyring (log in to the desktop session, or on a server run "
    "'gnome-keyring-daemon --unlock' inside 'dbus-run-session'), then try again"
)


class CredentialSource(enum.StrEnum):
    """Where credentials came from. Safe to log; the values never are."""

    KEYRING = "keyring"
    STDIN = "stdin"
    PROMPT = "prompt"


@dataclass(frozen=True)
class Credentials:
    """An e-mail address and password for one account on one site."""

    email: str
    password: SecretStr
    source: CredentialSource = field(default=CredentialSource.KEYRING)

    def __repr__(self) -> str:
        # Spelled out so a future field or a dataclass change can never print the password.
        return f"Credentials(email={self.email!r}, password=SecretStr('**********'), source={self.source!s})"


def keyring_username(kind: str, site: str, account: str) -> str:
    """The keyring username for one secret, e.g. ``password:linkedin:default``."""
    if kind not in KINDS:
        raise ValueError(f"unknown secret kind {kind!r}")
    return f"{kind}:{check_site(site)}:{check_account(account)}"


def check_site(site: str) -> str:
    """Site names become keyring usernames and file names: lower-case letters, digits, '-', '_'."""
    if not SITE_RE.match(site):
        raise UsageError(
            _("invalid site name {site!r}").format(site=site),
            remedy=_("use a site name from 'optout-bot flows list'"),
        )
    return site


# --- The keyring wrapper ---------------------------------------------------------------------------


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _explicitly_chosen(name: str) -> bool:
    """True when the person named this backend in PYTHON_KEYRING_BACKEND or keyringrc.cfg."""
    if os.environ.get("PYTHON_KEYRING_BACKEND", "").strip() == name:
        return True
    config = configparser.RawConfigParser()
    try:
        config.read(platform_.config_root() / "keyringrc.cfg", encoding="utf-8")
        return config.get("backend", "default-keyring", fallback="").strip() == name
    except (OSError, configparser.Error):
        return False


def _backend() -> KeyringBackend:
    """The active backend, or KeyringUnavailable when it cannot be loaded or is silently plain text."""
    try:
        backend = keyring.get_keyring()
    except (keyring.errors.KeyringError, ImportError, ValueError, AttributeError, RuntimeError) as exc:
        # A bad PYTHON_KEYRING_BACKEND or keyringrc.cfg fails here, before any keyring call.
        raise KeyringUnavailable(
            _(
                "keyring backend cannot be loaded ({kind}); check PYTHON_KEYRING_BACKEND and keyringrc.cfg"
            ).format(kind=type(exc).__name__)
        ) from None
    # A chainer stores into its first backend: that is the one that must not be plain text.
    first = (getattr(backend, "backends", None) or [backend])[0]
    name = _backend_name(first)
    if name in _PLAINTEXT_BACKENDS and not _explicitly_chosen(name):
        raise KeyringUnavailable(
            _(
                "keyring picked the plain-text backend {name} by default; refusing to store secrets in clear text"
            ).format(name=name)
        )
    return backend


def _unavailable(backend: object, exc: Exception, secret: str | None) -> KeyringUnavailable:
    """A one-line, secret-free KeyringUnavailable for ``exc`` raised by ``backend``."""
    if isinstance(exc, keyring.errors.NoKeyringError):
        problem, remedy = "no usable keyring backend (NoKeyringError)", None
    elif isinstance(exc, keyring.errors.KeyringLocked):
        problem, remedy = "the keyring is locked (KeyringLocked)", _REMEDY_LOCKED
    elif isinstance(exc, keyring.errors.InitError):
        problem, remedy = "the keyring could not be initialised (InitError)", None
    elif isinstance(exc, keyring.errors.KeyringError):
        problem, remedy = f"the keyring call failed ({type(exc).__name__})", None
    else:  # a backend's own bug or damaged storage (a corrupt keyring file raises UnicodeDecodeError)
        problem, remedy = f"the keyring's storage could not be read ({type(exc).__name__})", _REMEDY_DAMAGED
    # Only the keyring's own errors are quoted: another exception's text may echo what storage held.
    detail = ""
    if isinstance(exc, keyring.errors.KeyringError):
        detail = (str(exc).strip().splitlines() or [""])[0][:160]
    if secret and secret in detail:  # belt and braces: backends do not echo values, but never risk it
        detail = detail.replace(secret, "***")
    message = f"keyring backend {_backend_name(backend)}: {problem}"
    if detail:
        message += f": {detail}"
    return KeyringUnavailable(message, remedy=remedy)


def secret_get(username: str) -> str | None:
    """Read one secret of service ``optout-bot``; None when nothing is stored."""
    backend = _backend()
    try:
        return backend.get_password(SERVICE, username)
    except Exception as exc:  # noqa: BLE001 - any backend failure is a set-up problem, never a crash
        raise _unavailable(backend, exc, None) from None


def secret_set(username: str, value: str) -> None:
    """Store one secret, then read it back: a backend that silently drops values is an error."""
    backend = _backend()
    try:
        backend.set_password(SERVICE, username, value)
        kept = backend.get_password(SERVICE, username)
    except Exception as exc:  # noqa: BLE001 - any backend failure is a set-up problem, never a crash
        raise _unavailable(backend, exc, value) from None
    if kept != value:
        # keyring.backends.null.Keyring accepts and forgets: a session key lost this way would
        # leave an encrypted file nobody can open.
        raise KeyringUnavailable(
            _("keyring backend {backend} did not keep the value it was given").format(
                backend=_backend_name(backend)
            )
        )


def secret_delete(username: str) -> bool:
    """Delete one secret; True if there was one."""
    backend = _backend()
    try:
        if backend.get_password(SERVICE, username) is None:
            return False
        backend.delete_password(SERVICE, username)
    except Exception as exc:  # noqa: BLE001 - any backend failure is a set-up problem, never a crash
        # PasswordDeleteError after a successful read is a real failure, not "not found".
        raise _unavailable(backend, exc, None) from None
    return True


# --- Credentials ----------------------------------------------------------------------------------


def save_credentials(site: str, account: str, email: str, password: str) -> None:
    """Store the e-mail address and password for ``account`` on ``site`` in the keyring."""
    if not email.strip():
        raise UsageError(_("the e-mail address is empty"))
    if not password:
        raise UsageError(_("the password is empty"))
    # Password first: a half-saved pair then has no e-mail, and load_credentials treats it as absent.
    secret_set(keyring_username("password", site, account), password)
    secret_set(keyring_username("email", site, account), email.strip())
    log.info("saved credentials for account %r on %s to the keyring", account, site)


def load_credentials(site: str, account: str) -> Credentials | None:
    """The stored credentials, or None unless both e-mail address and password are stored."""
    email = secret_get(keyring_username("email", site, account))
    password = secret_get(keyring_username("password", site, account))
    if email is None or password is None:
        log.debug("no complete credentials for account %r on %s in the keyring", account, site)
        return None
    log.debug("credentials for account %r on %s from the %s", account, site, CredentialSource.KEYRING)
    return Credentials(email=email, password=SecretStr(password), source=CredentialSource.KEYRING)


def stored_email(site: str, account: str) -> str | None:
    """The stored e-mail address alone (for status output), or None."""
    return secret_get(keyring_username("email", site, account))


def delete_credentials(site: str, account: str) -> bool:
    """Forget the account's secrets on the site: e-mail, password and the saved session's key.

    The session file itself is ``state.SessionStore.delete``'s (logout calls both, under the account's
    lock); without its key it could never be opened again, so the two always go together. Returns
    True if anything was deleted.
    """
    deleted = False
    for kind in KINDS:
        deleted |= secret_delete(keyring_username(kind, site, account))
    if deleted:
        log.info("deleted the stored credentials of account %r on %s", account, site)
    return deleted


def read_password_stdin(stream: TextIO) -> str:
    """Read a password from the first line of ``stream`` (for ``--password-stdin``).

    Only the line ending is removed: leading and trailing spaces may be part of a password.
    """
    line = stream.readline()
    if line.endswith("\n"):
        line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
    if not line:
        raise UsageError(
            _("no password on standard input"),
            remedy=_(
                "pipe the password as the first line, e.g. 'pass show linkedin | optout-bot login --password-stdin'"
            ),
        )
    return line
