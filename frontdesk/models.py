"""SQLModel tables. Alembic owns the schema (see `frontdesk/migrations`); these classes mirror it.

Times are timezone-aware UTC; money is integer minor units in 64-bit columns (BIGINT), and so are
balances and their changes. Ledger entries are append-only,
enforced by database triggers created in the baseline migration.
"""

# No `from __future__ import annotations` here: SQLModel reads the annotations at runtime.

from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Integer, Column, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# The kinds live in the domain; importing them from here still works.
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Role, Tender  # noqa: F401


# money, balances and their changes: BIGINT on PostgreSQL; SQLite's INTEGER is 64-bit already
INT64 = BigInteger().with_variant(Integer(), "sqlite")
# compared byte by byte on both databases, so a range of them is a prefix ("ann" ≤ word < "ann\U0010ffff")
BYTEWISE_WORD = String(400).with_variant(String(400, collation="C"), "postgresql")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    role: str = Field(default=Role.RECEPTION, max_length=20)
    active: bool = True
    pin_hash: str | None = Field(default=None, max_length=200)  # a salted slow hash, never the PIN
    failed_pins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # wrong PINs in a row
    locked_until: datetime | None = None  # after too many wrong PINs


class Service(SQLModel, table=True):
    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint("duration_min > 0", name="ck_service_duration"),
        CheckConstraint("price >= 0", name="ck_service_price"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    duration_min: int
    price: int = Field(sa_type=INT64)
    archived: bool = False


class Provider(SQLModel, table=True):
    __tablename__ = "provider"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    archived: bool = False
    # gives every service (until a manager lists them in provider_service)
    all_services: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})


class ProviderService(SQLModel, table=True):
    """A service a provider gives, when the provider does not give them all."""

    __tablename__ = "provider_service"

    provider_id: int = Field(foreign_key="provider.id", primary_key=True)
    service_id: int = Field(foreign_key="service.id", primary_key=True)


class OpeningHours(SQLModel, table=True):
    """The business's hours on one weekday (0 = Monday); no opening and closing time: closed.
    No rows at all: no hours are kept, and bookings are not checked against them."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_opening_hours_weekday"),
        CheckConstraint("(opens IS NULL AND closes IS NULL) OR (opens < closes)", name="ck_opening_hours_order"),
    )

    weekday: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    opens: time | None = None
    closes: time | None = None


class Package(SQLModel, table=True):
    """A catalogue package: the template a holding copies its terms from."""

    __tablename__ = "package"
    __table_args__ = (
        CheckConstraint("price >= 0", name="ck_package_price"),
        Index("ux_package_active_title", text("lower(title)"), unique=True,
              sqlite_where=text("NOT archived"), postgresql_where=text("NOT archived")),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    contents: str = Field(max_length=10)  # domain Contents
    value_type: str | None = Field(default=None, max_length=10)  # domain ValueType
    quantity: int | None = Field(default=None, sa_type=INT64)
    all_services: bool = True
    price: int = Field(default=0, sa_type=INT64)
    for_sale: bool = True
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    expires_count: int | None = None
    expires_unit: str | None = Field(default=None, max_length=10)
    weekdays: str | None = Field(default=None, max_length=20)  # "0,2" (0 = Monday); "" = on, none
    window_start: time | None = None
    window_end: time | None = None
    date_from: date | None = None
    date_to: date | None = None
    fixed_dates: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    starts_on_first_visit: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    cancel_notice_hours: int | None = None  # the cancellation policy (None: none)
    late_cancel_forfeits: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    no_show_forfeits: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PackageService(SQLModel, table=True):
    """A service in an Any-from-list package's chosen set."""

    __tablename__ = "package_service"

    package_id: int = Field(foreign_key="package.id", primary_key=True)
    service_id: int = Field(foreign_key="service.id", primary_key=True)


