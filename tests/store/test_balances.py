"""The managers' balances list: filters, sorts, pages and groupings over a small spa whose every
holding's status, balance and expiry the test works out itself. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import select

from frontdesk.db import alembic_config, create_db_engine
from frontdesk.domain.describe import HoldingStatus
from frontdesk.domain.terms import Period, PeriodUnit, Terms, ValueType
from frontdesk.models import Holding
from frontdesk.services import balances, checkout, ledger, lifecycle
from frontdesk.services.balances import BalancesPage, Group
from frontdesk.services.errors import InvalidInput, NotAllowed
from tests.store.conftest import Spa

TODAY = date(2026, 3, 2)  # the test clock's local day
TWO_MONTHS, ONE_MONTH = Period(2, PeriodUnit.MONTHS), Period(1, PeriodUnit.MONTHS)


class Listing:
    """Eight holdings of three customers, each in a known state (see `expected`)."""

    def __init__(self, spa: Spa) -> None:
        self.spa = spa
        tz = spa.desk.business.tz
        pack = spa.package(Terms(title="Massage Pack", quantity=5, price=35000, all_services=False,
                                 service_ids=(spa.swedish,), expires_in=TWO_MONTHS))
        sauna = spa.package(Terms(title="Sauna Hours", value_type=ValueType.MINUTES, quantity=180, price=9000,
                                  provider_id=spa.anna, provider_name="Anna"))
        credit = spa.package(Terms(title="Credit", value_type=ValueType.AMOUNT, quantity=30000, price=27000))
        month = spa.package(Terms(title="Unlimited Month", value_type=ValueType.UNLIMITED, price=20000,
                                  expires_in=ONE_MONTH))
        self.packages = {"pack": pack, "sauna": sauna, "credit": credit, "month": month}
        self.maria, self.zoe, self.ada = (spa.customer(name) for name in ("Maria Lopez", "Zoe Walsh", "Ada King"))

        def bought(day: date) -> datetime:
            return datetime.combine(day, time(11), tz)

        manager = spa.desk.by(spa.manager)
        self.pack_today = spa.sell(self.maria, pack, now=bought(date(2026, 1, 2)))  # through 2 Mar: today
        self.pack_old = spa.sell(self.zoe, pack, now=bought(date(2025, 12, 1)))  # through 1 Feb: expired
        self.pack_new = spa.sell(self.maria, pack)  # through 2 May; one visit paid below
        visit = spa.book(self.maria, spa.swedish, spa.at(1, 11))
        spa.desk.by(spa.reception).write(checkout.checkout, spa.business, key="k1", appointment_id=visit,
                                         package=self.pack_new)
        self.pack_used = spa.sell(self.ada, pack)  # all five taken off by a manager: used up
        manager.write(ledger.adjust, spa.business, holding_id=self.pack_used, delta=-5, reason="used elsewhere")
        self.sauna = spa.sell(self.zoe, sauna)
        self.credit = spa.sell(self.ada, credit)
        self.credit_void = spa.sell(self.maria, credit)
        manager.write(ledger.void, spa.business, holding_id=self.credit_void, reason="sold by mistake")
        self.month = spa.sell(self.ada, month, now=bought(date(2026, 2, 20)))  # through 20 Mar

    def expected(self) -> dict[int, dict[str, Any]]:
        """Each holding as worked out by hand: status, what is left, in which unit, until when, whose."""
        return {
            self.pack_today: dict(status="active", left=5, unit="visits", until=date(2026, 3, 2), who=self.maria,
                                  text="5 of 5 visits", package="pack"),
            self.pack_old: dict(status="expired", left=5, unit="visits", until=date(2026, 2, 1), who=self.zoe,
                                text="5 of 5 visits", package="pack"),
            self.pack_new: dict(status="active", left=4, unit="visits", until=date(2026, 5, 2), who=self.maria,
                                text="4 of 5 visits", package="pack"),
            self.pack_used: dict(status="used up", left=0, unit="visits", until=date(2026, 5, 2), who=self.ada,
                                 text="0 of 5 visits", package="pack"),
            self.sauna: dict(status="active", left=180, unit="minutes", until=None, who=self.zoe,
                             text="3 h of 3 h", package="sauna"),
            self.credit: dict(status="active", left=30000, unit="money", until=None, who=self.ada,
                              text="$300.00 of $300.00", package="credit"),
            self.credit_void: dict(status="void", left=0, unit="money", until=None, who=self.maria,
                                   text="$0.00 of $300.00", package="credit"),
            self.month: dict(status="active", left=0, unit="uses", until=date(2026, 3, 20), who=self.ada,
                             text="unlimited", package="month"),
        }

    def page(self, **options: Any) -> BalancesPage:
        return self.spa.desk.by(self.spa.manager).read(balances.balances_page, self.spa.business, **options)

    def ids(self, **options: Any) -> list[int]:
        return [row.holding_id for row in self.page(limit=500, **options).rows]


@pytest.fixture
def listing(spa: Spa) -> Listing:
    return Listing(spa)


def test_each_holding_is_listed_with_its_status_balance_and_expiry_in_words(listing: Listing) -> None:
    expected = listing.expected()
    page = listing.page(limit=500)
    assert sorted(row.holding_id for row in page.rows) == sorted(expected)
    names = {listing.maria: "Maria Lopez", listing.zoe: "Zoe Walsh", listing.ada: "Ada King"}
    for row in page.rows:
        holding = expected[row.holding_id]
        assert (row.status, row.balance_text, row.valid_until, row.customer_id, row.customer_name) == (
            holding["status"], holding["text"], holding["until"], holding["who"], names[holding["who"]])
    rows = {row.holding_id: row for row in page.rows}
    assert rows[listing.sauna].provider == "with Anna only" and rows[listing.credit].provider == ""
    assert rows[listing.pack_today].expiry_text == "expires today"
    assert rows[listing.pack_new].last_used == listing.spa.desk.now()  # paid from it at the desk's time
    assert all(row.last_used is None for row in page.rows if row.holding_id != listing.pack_new)  # an adjust is no use
    assert (page.holdings, page.active) == (8, 5)
    assert page.left == ["9 visits", "3 h", "$300.00", "1 unlimited"]  # of the active ones only


def test_the_holdings_balance_left_follows_its_lines(listing: Listing) -> None:
    """The database keeps each holding's `remaining` as its lines move: sold, paid from, adjusted, voided."""
    stored = dict(listing.spa.desk.read(lambda session: session.exec(select(Holding.id, Holding.remaining)).all()))
    assert stored == {holding: expected["left"] for holding, expected in listing.expected().items()}


