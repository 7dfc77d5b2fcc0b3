"""Per-user directories (platformdirs), created private: folders 0700, files written 0600."""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path

from optout_bot import config_file, state_dir
from optout_bot.errors import StateDirError, UsageError
from optout_bot.i18n import _

# state_dir and config_file live in the package's root (see its docstring): i18n needs the config's
# place too, and i18n sits below errors and store. They are part of this module's interface.
__all__ = [
    "ACCOUNT_RE",
    "account_dir",
    "check_account",
    "config_file",
    "private_dir",
    "state_dir",
    "write_private",
]

ACCOUNT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")


def check_account(name: str) -> str:
    """Account names become file names: keep them to a safe alphabet."""
    # fullmatch: ``$`` would also accept a trailing newline, which splits a crontab line in two.
    if not ACCOUNT_RE.fullmatch(name):
        raise UsageError(
            _("invalid account name {name!r}").format(name=name),
            remedy=_("use letters, digits, '.', '_', '-' or '@' (at most 64 characters)"),
        )
    return name


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with mode 0700, or raise ``StateDirError``.

    Only folders made here get 0700: an existing folder keeps its mode (it may be shared, e.g. a
    1777 folder named by OPTOUT_BOT_STATE_DIR); the files inside are 0600 either way.
    """
    try:
        # Each missing parent is made private too (mkdir(parents=True) would give them the umask's mode).
        for missing in reversed([path, *path.parents]):
            if not missing.exists():
                # exist_ok: another run may create the same folder between the check and here.
                missing.mkdir(mode=0o700, exist_ok=True)
                missing.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened: make it exact
    except OSError as exc:
        raise StateDirError(
            _("cannot create {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from None
    if not os.access(path, os.W_OK):
        raise StateDirError(_("{path} is not writable").format(path=path))
    return path


def account_dir(account: str) -> Path:
    """``<state>/accounts/<account>``, private."""
    return private_dir(state_dir() / "accounts" / check_account(account))


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` atomically (temp file + rename) with mode 0600 from the first byte.

    A temp file left by a writer that was killed between the two steps is removed on the next write.
    """
    private_dir(path.parent)
    _remove_stale_temps(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StateDirError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from None


def _remove_stale_temps(path: Path) -> None:
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2 : -len(".tmp")]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a platform that cannot tell: leave its file alone
    return True
