"""Account names and the private state folders (issue 14: D1, R3)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from optout_bot.errors import UsageError
from optout_bot.store.paths import check_account, private_dir, write_private


@pytest.mark.parametrize("name", ["ok\n", "ok\r", "a/b", "../x", "a b", "", "-x", "x" * 65, "ok\n\n"])
def test_unsafe_account_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="invalid account name"):
        check_account(name)


@pytest.mark.parametrize("name", ["ok", "me@work.example", "a_b-c.d", "x" * 64])
def test_safe_account_names_pass(name: str) -> None:
    assert check_account(name) == name


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    """A shared 1777 folder named as the state folder is not made 0700; what we create inside is."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    assert private_dir(shared) == shared
    write_private(shared / "accounts" / "me" / "session.bin", b"x")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "accounts").stat().st_mode) == 0o700
    assert stat.S_IMODE((shared / "accounts" / "me").stat().st_mode) == 0o700
    assert stat.S_IMODE((shared / "accounts" / "me" / "session.bin").stat().st_mode) == 0o600


def test_folders_it_creates_are_private_whatever_the_umask(tmp_path: Path) -> None:
    import os

    old = os.umask(0o000)
    try:
        private_dir(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700


def test_a_temp_file_left_by_a_killed_writer_is_removed(tmp_path: Path) -> None:
    """Issue 14: a `.steps.json.<pid>.tmp` stayed after SIGKILL between writing and renaming."""
    import os
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".steps.json.{int(dead.stdout)}.tmp"
    stale.write_bytes(b"half")
    live = tmp_path / f".steps.json.{os.getppid()}.tmp"  # a writer still running: left alone
    live.write_bytes(b"busy")
    other = tmp_path / ".other.json.1.tmp"
    other.write_bytes(b"not ours")
    write_private(tmp_path / "steps.json", b"[]")
    assert not stale.exists()
    assert live.exists()
    assert other.exists()
    assert (tmp_path / "steps.json").read_bytes() == b"[]"
