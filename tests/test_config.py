"""Config: defaults, file < environment layering, exact error texts, and masked rendering."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from optout_bot.errors import ConfigError
from optout_bot.store import paths
from optout_bot.store.config import AccountConfig, Config, load_config, render_config

SECRET_URL = "ntfy://tok_s3cr3t@ntfy.example/optout"
SECRET_HC = "https://hc-ping.example/8f1c-s3cr3t-uuid"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml", env={})
    assert config == Config()
    assert config.headless is True
    assert config.timeout_s == 30
    assert config.default_account == "default"
    assert config.notify.on == ["drift", "fixed", "needs-human", "failed"]
    assert config.account() == AccountConfig()


def test_default_path_comes_from_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "timeout_s = 12\n")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(path))
    assert paths.config_file() == path
    assert load_config(env={}).timeout_s == 12


def test_file_values_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'default_account = "work"\nheadless = false\n'
        '[accounts.work]\nemail = "me@example.org"\nallow_password_login = true\n'
        f'[notify]\nurls = ["{SECRET_URL}"]\nhealthcheck_url = "{SECRET_HC}"\non = ["drift"]\n',
    )
    config = load_config(path, env={})
    assert config.headless is False
    assert config.account().email == "me@example.org"
    assert config.account("work").allow_password_login is True
    assert config.account("other") == AccountConfig()
    assert [url.get_secret_value() for url in config.notify.urls] == [SECRET_URL]
    assert config.notify.healthcheck_url is not None
    assert config.notify.healthcheck_url.get_secret_value() == SECRET_HC
    assert config.notify.on == ["drift"]


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = _write(tmp_path, 'headless = true\ntimeout_s = 10\nsite_url = "https://file.example"\n')
    env = {
        "OPTOUT_BOT_HEADLESS": "false",
        "OPTOUT_BOT_TIMEOUT_S": "12.5",
        "OPTOUT_BOT_SITE_URL": "http://127.0.0.1:8123",
        "OPTOUT_BOT_CHROMIUM_PATH": "/opt/chrome/chrome",
        "OPTOUT_BOT_STATE_DIR": "/not/config",  # belongs to paths, not an error here
    }
    config = load_config(path, env=env)
    assert config.headless is False
    assert config.timeout_s == 12.5
    assert config.site_url == "http://127.0.0.1:8123"
    assert config.chromium_path == "/opt/chrome/chrome"


def test_empty_environment_variable_counts_as_unset(tmp_path: Path) -> None:
    path = _write(tmp_path, "timeout_s = 10\n")
    assert load_config(path, env={"OPTOUT_BOT_TIMEOUT_S": ""}).timeout_s == 10


def test_cli_layer_is_a_model_copy() -> None:
    config = load_config(Path("/nonexistent/config.toml"), env={"OPTOUT_BOT_HEADLESS": "1"})
    assert config.model_copy(update={"headless": False}).headless is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colour = 'red'\n", "colour: Extra inputs are not permitted"),
        ("[notify]\nsound = true\n", "notify.sound: Extra inputs are not permitted"),
        ("[accounts.me]\npasword = 'x'\n", "accounts.me.pasword: Extra inputs are not permitted"),
        ("timeout_s = '30'\n", "timeout_s: Input should be a valid number"),
        ("timeout_s = 0\n", "timeout_s: Input should be greater than 0"),
        ("headless = 'yes'\n", "headless: Input should be a valid boolean"),
        ("[notify]\non = ['drift', 'spam']\n", "notify.on.1: Input should be 'drift', 'fixed',"),
        ("site_url = 'www.example.com'\n", "site_url: site_url must start with http:// or https://"),
        ("[accounts.me]\nsite_url = 'ftp://x'\n", "accounts.me.site_url: site_url must start with http://"),
        ("default_account = 'a b'\n", "default_account: invalid account name 'a b': use letters"),
        ('default_account = "ok\\n"\n', "default_account: invalid account name 'ok\\n'"),  # issue 14 D1
        ("[accounts.'../x']\n", "accounts: invalid account name '../x'"),
    ],
)
def test_bad_values_name_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert str(info.value).startswith(f"{path}: {expected}")
    assert "Value error" not in str(info.value)
    assert info.value.remedy


def test_bad_toml_is_a_config_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "headless = \n")
    with pytest.raises(ConfigError, match=r"config\.toml: not valid TOML: "):
        load_config(path, env={})


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    with pytest.raises(ConfigError, match=r"config\.toml: cannot read: "):
        load_config(path, env={})


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "absent.toml", env={"OPTOUT_BOT_TIMEOUT_S": "soon"})
    assert (
        str(info.value)
        == "environment: OPTOUT_BOT_TIMEOUT_S: Input should be a valid number, unable to parse string as a number"
    )
    with pytest.raises(ConfigError, match=r"^environment: OPTOUT_BOT_HEADLESS: "):
        load_config(tmp_path / "absent.toml", env={"OPTOUT_BOT_HEADLESS": "maybe"})


def test_secret_values_never_appear_in_errors(tmp_path: Path) -> None:
    path = _write(tmp_path, '[notify]\nhealthcheck_url = "ftp://hc.example/s3cr3t-token"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert "notify.healthcheck_url: the health-check URL must start with http" in str(info.value)
    assert "s3cr3t" not in str(info.value)


def test_render_masks_secrets_and_round_trips(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'chromium_path = "/usr/bin/chromium"\n[accounts."me@example.org"]\nemail = "me@example.org"\n'
        f'[notify]\nurls = ["{SECRET_URL}", "json://127.0.0.1/x"]\nhealthcheck_url = "{SECRET_HC}"\n',
    )
    config = load_config(path, env={})
    shown = render_config(config)
    assert "s3cr3t" not in shown
    assert "tok_" not in shown
    assert "127.0.0.1" not in shown
    parsed = tomllib.loads(shown)
    assert parsed["notify"]["urls"] == ["**********", "**********"]
    assert parsed["notify"]["healthcheck_url"] == "**********"
    assert parsed["accounts"]["me@example.org"]["email"] == "me@example.org"
    assert parsed["chromium_path"] == "/usr/bin/chromium"
    assert "# site_url is not set" in shown
    # Everything but the masked secrets reads back as the same config.
    parsed["notify"] = {"on": parsed["notify"]["on"]}
    again = Config.model_validate(parsed, strict=True)
    assert again == config.model_copy(
        update={"notify": config.notify.model_copy(update={"urls": [], "healthcheck_url": None})}
    )


def test_every_field_is_documented() -> None:
    import ast
    import inspect

    from optout_bot.store import config as module
    from optout_bot.store.config import NotifyConfig

    classes = {
        node.name: node
        for node in ast.walk(ast.parse(inspect.getsource(module)))
        if isinstance(node, ast.ClassDef)
    }
    for model in (Config, AccountConfig, NotifyConfig):
        body = classes[model.__name__].body
        documented = {
            statement.target.id
            for statement, following in zip(body, body[1:], strict=False)
            if isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        }
        assert set(model.model_fields) <= documented, (
            f"{model.__name__}: {set(model.model_fields) - documented}"
        )