class PackageLine(SQLModel, table=True):
    """One (service, quantity) line of a Fixed package, in order."""

    __tablename__ = "package_line"
    __table_args__ = (
        UniqueConstraint("package_id", "position", name="uq_package_line_position"),
        CheckConstraint("quantity >= 1", name="ck_package_line_quantity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    package_id: int = Field(foreign_key="package.id", index=True)
    position: int
    service_id: int = Field(foreign_key="service.id")
    quantity: int = Field(sa_type=INT64)


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (Index("ix_customer_name", "name"),)  # the balances list sorted by customer

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=1000)
    # folded "name phone-key email" (`contacts.search_text`), what the search index covers
    search_text: str = Field(default="", max_length=500)
    search_name: str = Field(default="", max_length=400)  # the name folded: what search ranks by
    phone_digits: str = Field(default="", max_length=40, index=True)  # the phone's E.164 digits
    # the customer she was merged into (a manager's merge): kept for the history that names her,
    # hidden from search, duplicates and lists
    merged_into_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class CustomerWord(SQLModel, table=True):
    """Customer search's prefix index: for each word of a customer's folded name, the rest of the
    name from that word on ("maria lopez-ruiz" → "maria lopez-ruiz", "lopez-ruiz", "ruiz"), and
    for each word of her phone and email, the rest of it from that word on ("2011234", "1234";
    "example.com", "com"), with her name to sort by. Typed words are looked up as prefixes, a
    range of the B-tree per `kind`: 0 her whole name, 1 her name from a later word on, 2 her phone
    or email. Customers merged into another have no rows. Kept by the customer use cases
    (`services.customers.index_words`)."""

    __tablename__ = "customer_word"
    __table_args__ = (Index("ix_customer_word_word", "kind", "word", "name", "customer_id"),)

    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    word: str = Field(sa_column=Column(BYTEWISE_WORD, primary_key=True, nullable=False))
    kind: int = Field(primary_key=True)  # what ranks first: the whole name, then a name's words, then contacts
    name: str = Field(max_length=200)  # Customer.name, what equals are sorted by


class Holding(SQLModel, table=True):
    """A customer's package: the terms copied at sale and its balance lines."""

    __tablename__ = "holding"
    __table_args__ = (
        # all the balances list filters and sorts on, read without the wide rows (terms)
        Index("ix_holding_balances", "customer_id", "valid_until", "voided_at", "unit", "remaining", "package_id",
              "provider_id", "purchased_at", "last_used_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    package_id: int | None = Field(default=None, foreign_key="package.id")
    title: str = Field(max_length=120)
    terms: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    purchased_at: datetime
    valid_until: date | None = None  # last valid local date, inclusive
    price_paid: int = Field(default=0, sa_type=INT64)
    assigned: bool = False  # given by a manager, no payment
    voided_at: datetime | None = None
    created_by: int = Field(foreign_key="staff.id")
    # the expiry it opened with; later expiries are on its ledger entries (extend, freeze, first visit)
    opened_until: date | None = None
    frozen_from: date | None = None  # a freeze in force or to come: no redemption on these local days
    frozen_until: date | None = None
    source_holding_id: int | None = Field(default=None, foreign_key="holding.id", index=True)  # moved here
    # for the balances list: two facts of the terms, copied with them at sale (never changed) …
    unit: str | None = Field(default=None, max_length=10)  # Terms.unit: visits, minutes, money, uses
    provider_id: int | None = None  # the provider the terms are restricted to
    # … and two the database keeps (triggers): never written here, possibly stale in a loaded row
    remaining: int = Field(default=0, sa_type=INT64, sa_column_kwargs={"server_default": "0"})  # its lines' sum
    last_used_at: datetime | None = None  # its latest redemption


class HoldingLine(SQLModel, table=True):
    """A balance bucket: one for Any-from-list holdings, one per line for Fixed ones."""

    __tablename__ = "holding_line"
    __table_args__ = (
        CheckConstraint("remaining >= 0", name="ck_holding_line_remaining"),
        UniqueConstraint("holding_id", "position", name="uq_holding_line_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    holding_id: int = Field(foreign_key="holding.id", index=True)
    position: int = 0
    service_id: int | None = Field(default=None, foreign_key="service.id")
    initial: int = Field(sa_type=INT64)
    remaining: int = Field(sa_type=INT64)


class Appointment(SQLModel, table=True):
    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint("duration_min > 0", name="ck_appointment_duration"),
        CheckConstraint("price >= 0", name="ck_appointment_price"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    service_id: int = Field(foreign_key="service.id")
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    starts_at: datetime = Field(index=True)
    duration_min: int
    price: int = Field(sa_type=INT64)
    status: str = Field(default=AppointmentStatus.BOOKED, max_length=12)
    cover_holding_id: int | None = Field(default=None, foreign_key="holding.id")
    note: str = Field(default="", max_length=500)
    created_by: int = Field(foreign_key="staff.id")
    created_at: datetime = Field(default_factory=utcnow)


class LedgerEntry(SQLModel, table=True):
    """One append-only change to a holding line. UPDATE and DELETE are refused by triggers."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        # one standing redemption per appointment: each redemption and its reversal share a round
        Index("ux_ledger_standing_redeem", "appointment_id", "kind", "seq", unique=True,
              sqlite_where=text("kind IN ('redeem', 'reverse')"),
              postgresql_where=text("kind IN ('redeem', 'reverse')")),
    )

    id: int | None = Field(default=None, primary_key=True)
    holding_id: int = Field(foreign_key="holding.id", index=True)
    line_id: int = Field(foreign_key="holding_line.id", index=True)
    kind: str = Field(max_length=10)
    delta: int = Field(sa_type=INT64)
    balance_after: int = Field(sa_type=INT64)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    created_at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=500)
    # the round of a redemption or its reversal: 0, then 1 after the first reversal, …
    seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # the holding's last valid day from this entry on, when the entry changed it (None: unchanged)
    valid_until: date | None = None


class Checkout(SQLModel, table=True):
    """One checkout, identified by the key made when it started; a retry finds it again."""

    __tablename__ = "checkout"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    customer_id: int = Field(foreign_key="customer.id")
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    sold_holding_id: int | None = Field(default=None, foreign_key="holding.id")
    staff_id: int = Field(foreign_key="staff.id")
    created_at: datetime = Field(default_factory=utcnow)


class Payment(SQLModel, table=True):
    """A tender towards an appointment or a package sale. Refunds are negative rows."""

    __tablename__ = "payment"
    __table_args__ = (
        # the payments for a package sold (what was paid for it, its refunds); most payments are
        # for appointments and sell none, so they are left out
        Index("ix_payment_sale_holding_id", "sale_holding_id", sqlite_where=text("sale_holding_id IS NOT NULL"),
              postgresql_where=text("sale_holding_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    checkout_id: int | None = Field(default=None, foreign_key="checkout.id", index=True)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    sale_holding_id: int | None = Field(default=None, foreign_key="holding.id")  # a package sold
    holding_id: int | None = Field(default=None, foreign_key="holding.id")  # the package that paid
    entry_id: int | None = Field(default=None, foreign_key="ledger_entry.id")
    tender: str = Field(max_length=10)
    amount: int = Field(sa_type=INT64)
    staff_id: int = Field(foreign_key="staff.id")
    created_at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})  # why, for a refund


class AuditEvent(SQLModel, table=True):
    """Who did what, when, and to whom: append-only, like the ledger (triggers refuse changes)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    kind: str = Field(max_length=40)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    subject: str = Field(default="", max_length=200)
    detail: str = Field(default="", max_length=1000)