@pytest.mark.parametrize("status", list(HoldingStatus))
def test_filter_by_status(listing: Listing, status: HoldingStatus) -> None:
    expected = sorted(holding for holding, facts in listing.expected().items() if facts["status"] == status)
    assert sorted(listing.ids(status=status)) == expected
    assert listing.page(status=status).holdings == len(expected)


def test_filter_by_package_provider_and_customer(listing: Listing) -> None:
    expected = listing.expected()
    pack = listing.packages["pack"]
    assert sorted(listing.ids(package_id=pack)) == sorted(
        holding for holding, facts in expected.items() if facts["package"] == "pack")
    assert listing.ids(provider_id=listing.spa.anna) == [listing.sauna]
    assert listing.ids(provider_id=listing.spa.ben) == []
    assert sorted(listing.ids(customer="zoe")) == sorted([listing.pack_old, listing.sauna])
    assert sorted(listing.ids(customer="lopez maria")) == sorted(
        [listing.pack_today, listing.pack_new, listing.credit_void])
    assert listing.ids(customer="nobody") == []
    # filters combine: Maria's active massage packs
    assert sorted(listing.ids(customer="maria", package_id=pack, status="active")) == sorted(
        [listing.pack_today, listing.pack_new])


def test_filter_by_expiring_within_days(listing: Listing) -> None:
    assert listing.ids(expiring_within=0) == [listing.pack_today]  # the last day is today: included
    assert listing.ids(expiring_within=17) == [listing.pack_today]  # 20 Mar is 18 days away
    assert sorted(listing.ids(expiring_within=18)) == sorted([listing.pack_today, listing.month])
    assert sorted(listing.ids(expiring_within=61)) == sorted([listing.pack_today, listing.month, listing.pack_new,
                                                           listing.pack_used])  # 2 May is 61 days away


