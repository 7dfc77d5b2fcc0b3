"""Adding accounts to the config file keeps everything a person wrote there (tomlkit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout_bot.errors import ConfigError
from optout_bot.store.config import load_config
from optout_bot.store.config_edit import accounts, add_account

MINE = """# my notes, kept
timeout_s = 20  # my slow line

[notify]
urls = []  # none yet

[accounts.work]  # the work profile
site = "x"
"""


def test_an_account_is_added_and_every_comment_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    assert add_account(path, "linkedin", {"site": "linkedin", "email": "me@example.com"}, comment="LinkedIn")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(MINE)
    assert "[accounts.linkedin] # LinkedIn" in text
    config = load_config(path, env={})
    assert config.accounts["linkedin"].email == "me@example.com"
    assert config.accounts["work"].site == "x"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_an_existing_account_is_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    assert add_account(path, "work", {"site": "linkedin"}) is False
    assert path.read_text(encoding="utf-8") == MINE
    assert accounts(path) == {"work": {"site": "x"}}


def test_a_new_file_starts_with_a_comment_and_validates(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    assert add_account(path, "wa", {"site": "whatsapp", "phone": "+4915112345678", "email": "a@b.cd"})
    assert path.read_text(encoding="utf-8").startswith("# optout-bot's settings")
    assert load_config(path, env={}).accounts["wa"].phone == "+4915112345678"


def test_a_bad_value_is_refused_and_the_file_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        add_account(path, "li", {"site": "linkedin", "email": "not-an-address"})
    assert "accounts.li.email" in str(info.value)
    assert path.read_text(encoding="utf-8") == MINE
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["config.toml"]  # no temporary file
