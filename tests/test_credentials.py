"""Credentials live only in the keyring; every keyring failure becomes a clear KeyringUnavailable."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyrings.alt.file import PlaintextKeyring

from optout_bot.errors import KeyringUnavailable, UsageError
from optout_bot.store.credentials import (
    SERVICE,
    CredentialSource,
    delete_credentials,
    load_credentials,
    read_password_stdin,
    save_credentials,
    stored_email,
)
from optout_bot.store.state import SessionStore
from tests.memkeyring import MemoryKeyring

PASSWORD = "correct horse battery staple"


class RaisingKeyring(KeyringBackend):
    """Raises the given keyring error on every call, with a message that echoes the value."""

    priority = -1  # never chosen on its own (docs/evidence/tooling.md §5)

    def __init__(self, error: type[keyring.errors.KeyringError]) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error("backend says no")

    def set_password(self, service: str, username: str, password: str) -> None:
        # A careless backend that echoes the value: our message must still not contain it.
        raise self.error(f"cannot store {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise self.error("backend says no")


def test_round_trip_uses_one_service_and_distinct_usernames(memory_keyring: MemoryKeyring) -> None:
    save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    creds = load_credentials("linkedin", "work")
    assert creds is not None
    assert creds.email == "me@example.com"
    assert creds.password.get_secret_value() == PASSWORD
    assert creds.source is CredentialSource.KEYRING
    assert set(memory_keyring.store) == {
        (SERVICE, "email:linkedin:work"),
        (SERVICE, "password:linkedin:work"),
    }
    assert stored_email("linkedin", "work") == "me@example.com"


def test_repr_and_str_never_show_the_password() -> None:
    save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    creds = load_credentials("linkedin", "work")
    assert creds is not None
    assert PASSWORD not in repr(creds)
    assert PASSWORD not in str(creds)
    assert "me@example.com" in repr(creds)


def test_nothing_stored_loads_as_none() -> None:
    assert load_credentials("linkedin", "work") is None
    assert stored_email("linkedin", "work") is None


def test_an_email_without_a_password_is_not_credentials(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.store[(SERVICE, "email:linkedin:work")] = "me@example.com"
    assert load_credentials("linkedin", "work") is None
    assert stored_email("linkedin", "work") == "me@example.com"


def test_accounts_and_sites_do_not_see_each_other() -> None:
    save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    assert load_credentials("linkedin", "home") is None
    assert load_credentials("othersite", "work") is None


def test_delete_removes_credentials_and_the_session_key(memory_keyring: MemoryKeyring) -> None:
    save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    save_credentials("linkedin", "home", "other@example.com", "pw2")
    store = SessionStore("linkedin", "work")
    store.save({"cookies": [], "origins": []})
    assert (SERVICE, "state-key:linkedin:work") in memory_keyring.store

    assert delete_credentials("linkedin", "work") is True
    assert load_credentials("linkedin", "work") is None
    assert store.delete() is True  # the file is the session store's, deleted beside it at logout
    assert set(memory_keyring.store) == {
        (SERVICE, "email:linkedin:home"),
        (SERVICE, "password:linkedin:home"),
    }
    assert delete_credentials("linkedin", "work") is False


def test_empty_email_or_password_is_a_usage_error(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(UsageError, match="password is empty"):
        save_credentials("linkedin", "work", "me@example.com", "")
    with pytest.raises(UsageError, match="e-mail address is empty"):
        save_credentials("linkedin", "work", "  ", PASSWORD)
    assert memory_keyring.store == {}


@pytest.mark.parametrize(("site", "account"), [("linkedin", "a:b"), ("Linked In", "work"), ("a:b", "work")])
def test_names_that_would_break_the_username_layout_are_refused(site: str, account: str) -> None:
    with pytest.raises(UsageError, match="invalid (site|account) name"):
        save_credentials(site, account, "me@example.com", PASSWORD)


def test_no_keyring_backend_is_named_and_nothing_is_written(isolated_home: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable) as info:
        save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    message = str(info.value)
    assert "keyring.backends.fail.Keyring" in message
    assert "NoKeyringError" in message
    assert "\n" not in message
    assert "dbus-run-session" in info.value.remedy
    # No plain-text fallback anywhere under the (temporary) home directory.
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    with pytest.raises(KeyringUnavailable, match="NoKeyringError"):
        load_credentials("linkedin", "work")


def test_locked_keyring_says_so_and_never_echoes_the_secret() -> None:
    keyring.set_keyring(RaisingKeyring(keyring.errors.KeyringLocked))
    with pytest.raises(KeyringUnavailable) as info:
        save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    assert "locked (KeyringLocked)" in str(info.value)
    assert "RaisingKeyring" in str(info.value)
    assert PASSWORD not in str(info.value)
    assert "unlock" in info.value.remedy
    assert info.value.__cause__ is None  # the original (which holds the value) is not chained


def test_init_error_is_distinguished() -> None:
    keyring.set_keyring(RaisingKeyring(keyring.errors.InitError))
    with pytest.raises(KeyringUnavailable, match=r"could not be initialised \(InitError\): backend says no"):
        stored_email("linkedin", "work")


def test_delete_failure_after_a_successful_read_is_not_ignored(memory_keyring: MemoryKeyring) -> None:
    save_credentials("linkedin", "work", "me@example.com", PASSWORD)

    def refuse(service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("access denied")

    memory_keyring.delete_password = refuse  # type: ignore[method-assign]
    with pytest.raises(KeyringUnavailable, match="PasswordDeleteError"):
        delete_credentials("linkedin", "work")


def test_a_keyring_that_forgets_is_refused() -> None:
    keyring.set_keyring(null.Keyring())
    with pytest.raises(KeyringUnavailable, match="did not keep the value"):
        save_credentials("linkedin", "work", "me@example.com", PASSWORD)


def test_plaintext_keyring_picked_by_default_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    with pytest.raises(KeyringUnavailable, match="plain-text backend keyrings.alt.file.PlaintextKeyring"):
        save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    assert not Path(backend.file_path).exists()


def test_plaintext_keyring_chosen_explicitly_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    keyring.set_keyring(PlaintextKeyring())
    save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    creds = load_credentials("linkedin", "work")
    assert creds is not None
    assert creds.password.get_secret_value() == PASSWORD


def test_plaintext_keyring_chosen_in_keyringrc_is_allowed(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    rc = isolated_home / "config" / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir(parents=True)
    rc.write_text("[backend]\ndefault-keyring = keyrings.alt.file.PlaintextKeyring\n", encoding="utf-8")
    keyring.set_keyring(PlaintextKeyring())
    save_credentials("linkedin", "work", "me@example.com", PASSWORD)
    assert stored_email("linkedin", "work") == "me@example.com"


def test_a_backend_that_cannot_be_loaded_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> KeyringBackend:
        raise ModuleNotFoundError("No module named 'nope'")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    with pytest.raises(KeyringUnavailable, match="cannot be loaded.*PYTHON_KEYRING_BACKEND"):
        load_credentials("linkedin", "work")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("s3cret\n", "s3cret"),
        ("s3cret\r\n", "s3cret"),
        ("s3cret", "s3cret"),
        (" spaced out \n", " spaced out "),
        ("first\nsecond\n", "first"),
    ],
)
def test_read_password_stdin_strips_only_the_line_ending(text: str, expected: str) -> None:
    assert read_password_stdin(io.StringIO(text)) == expected


@pytest.mark.parametrize("text", ["", "\n", "\r\n"])
def test_read_password_stdin_refuses_an_empty_password(text: str) -> None:
    with pytest.raises(UsageError, match="no password on standard input"):
        read_password_stdin(io.StringIO(text))
