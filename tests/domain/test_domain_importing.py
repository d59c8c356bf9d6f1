"""Reading a customer file from another system: the columns, each row accepted or with every
reason it is rejected; worked out here by hand."""

from datetime import date

import pytest

from frontdesk.domain.contacts import contact_errors

TOO_FEW = "That is not a phone number: too few digits for US; for another country start with + and its code."
from frontdesk.domain.importing import (
    CataloguePackage,
    KnownCustomer,
    SourceRow,
    check_rows,
    column_key,
    read_file_date,
    read_header,
    source_rows,
)
from frontdesk.domain.money import currency_for
from frontdesk.domain.periods import Period, PeriodUnit
from frontdesk.domain.terms import Contents, FixedLine, Terms, ValueType

BAD_PHONE_12 = ("bad phone '12': that is not a phone number: too few digits for US; for another country start "
                "with + and its code")

TODAY = date(2026, 3, 2)
USD = currency_for("USD")
PACK = CataloguePackage(1, Terms(title="Massage Pack", quantity=5, price=35000,
                                 expires_in=Period(12, PeriodUnit.MONTHS)))
CREDIT = CataloguePackage(2, Terms(title="Spa Credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000))
HOURS = CataloguePackage(3, Terms(title="Massage Hours", value_type=ValueType.MINUTES, quantity=180, price=24000))
PASS = CataloguePackage(4, Terms(title="Sauna Pass", value_type=ValueType.UNLIMITED, price=9000,
                                 expires_in=Period(30, PeriodUnit.DAYS)))
DUO = CataloguePackage(5, Terms(title="Duo", contents=Contents.FIXED, value_type=None, price=15000, fixed_lines=(
    FixedLine(1, "Swedish Massage", 1), FixedLine(2, "Thai Massage", 1))))
TRIO = CataloguePackage(6, Terms(title="Thai Trio", contents=Contents.FIXED, value_type=None, price=27000,
                                 fixed_lines=(FixedLine(2, "Thai Massage", 3),)))
OLD = CataloguePackage(7, Terms(title="Winter Pack", quantity=4, price=20000), archived=True)
CATALOGUE = (PACK, CREDIT, HOURS, PASS, DUO, TRIO, OLD)


def check(*rows: SourceRow, known: tuple[KnownCustomer, ...] = ()) -> dict[int, tuple[str, ...]]:
    """Each row's reasons (empty: accepted)."""
    return {row.row: row.reasons for row in check_rows(rows, packages=CATALOGUE, known=known, currency=USD,
                                                       today=TODAY)}


def row(number: int, name: str = "Maria Lopez", phone: str = "201-555-0101", **cells: str) -> SourceRow:
    return SourceRow(number, name=name, phone=phone, **cells)


def pack(number: int, **cells: str) -> SourceRow:
    values = {"package": "massage pack", "remaining": "3", "purchased": "2025-11-03", "price_paid": "350.00"}
    return row(number, **(values | cells))


@pytest.mark.parametrize(("heading", "key"), [
    ("Name", "name"), (" PRICE_PAID ", "price_paid"), ("Price paid (USD)", "price_paid"), ("E-mail", "e_mail"),
    ("\ufeffname", "name"), ("Purchased  On", "purchased_on")])
def test_a_heading_is_read_in_any_case_and_spacing(heading: str, key: str) -> None:
    assert column_key(heading) == key


def test_the_header_maps_known_columns_and_says_which_it_left_out() -> None:
    header = read_header(["Customer", "Phone", "Balance", "Price paid (USD)", "Loyalty tier", ""])
    assert header.columns == {"name": 0, "phone": 1, "remaining": 2, "price_paid": 3}
    assert header.ignored == ("Loyalty tier",)
    with pytest.raises(ValueError, match="needs a 'name' column"):
        read_header(["phone", "email"])
    with pytest.raises(ValueError, match="'phone' is there twice"):
        read_header(["name", "phone", "Telephone"])


def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_rows_skipped() -> None:
    _, rows = source_rows([["name", "package"], [" Maria ", "Massage Pack", "extra"], ["", ""], ["Ben"]])
    assert rows == [SourceRow(2, name="Maria", package="Massage Pack"), SourceRow(4, name="Ben")]


@pytest.mark.parametrize(("text", "day"), [
    ("2025-11-03", date(2025, 11, 3)), ("11/3/2025", date(2025, 11, 3)), ("3 Nov 2025", date(2025, 11, 3)),
    ("2025-11-03T00:00:00-05:00", date(2025, 11, 3)), ("11/3/25", date(2025, 11, 3))])
def test_file_dates_have_a_year(text: str, day: date) -> None:
    assert read_file_date(text, TODAY) == day


@pytest.mark.parametrize(("text", "message"), [
    ("3/11", "with its year"), ("tomorrow", "with its year"), ("2025-02-30", "no such date"), ("soon", "year")])
def test_a_file_date_without_a_year_or_that_does_not_exist_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_file_date(text, TODAY)


def test_good_rows_open_what_is_left_of_what_was_paid() -> None:
    rows = check_rows([
        pack(2),  # 3 of 5 visits left of $350.00
        pack(3, package="Spa Credit", remaining="$50.00", price_paid="180"),  # $50 of $200 credit bought for $180
        pack(4, package="Massage hours", remaining="1h30", price_paid="240", expires="2026-12-31"),
        pack(5, package="Sauna Pass", remaining="", purchased="2026-02-20", price_paid="90.00"),
        pack(6, package="Thai Trio", remaining="1", price_paid="0"),
        row(7, name="Ben Ode", phone=""),  # a customer only
        pack(8, package="WINTER PACK", remaining="4", price_paid="200"),  # archived: still held
    ], packages=CATALOGUE, known=(), currency=USD, today=TODAY)
    assert [checked.reasons for checked in rows] == [()] * 7
    holdings = [checked.holding for checked in rows]
    assert [(h.initial, h.remaining, h.price_paid) if h else None for h in holdings] == [
        (5, 3, 35000), (20000, 5000, 18000), (180, 90, 24000), (0, 0, 9000), (3, 1, 0), None, (4, 4, 20000)]
    # the expiry given, else the package's terms from the purchase (12 months; 30 days)
    assert [h.valid_until if h else None for h in holdings] == [
        date(2026, 11, 3), None, date(2026, 12, 31), date(2026, 3, 22), None, None, None]
    # worth: price × left ÷ units, floor; the pass: 9000 × days left ÷ 31 days valid (20 Feb to 22 Mar)
    assert [h.worth if h else None for h in holdings] == [
        35000 * 3 // 5, 18000 * 5000 // 20000, 24000 * 90 // 180, 9000 * (31 - 10) // 31, 0, None, 20000]
    assert holdings[4].complimentary and rows[5].contact.name == "Ben Ode"


def test_every_reason_a_row_is_rejected_is_listed() -> None:
    reasons = check(
        pack(2, name="", phone="12", email="maria@", package="Gold Pack", purchased="yesterday", price_paid="-5"),
        pack(3, name="Ann", phone="201-555-0303", remaining="6"),
        pack(4, name="Bea", phone="201-555-0404", remaining="0", purchased="2026-03-09", expires="2025-12-01"),
        pack(5, name="Cy", phone="201-555-0505", package="Duo", remaining="1"),
        pack(6, name="Di", phone="201-555-0606", package="Sauna Pass", remaining="3", purchased="2025-01-05"),
        pack(7, name="Ed", phone="201-555-0707", package="Spa Credit", remaining="250.00", price_paid="1.234"),
        pack(8, name="Flo", phone="201-555-0808", remaining="two", purchased="2024-11-03", price_paid=""),
        row(9, name="Gus", phone="201-555-0909", remaining="3"),
    )
    assert reasons == {
        2: ("no name given", BAD_PHONE_12,
            "bad email 'maria@': that does not look like an email address", "unknown package 'Gold Pack'",
            "purchase date 'yesterday': enter a date with its year, like 2025-11-03",
            "price paid '-5': the price paid cannot be negative"),
        3: ("remaining '6': balance out of range, 'Massage Pack' holds 5 visits",),
        4: ("remaining '0': balance out of range, must be more than 0 (a used-up package is not imported)",
            "purchase date 2026-03-09 is after today", "expiry 2025-12-01 is before the purchase 2026-03-09"),
        5: ("'Duo' is a bundle of several services: one remaining balance cannot say what is left of each, "
            "add it by hand",),
        6: ("remaining '3': 'Sauna Pass' is unlimited, leave remaining empty",
            "expired on 2025-02-04 (worked out from the package's terms): nothing left to use"),
        7: ("remaining '250.00': balance out of range, 'Spa Credit' holds $200.00",
            "price paid '1.234': at most 2 decimals for USD"),
        8: ("remaining 'two': enter whole visits, like 3", "expired on 2025-11-03 (worked out from the "
            "package's terms): nothing left to use", "no price paid given (0 for a package given free)"),
        9: ("no package named, yet remaining given",),
    }


def test_a_customer_with_several_packages_is_several_rows_of_one_name_and_phone() -> None:
    rows = check_rows([pack(2, email="maria@example.com"), pack(3, name="maria  LOPEZ", phone="(201) 555-0101",
                                                                 notes="likes it quiet")],
                      packages=CATALOGUE, known=(), currency=USD, today=TODAY)
    assert [(checked.row, checked.first_row, checked.reasons) for checked in rows] == [(2, 2, ()), (3, 2, ())]
    assert rows[0].contact == rows[1].contact  # her details merged over her rows
    assert (rows[0].contact.email, rows[0].contact.notes) == ("maria@example.com", "likes it quiet")


def test_a_problem_with_a_customer_rejects_every_row_of_hers() -> None:
    reasons = check(pack(2, email="maria@example.com"), pack(3, email="maria@"), pack(4))
    bad = "bad email 'maria@': that does not look like an email address"
    different = "a different email than row 2 for the same customer"
    assert reasons == {2: (f"{different} (row 3)", f"{bad} (row 3)"), 3: (different, bad),
                       4: (f"{different} (row 3)", f"{bad} (row 3)")}


def test_duplicates_of_customers_on_file_and_within_the_file() -> None:
    known = (KnownCustomer(41, "Maria Lopez", "201 555 0101", ""), KnownCustomer(42, "Ann Lee", "", "ANN@example.com"))
    reasons = check(
        row(2, name="Maria López", phone="2015550101"),  # another spelling, the same phone
        row(3, name="ann lee", phone="", email="ann@example.com"),
        row(4, name="Ann Lee", phone="201-555-0404", email="ann.lee@example.com"),  # another Ann Lee
        row(5, name="Bea", phone="201-555-0505"),
        row(6, name="Bo", phone="201 555 0505"),
        row(7, name="Cy", phone="201-555-0707", email="cy@example.com"),
        row(8, name="Cy", phone="201-555-0708", email="cy@example.com"),
        known=known,
    )
    assert reasons == {
        2: ("duplicate of customer 41 Maria Lopez: same phone",),
        3: ("duplicate of customer 42 Ann Lee: same name and email",),
        4: (), 5: (),
        6: ("same phone as row 5 (Bea), a different customer of the file",),
        7: (),
        8: ("same name and email as row 7, a different phone",),
    }


def test_the_contact_rules_are_the_desks() -> None:
    assert contact_errors(" ", "12", "x@", "") == {"name": "Enter the customer's name.",
                                                   "phone": TOO_FEW,
                                                   "email": "That does not look like an email address."}
    assert contact_errors("Maria", "201-555-0101", "m@example.com", "n" * 1001) == {"note": "At most 1000 characters."}
