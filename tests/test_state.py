"""The saved session is encrypted at rest; an unopenable file is moved aside, never lost or fatal."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path
from typing import Any

import keyring
import pytest
from cryptography.fernet import Fernet
from keyring.backends import fail
from playwright.sync_api import Browser

from optout_bot.errors import KeyringUnavailable
from optout_bot.store.credentials import SERVICE
from optout_bot.store.state import SessionStore
from tests.memkeyring import MemoryKeyring

KEY = (SERVICE, "state-key:linkedin:work")
COOKIE_VALUE = "AQEDAR-fake-li-at-token-0123456789"


def _state() -> dict[str, Any]:
    return {
        "cookies": [
            {
                "name": "li_at",
                "value": COOKIE_VALUE,
                "domain": ".www.linkedin.com",
                "path": "/",
                "expires": -1,
                "httpOnly": True,
                "secure": True,
                "sameSite": "None",
            },
            {"name": "JSESSIONID", "value": "ajax:42", "domain": ".www.linkedin.com", "path": "/"},
        ],
        "origins": [{"origin": "https://www.linkedin.com", "localStorage": [{"name": "k", "value": "v"}]}],
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip(memory_keyring: MemoryKeyring) -> None:
    store = SessionStore("linkedin", "work")
    assert store.load() is None
    store.save(_state())
    assert store.load() == _state()
    assert store.path.name == "linkedin.session"
    assert store.path.parent.name == "work"
    Fernet(memory_keyring.store[KEY].encode())  # a valid Fernet key was created on first save


def test_file_is_0600_in_a_0700_folder_and_no_temp_file_is_left() -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    assert _mode(store.path) == 0o600
    assert _mode(store.path.parent) == 0o700
    assert [p.name for p in store.path.parent.iterdir()] == ["linkedin.session"]


def test_nothing_of_the_session_is_in_clear_text_on_disk() -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    data = store.path.read_bytes()
    for clear in (COOKIE_VALUE, "li_at", "JSESSIONID", "linkedin.com", "cookies", "localStorage"):
        assert clear.encode() not in data, clear


def test_the_key_is_reused_by_later_saves(memory_keyring: MemoryKeyring) -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    key = memory_keyring.store[KEY]
    store.save({"cookies": [], "origins": []})
    assert memory_keyring.store[KEY] == key
    assert SessionStore("linkedin", "work").load() == {"cookies": [], "origins": []}


def test_accounts_have_separate_keys_and_files(memory_keyring: MemoryKeyring) -> None:
    SessionStore("linkedin", "work").save(_state())
    SessionStore("linkedin", "home").save({"cookies": [], "origins": []})
    assert memory_keyring.store[KEY] != memory_keyring.store[(SERVICE, "state-key:linkedin:home")]
    assert SessionStore("linkedin", "work").load() == _state()


def _assert_moved_aside(store: SessionStore, original: bytes) -> None:
    assert not store.path.exists()
    aside = list(store.path.parent.glob("linkedin.session.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes() == original
    assert _mode(aside[0]) == 0o600


def test_missing_key_moves_the_file_aside(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    original = store.path.read_bytes()
    del memory_keyring.store[KEY]
    with caplog.at_level(logging.WARNING, logger="optout_bot.store.state"):
        assert store.load() is None
    _assert_moved_aside(store, original)
    assert "key is missing" in caplog.text
    assert "sign in again" in caplog.text
    assert COOKIE_VALUE not in caplog.text


def test_wrong_key_moves_the_file_aside(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    original = store.path.read_bytes()
    memory_keyring.store[KEY] = Fernet.generate_key().decode()
    with caplog.at_level(logging.WARNING, logger="optout_bot.store.state"):
        assert store.load() is None
    _assert_moved_aside(store, original)
    assert "does not match or the file was altered" in caplog.text


def test_tampered_file_moves_aside_and_a_new_save_works() -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    data = bytearray(store.path.read_bytes())
    data[60] = ord("A") if data[60] != ord("A") else ord("B")
    store.path.write_bytes(bytes(data))
    assert store.load() is None
    _assert_moved_aside(store, bytes(data))
    store.save(_state())  # the caller signs in again and saves
    assert store.load() == _state()


@pytest.mark.parametrize("clear", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"cookies": "x"}'])
def test_decryptable_garbage_moves_aside(memory_keyring: MemoryKeyring, clear: bytes) -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    token = Fernet(memory_keyring.store[KEY].encode()).encrypt(clear)
    store.path.write_bytes(token)
    assert store.load() is None
    _assert_moved_aside(store, token)


def test_malformed_key_moves_aside_and_is_replaced_on_save(memory_keyring: MemoryKeyring) -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    original = store.path.read_bytes()
    memory_keyring.store[KEY] = "not-a-fernet-key"
    assert store.load() is None
    _assert_moved_aside(store, original)
    store.save(_state())
    assert memory_keyring.store[KEY] != "not-a-fernet-key"
    assert store.load() == _state()


def test_repeated_failures_never_overwrite_an_earlier_corrupt_file(memory_keyring: MemoryKeyring) -> None:
    store = SessionStore("linkedin", "work")
    for n in range(3):
        store.path.parent.mkdir(parents=True, exist_ok=True)
        store.path.write_bytes(f"garbage {n}".encode())
        assert store.load() is None
    aside = sorted(p.read_bytes() for p in store.path.parent.glob("linkedin.session.corrupt-*"))
    assert aside == [b"garbage 0", b"garbage 1", b"garbage 2"]


def test_an_unavailable_keyring_raises_and_leaves_the_file_alone() -> None:
    store = SessionStore("linkedin", "work")
    store.save(_state())
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="keyring.backends.fail.Keyring.*NoKeyringError"):
        store.load()
    assert store.path.exists()
    assert not list(store.path.parent.glob("*.corrupt-*"))
    with pytest.raises(KeyringUnavailable):
        store.save(_state())


def test_save_without_a_keyring_writes_nothing(isolated_home: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    store = SessionStore("linkedin", "work")
    with pytest.raises(KeyringUnavailable):
        store.save(_state())
    assert not store.path.exists()
    for path in isolated_home.rglob("*"):
        assert not (path.is_file() and COOKIE_VALUE.encode() in path.read_bytes()), path


def test_delete() -> None:
    store = SessionStore("linkedin", "work")
    assert store.delete() is False
    store.save(_state())
    assert store.delete() is True
    assert not store.path.exists()
    assert store.load() is None


def test_repr_names_the_session_only() -> None:
    assert repr(SessionStore("linkedin", "work")) == "SessionStore(site='linkedin', account='work')"


def test_a_saved_browser_session_restores_the_login(browser: Browser) -> None:
    """The dict Playwright gives is the dict Playwright takes back, through encryption."""
    context = browser.new_context()
    context.add_cookies([{"name": "li_at", "value": COOKIE_VALUE, "url": "https://www.linkedin.com/"}])
    SessionStore("linkedin", "work").save(dict(context.storage_state()))
    context.close()

    state = SessionStore("linkedin", "work").load()
    assert state is not None
    restored = browser.new_context(storage_state=state)  # type: ignore[arg-type]
    try:
        cookies = restored.cookies("https://www.linkedin.com/")
        assert [(c["name"], c["value"]) for c in cookies] == [("li_at", COOKIE_VALUE)]
    finally:
        restored.close()
    assert json.dumps(state)  # plain JSON types only


def test_delete_also_removes_copies_set_aside_as_unreadable() -> None:
    """Issue 14: a `.corrupt-*` copy may still hold a live cookie; logout must not leave it behind."""
    store = SessionStore("linkedin", "work")
    store.save({"cookies": [], "origins": []})
    aside = store.path.with_name(f"{store.path.name}.corrupt-20261101T000000Z-1")
    aside.write_bytes(b"unreadable")
    other = store.path.with_name("x.session.corrupt-20261101T000000Z")  # another site's: kept
    other.write_bytes(b"other")
    assert store.delete() is True
    assert not store.path.exists()
    assert not aside.exists()
    assert other.exists()
    store.path.with_name(f"{store.path.name}.corrupt-2").write_bytes(b"only this")
    assert store.delete() is True
    assert store.delete() is False
