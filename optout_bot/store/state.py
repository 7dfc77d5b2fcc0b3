"""The saved browser session (Playwright ``storage_state``), encrypted at rest.

A session file holds the site's login cookies (LinkedIn's HttpOnly ``li_at`` among them): whoever
has it is signed in as the person. So it never touches disk in clear text. ``save`` serialises
the ``storage_state`` dict in memory, encrypts it with Fernet (AES-128-CBC + HMAC-SHA256) and
writes the token atomically with mode 0600 into ``<state_dir>/accounts/<account>/`` (0700) as
``<site>.session``. The 44-character key lives in the OS keyring as ``state-key:<site>:<account>``
(see ``credentials.py``); it is created on the first save. The session itself is far too big
for the keyring (Windows rejects values over 2560 bytes), hence file plus key.

Threat model. This protects the session in backups, in a copied or synced home directory, on a
disk read offline and against a stray ``git add``: the file alone is useless. It does *not*
protect against another process of the same user while the keyring is unlocked: that process
can read the key just as we do (on macOS any script run by the same Python can, silently).
Nothing here defends against malware running as the user.

The dict also carries the user agent the session was made with (``identity.USER_AGENT_KEY``), so
every run presents the same browser as the sign-in; the engine takes it out before Playwright sees it.

A file that cannot be opened (no key, wrong key, altered bytes, not JSON) is never deleted: it
is moved aside to ``<site>.session.corrupt-<UTC timestamp>``, a warning is logged, and ``load``
returns None so the caller signs in again. A keyring that is unavailable is a different matter:
``KeyringUnavailable`` propagates and the file stays where it is.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from optout_bot.errors import StateDirError
from optout_bot.i18n import _
from optout_bot.store.credentials import check_site, keyring_username, secret_get, secret_set
from optout_bot.store.paths import account_dir, check_account, state_dir, write_private

__all__ = ["SessionStore"]

log = logging.getLogger(__name__)


class _Unreadable(Exception):
    """Internal: why a session file could not be opened (a reason, never content)."""


class SessionStore:
    """The encrypted saved session of one account on one site."""

    def __init__(self, site: str, account: str) -> None:
        """Name the session; nothing is read, created or asked of the keyring yet."""
        self.site = check_site(site)
        self.account = check_account(account)
        self.path: Path = state_dir() / "accounts" / self.account / f"{self.site}.session"
        self._key_name = keyring_username("state-key", self.site, self.account)

    def __repr__(self) -> str:
        return f"SessionStore(site={self.site!r}, account={self.account!r})"

    # --- reading ----------------------------------------------------------------------------------

    def _read_token(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateDirError(
                _("cannot read {path}: {reason}").format(path=self.path, reason=exc.strerror)
            ) from None

    def _decrypt(self, token: bytes) -> dict[str, Any]:
        """The storage_state in ``token``, or _Unreadable with a reason."""
        key = secret_get(self._key_name)  # KeyringUnavailable propagates: the file is not at fault
        if key is None:
            raise _Unreadable(_("its key is missing from the keyring"))
        try:
            fernet = Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise _Unreadable(_("its key in the keyring is malformed")) from None
        try:
            clear = fernet.decrypt(token)
        except InvalidToken:
            raise _Unreadable(_("the key does not match or the file was altered")) from None
        try:
            state = json.loads(clear)
        except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
            raise _Unreadable(_("its content is not JSON")) from None
        if not isinstance(state, dict) or not isinstance(state.get("cookies", []), list):
            raise _Unreadable(_("its content is not a browser storage state"))
        return state

    def load(self) -> dict[str, Any] | None:
        """The decrypted ``storage_state`` dict, or None when there is none or it cannot be opened.

        An unopenable file is moved aside (see the module docstring) and never deleted.
        """
        token = self._read_token()
        if token is None:
            return None
        try:
            return self._decrypt(token)
        except _Unreadable as why:
            moved = self._move_aside()
            log.warning(
                "%s",
                _(
                    "The saved session of account '{account}' on {site} could not be opened ({why}); "
                    "moved it to {moved}; sign in again."
                ).format(account=self.account, site=self.site, why=why, moved=moved),
                extra={"plain": True},  # a person must know why they are asked to sign in again
            )
            return None

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():  # two failures in one second must not overwrite each other
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
            n += 1
        try:
            self.path.rename(target)  # a rename keeps the bytes and the 0600 mode
        except OSError as exc:
            raise StateDirError(
                _("cannot move {path} aside: {reason}").format(path=self.path, reason=exc.strerror)
            ) from None
        return target

    # --- writing ----------------------------------------------------------------------------------

    def _key(self) -> bytes:
        """The account's session key, created and stored in the keyring on first use."""
        key = secret_get(self._key_name)
        if key is not None:
            try:
                Fernet(key.encode("ascii"))
                return key.encode("ascii")
            except (ValueError, UnicodeEncodeError):
                log.warning("replacing a malformed session key for account %r on %s", self.account, self.site)
        new = Fernet.generate_key()
        secret_set(self._key_name, new.decode("ascii"))
        return new

    def save(self, storage_state: dict[str, Any]) -> None:
        """Encrypt ``storage_state`` in memory and write it atomically, 0600, in a 0700 folder."""
        clear = json.dumps(storage_state, separators=(",", ":")).encode("utf-8")
        token = Fernet(self._key()).encrypt(clear)
        account_dir(self.account)  # 0700 before the first byte lands in it
        write_private(self.path, token)
        log.info("saved the session of account %r on %s (encrypted)", self.account, self.site)

    def delete(self) -> bool:
        """Remove the session file and the unreadable copies set aside from it (the key stays, for the
        next save): a copy may still hold a live session cookie. True if there was anything."""
        removed = False
        for path in [self.path, *self.path.parent.glob(f"{self.path.name}.corrupt-*")]:
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StateDirError(
                    _("cannot delete {path}: {reason}").format(path=path, reason=exc.strerror)
                ) from None
            removed = True
        return removed
