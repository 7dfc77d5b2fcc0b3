"""The one TOML config file, validated strictly, with environment overrides.

Layers, lowest first: defaults < config file (``paths.config_file()``) < environment < command line.
The CLI applies its own flags last with ``config.model_copy(update=...)``.

Only four environment variables are config: ``OPTOUT_BOT_CHROMIUM_PATH``, ``OPTOUT_BOT_SITE_URL``,
``OPTOUT_BOT_HEADLESS`` and ``OPTOUT_BOT_TIMEOUT_S``. We read them by hand instead of through
pydantic-settings' ``BaseSettings`` because (a) the environment is injected as a mapping so tests never
depend on the real one, (b) other ``OPTOUT_BOT_*`` variables (``STATE_DIR``, ``CONFIG``, ``FLOWS_DIR``)
belong to ``paths``/``resources``, and (c) nested sections (``notify``, ``accounts``) must not be
settable from JSON in the environment: notification URLs are secrets that belong in the 0600 file.

Every problem becomes ``ConfigError("<file>: <dotted.key>: <message>")``; secrets never appear in it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from optout_bot.errors import ConfigError
from optout_bot.i18n import Language, _
from optout_bot.model.loader import format_validation_error
from optout_bot.model.urls import HTTP_URL_RULE, is_http_url
from optout_bot.store import paths

AlertKind = Literal["drift", "fixed", "needs-human", "failed"]
ALERT_KINDS: tuple[AlertKind, ...] = ("drift", "fixed", "needs-human", "failed")

#: Environment variable -> top-level config key. Nothing else in the environment is config.
ENV_KEYS: dict[str, str] = {
    "OPTOUT_BOT_CHROMIUM_PATH": "chromium_path",
    "OPTOUT_BOT_SITE_URL": "site_url",
    "OPTOUT_BOT_HEADLESS": "headless",
    "OPTOUT_BOT_TIMEOUT_S": "timeout_s",
}

MASK = "**********"


def _http_url(value: str, what: str) -> str:
    # The message never repeats the value: it may be a secret (health-check URLs carry a token).
    if not is_http_url(value):
        raise ValueError(f"{what} {HTTP_URL_RULE}")
    return value


#: A site's base URL given by the person (top level, or per account): http(s) with a host.
SiteUrl = Annotated[str, AfterValidator(lambda value: _http_url(value, "site_url"))]


class _Strict(BaseModel):
    """Base for config sections: unknown keys are errors. Every field has an attribute docstring
    (tests/test_config.py checks); pydantic is not asked to read them, which would parse this file's
    source on every start."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class NotifyConfig(_Strict):
    """Where alerts go (apprise URLs) and which dead-man's-switch URL scheduled runs ping."""

    urls: list[SecretStr] = Field(default_factory=list)
    """Apprise URLs, one destination each (``ntfy://…``, ``mailto://…``, ``json://…``). Secrets."""
    healthcheck_url: SecretStr | None = None
    """Healthchecks-style base URL: runs ping ``<url>/start``, ``<url>`` on success, ``<url>/fail``."""
    on: list[AlertKind] = Field(default_factory=lambda: list(ALERT_KINDS))
    """Alert kinds that are sent; the others are dropped (a ``test`` alert is always sent)."""

    @field_validator("healthcheck_url")
    @classmethod
    def _check_healthcheck_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _http_url(value.get_secret_value(), "the health-check URL")
        return value


class AccountConfig(_Strict):
    """One account on one site."""

    site: str = "linkedin"
    """The site this account belongs to (a folder under ``flows/``)."""
    email: str | None = None
    """The account's e-mail address (forms that ask for it; the password lives in the OS keyring)."""
    phone: str | None = None
    """The account's phone number with its country code, e.g. ``+4915112345678`` (WhatsApp's form)."""
    profile: str = "ai"
    """Which flow profile a run applies (``ai`` = the AI-training settings)."""
    allow_password_login: bool = False
    """Scheduled runs may type the stored password only if True; otherwise they stop and notify."""
    site_url: SiteUrl | None = None
    """A local copy of this account's site (e.g. ``optout-bot serve``), beating the top-level ``site_url``."""

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.strip()):
            raise ValueError(_("must be an e-mail address like you@example.com"))
        return None if value is None else value.strip()

    @field_validator("phone")
    @classmethod
    def _check_phone(cls, value: str | None) -> str | None:
        # Spaces, dashes and brackets are how people write numbers; forms want the digits.
        if value is None:
            return None
        digits = re.sub(r"[\s\-().]", "", value)
        if not re.fullmatch(r"\+[1-9]\d{6,14}", digits):
            raise ValueError(_("must be a phone number with its country code, like +4915112345678"))
        return digits