def test_filter_by_balance_left_in_each_unit(listing: Listing) -> None:
    expected = listing.expected()

    def at_least(amount: int) -> list[int]:  # money counted in dollars; an unlimited pass always has enough
        return sorted(holding for holding, facts in expected.items() if facts["unit"] == "uses" or
                      facts["left"] >= (amount * 100 if facts["unit"] == "money" else amount))

    for amount in (0, 1, 3, 5, 180, 181, 300, 301):
        assert sorted(listing.ids(min_left=amount)) == at_least(amount), amount
    assert sorted(listing.ids(min_left=200)) == sorted([listing.credit, listing.month])


def test_sorts_each_way_with_every_row_once(listing: Listing) -> None:
    expected = listing.expected()
    far = date.max
    by = {
        "expiry": lambda h: (expected[h]["until"] is None, expected[h]["until"] or far, h),
        "left": lambda h: (expected[h]["unit"], expected[h]["left"], h),
        "last used": lambda h: (h != listing.pack_new, h),  # only one was used; the others come after it
        "customer": lambda h: ({listing.ada: 0, listing.maria: 1, listing.zoe: 2}[expected[h]["who"]], h),
    }
    for sort, key in by.items():
        assert listing.ids(sort=sort) == sorted(expected, key=key), sort
        assert listing.ids(sort=sort, descending=True) == sorted(expected, key=key, reverse=True), sort
    assert listing.ids(sort="package") == sorted(expected, key=lambda h: (
        {"credit": 0, "pack": 1, "sauna": 2, "month": 3}[expected[h]["package"]], h))
    assert listing.ids(sort="bought")[:2] == [listing.pack_old, listing.pack_today]  # bought in December, then January


@pytest.mark.parametrize("sort", balances.SORTS[Group.HOLDING])
def test_pages_hold_every_row_once(listing: Listing, sort: str) -> None:
    whole = listing.ids(sort=sort)
    pages, offset = [], 0
    while True:
        page = listing.page(sort=sort, offset=offset, limit=3)
        assert page.total == 8
        if not page.rows:
            break
        assert (page.first, page.last) == (offset + 1, offset + len(page.rows))
        pages.append([row.holding_id for row in page.rows])
        offset += 3
    assert [len(rows) for rows in pages] == [3, 3, 2]
    assert [holding for rows in pages for holding in rows] == whole
    assert not listing.page(sort=sort, offset=6, limit=3).more and listing.page(sort=sort, offset=3, limit=3).more


def test_grouped_by_customer(listing: Listing) -> None:
    page = listing.page(group="customer")
    rows = [(row.customer_name, row.holdings, row.active, row.soonest_expiry) for row in page.rows]
    # Zoe's only active holding (the sauna hours) does not expire; her expired pack does not count
    assert rows == [("Ada King", 3, 2, date(2026, 3, 20)), ("Maria Lopez", 3, 2, TODAY), ("Zoe Walsh", 2, 1, None)]
    assert (page.total, page.holdings, page.active) == (3, 8, 5)
    assert [row.customer_name for row in listing.page(group="customer", sort="expiry").rows] == [
        "Maria Lopez", "Ada King", "Zoe Walsh"]
    assert [row.customer_name for row in listing.page(group="customer", sort="holdings", descending=True).rows] == [
        "Maria Lopez", "Ada King", "Zoe Walsh"]  # 3, 3 (by name, reversed), then 2
    second = listing.page(group="customer", offset=1, limit=1)
    assert ([row.customer_name for row in second.rows], second.total) == (["Maria Lopez"], 3)
    assert listing.page(group="customer", offset=3, limit=1).total == 3  # past the last page: still counted
    active = listing.page(group="customer", status="active", customer="a")  # "a": in every name
    assert [(row.customer_name, row.holdings) for row in active.rows] == [
        ("Ada King", 2), ("Maria Lopez", 2), ("Zoe Walsh", 1)]


def test_grouped_by_package(listing: Listing) -> None:
    page = listing.page(group="package")
    rows = [(row.title, row.holdings, row.active, row.left_text) for row in page.rows]
    assert rows == [("Credit", 2, 1, "$300.00"), ("Massage Pack", 4, 2, "9 visits"), ("Sauna Hours", 1, 1, "3 h"),
                    ("Unlimited Month", 1, 1, "unlimited")]
    assert (page.total, page.holdings) == (4, 8)
    assert [row.title for row in listing.page(group="package", sort="holdings", descending=True).rows][:1] == [
        "Massage Pack"]
    only = listing.page(group="package", customer="zoe")
    assert [(row.title, row.holdings, row.active, row.left_text) for row in only.rows] == [
        ("Massage Pack", 1, 0, "0 visits"), ("Sauna Hours", 1, 1, "3 h")]


