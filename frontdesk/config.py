"""Settings: where the database is, the business's time zone, currency and locale (how it writes
amounts: "1,234.50" or "1.234,50"), and the phone region (how a number typed without a country
code is read).

Read from the environment (``FRONTDESK_*``) and the command line. A wrong setting raises
`SettingsError` with one plain line; the command line turns it into exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from frontdesk.domain.contacts import DEFAULT_REGION, known_region
from frontdesk.domain.money import Currency, currency_for
from frontdesk.localization import desk_currency, known_locale


class SettingsError(Exception):
    """A setting is wrong; the message is one line a person can act on."""


# the drivers Front Desk installs and is tested with, one per database
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
SUPPORTED = "use sqlite:///PATH (a file) or postgresql+psycopg://USER@HOST[:PORT]/DATABASE"


def default_database_path() -> Path:
    """The SQLite file used when no database URL is set, in the user's data directory."""
    return Path(platformdirs.user_data_dir("frontdesk", appauthor=False)) / "frontdesk.db"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    """The business's settings."""

    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", extra="ignore")

    database_url: str = ""
    timezone: str = "America/New_York"
    currency: str = "USD"
    locale: str = ""  # how amounts are written and read; "" is the currency's usual one (de_DE for EUR)
    idle_lock_minutes: int = 5  # the desk locks itself after this long without a key pressed
    phone_region: str = DEFAULT_REGION  # where a phone number typed without a country code is (US, GB …)

    @field_validator("idle_lock_minutes")
    @classmethod
    def _sensible_idle_lock(cls, value: int) -> int:
        if not 1 <= value <= 240:
            raise ValueError("the idle lock is 1 to 240 minutes")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)")
        return value

    @field_validator("phone_region")
    @classmethod
    def _known_phone_region(cls, value: str) -> str:
        return known_region(value)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        return currency_for(value).code

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        return known_locale(value) if value.strip() else ""

    @field_validator("database_url")
    @classmethod
    def _usable_url(cls, value: str) -> str:
        if not value:
            return value
        try:
            url = make_url(value)
        except (ArgumentError, ValueError) as error:
            why = " (the port is not a number)" if "int()" in str(error) else ""
            raise ValueError(f"cannot read database URL {value!r}{why}: {SUPPORTED}")
        backend, driver = url.get_backend_name(), url.get_driver_name()
        if backend not in DRIVERS:
            raise ValueError(f"unsupported database {backend!r}: {SUPPORTED}")
        if driver != DRIVERS[backend]:
            raise ValueError(f"unsupported driver {url.drivername!r}: {SUPPORTED}")
        if backend == "sqlite" and ((url.database or ":memory:") == ":memory:" or url.query.get("mode") == "memory"):
            raise ValueError(f"{value!r} is a database in memory, lost at exit: {SUPPORTED}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def money(self) -> Currency:
        """The currency, written the locale's way."""
        return desk_currency(self.currency, self.locale)

    @property
    def url(self) -> str:
        """The database URL, defaulting to the SQLite file in the user's data directory."""
        return self.database_url or sqlite_url(default_database_path())


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with command-line overrides; wrong ones raise SettingsError."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "setting"
        message = str(first.get("ctx", {}).get("error") or first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{field}: {message}") from None