class Config(_Strict):
    """Everything a user can set. Defaults work without any file."""

    chromium_path: str | None = None
    """Chrome/Chromium executable; unset = auto-detect (``OPTOUT_BOT_CHROMIUM_PATH``)."""
    site_url: SiteUrl | None = None
    """Override of the site's base URL, e.g. a local copy of the site (``OPTOUT_BOT_SITE_URL``)."""
    headless: bool = True
    """Run the browser without a window (``OPTOUT_BOT_HEADLESS``); ``login`` always shows one."""
    default_account: str = "default"
    """The account used when a command is given no ``--account``."""
    language: Language | None = None
    """Language of messages, help and reports; unset = the locale's (``LANG``), else English."""
    accounts: dict[str, AccountConfig] = Field(default_factory=dict)
    """Accounts by name; names become file names, so they use a safe alphabet."""
    notify: NotifyConfig = Field(default_factory=NotifyConfig)
    """Alerts and health-check pings."""
    timeout_s: float = Field(default=30, gt=0, le=600)
    """Seconds to wait for a page or an element before giving up (``OPTOUT_BOT_TIMEOUT_S``)."""

    @field_validator("default_account")
    @classmethod
    def _check_default_account(cls, value: str) -> str:
        return _account_name(value)

    @field_validator("accounts")
    @classmethod
    def _check_account_names(cls, value: dict[str, AccountConfig]) -> dict[str, AccountConfig]:
        for name in value:
            _account_name(name)
        return value

    def account(self, name: str | None = None) -> AccountConfig:
        """The settings of ``name`` (default: ``default_account``); defaults when it has no section."""
        return self.accounts.get(name or self.default_account, AccountConfig())


def _account_name(name: str) -> str:
    if not paths.ACCOUNT_RE.fullmatch(name):
        raise ValueError(
            _("invalid account name {name!r}: use letters, digits, '.', '_', '-' or '@' (at most 64)").format(
                name=name
            )
        )
    return name


def _read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise ConfigError(_("{path}: not UTF-8 text").format(path=path)) from None
    except OSError as exc:
        raise ConfigError(_("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path}: not valid TOML: {reason}").format(path=path, reason=exc)) from None


def _env_layer(env: Mapping[str, str]) -> dict[str, str]:
    # An empty variable counts as unset, so `OPTOUT_BOT_SITE_URL= optout-bot …` clears nothing by accident.
    return {key: env[var] for var, key in ENV_KEYS.items() if env.get(var)}


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Defaults < ``path`` (default ``paths.config_file()``; missing = defaults) < environment.

    Raises ``ConfigError`` naming the file (or ``environment``) and the dotted key.
    """
    path = paths.config_file() if path is None else path
    env = os.environ if env is None else env
    data = _read_file(path)
    try:
        # Strict for the file: TOML has real types, so `timeout_s = "30"` is a mistake worth reporting.
        Config.model_validate(data, strict=True)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(str(path), exc)) from None
    overrides = _env_layer(env)
    try:
        # Lax for the environment, where every value is a string ("false", "0", "12.5").
        return Config.model_validate({**data, **overrides})
    except ValidationError as exc:
        # The file alone validated, so the problem is an environment value: name the variable.
        first = exc.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        var = next((v for v, k in ENV_KEYS.items() if k == key), "environment")
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(_("environment: {var}: {message}").format(var=var, message=message)) from None


# --- config show ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as TOML shows it: secrets masked, everything else as it is."""
    if isinstance(value, SecretStr):
        return MASK
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _fill(table: Any, model: BaseModel) -> None:
    import tomlkit  # here and below: only 'config show' writes TOML, and every run imports this module

    nested: list[tuple[str, Any]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            sub = tomlkit.table()
            _fill(sub, value)
            nested.append((name, sub))
        elif isinstance(value, dict):
            if value:
                group = tomlkit.table(is_super_table=True)
                for key, item in value.items():
                    sub = tomlkit.table()
                    _fill(sub, item)
                    group.add(key, sub)
                nested.append((name, group))
        elif value is None:
            table.add(tomlkit.comment(f"{name} is not set"))
        else:
            table.add(name, _plain(value))
    for name, sub in nested:  # tables after the plain keys, or TOML would put those keys in them
        table.add(name, sub)


def render_config(config: Config) -> str:
    """The effective config as TOML for ``config show``, every secret replaced by ``**********``
    (tomlkit, the same writer as ``config_edit``'s)."""
    import tomlkit

    document = tomlkit.document()
    _fill(document, config)
    return tomlkit.dumps(document)