def test_the_filters_offer_every_package_and_provider(listing: Listing) -> None:
    page = listing.page()
    assert [title for _, title in page.packages] == ["Credit", "Massage Pack", "Sauna Hours", "Unlimited Month"]
    assert [name for _, name in page.providers] == ["Anna", "Ben"]


def test_a_sort_that_does_not_exist_is_refused(listing: Listing) -> None:
    with pytest.raises(InvalidInput, match="Sort by"):
        listing.page(group="customer", sort="left")


def test_reception_may_not_see_the_balances(listing: Listing) -> None:
    with pytest.raises(NotAllowed, match="Only a manager can see the balances"):
        listing.spa.desk.by(listing.spa.reception).read(balances.balances_page, listing.spa.business)


def test_upgrading_fills_in_what_the_list_reads_for_holdings_sold_before(tmp_path: Path) -> None:
    """A database at 0003 with a 5-visit pack used once and a credit restricted to a provider: after
    the upgrade each holding has its unit, provider, balance left and last use, from its terms,
    lines and entries, and the triggers keep them from then on."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0003")
    pack = Terms(title="Massage Pack", quantity=5).to_dict()
    credit = Terms(title="Credit", value_type=ValueType.AMOUNT, quantity=30000, provider_id=1,
                   provider_name="Anna").to_dict()
    used = "2026-02-20 16:00:00.000000"
    with engine.begin() as connection:
        run = lambda statement, **values: connection.execute(text(statement), values)  # noqa: E731
        run("INSERT INTO staff (id, name, role, active, failed_pins) VALUES (1, 'Grace', 'manager', 1, 0)")
        run("INSERT INTO customer (id, name, phone, email, note, search_text, phone_digits, created_at) "
            "VALUES (1, 'Maria Lopez', '', '', '', 'maria lopez', '', '2026-01-01 15:00:00.000000')")
        for holding, terms, left in ((1, pack, 4), (2, credit, 30000)):
            run("INSERT INTO holding (id, customer_id, title, terms, purchased_at, price_paid, assigned, created_by) "
                "VALUES (:id, 1, :title, :terms, '2026-01-02 15:00:00.000000', 0, 0, 1)",
                id=holding, title=terms["title"], terms=json.dumps(terms))
            run("INSERT INTO holding_line (id, holding_id, position, initial, remaining) "
                "VALUES (:id, :id, 0, :left, :left)", id=holding, left=left)
        run("INSERT INTO ledger_entry (holding_id, line_id, kind, delta, balance_after, staff_id, created_at, note, "
            "seq) VALUES (1, 1, 'redeem', -1, 4, 1, :at, '', 0)", at=used)
    command.upgrade(alembic_config(engine), "head")
    read = "SELECT id, unit, provider_id, remaining, last_used_at FROM holding ORDER BY id"
    with engine.begin() as connection:
        assert connection.execute(text(read)).all() == [(1, "visits", None, 4, used), (2, "money", 1, 30000, None)]
        connection.execute(text("UPDATE holding_line SET remaining = 3 WHERE id = 1"))  # as a redemption does
        assert connection.execute(text("SELECT remaining FROM holding WHERE id = 1")).scalar_one() == 3
    engine.dispose()


def test_a_package_moved_to_another_customer_is_listed_as_moved_and_hers_as_active(spa: Spa) -> None:
    credit = spa.package(Terms(title="Credit", value_type=ValueType.AMOUNT, quantity=30000, price=27000))
    zoe, ada = spa.customer("Zoe Walsh"), spa.customer("Ada King")
    given = spa.sell(zoe, credit)
    moved = spa.desk.by(spa.manager).write(lifecycle.transfer, spa.business, holding_id=given, to_customer_id=ada,
                                           reason="a gift")
    page = lambda **options: spa.desk.by(spa.manager).read(balances.balances_page, spa.business,  # noqa: E731
                                                           **options)
    assert [row.holding_id for row in page(status="moved").rows] == [given]
    assert [row.holding_id for row in page(status="active").rows] == [moved.target.id]
    assert [(row.status, row.customer_name) for row in page(status="active").rows] == [("active", "Ada King")]
