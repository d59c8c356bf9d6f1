"""Importing customers and the packages they still hold in another system: the dry run lists
every rejected row and why, refusing imports nothing, accepting imports the good rows in one
transaction, and the imported packages are on the books worth what is left of what was paid.
Every figure is worked out here by hand. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

import pytest
from sqlalchemy import text

from frontdesk.domain.periods import Period, PeriodUnit
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.domain.valuation import Movement
from frontdesk.services import catalogue, checkout, imports, ledger, liability
from frontdesk.services.errors import FrontDeskError, InvalidInput, NotAllowed
from frontdesk.services.imports import ImportRefused
from tests.store.conftest import Spa
from tests.store.test_roles import counts

BAD_PHONE_12 = ("bad phone '12': that is not a phone number: too few digits for US; for another country start "
                "with + and its code")

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000,
             expires_in=Period(12, PeriodUnit.MONTHS))
CREDIT = Terms(title="Spa Credit", value_type=ValueType.AMOUNT, quantity=20000, price=18000)
PASS = Terms(title="Sauna Pass", value_type=ValueType.UNLIMITED, all_services=False, price=9000,
             expires_in=Period(30, PeriodUnit.DAYS))
WINTER = Terms(title="Winter Pack", value_type=ValueType.VISITS, quantity=4, price=20000)

CLIENTS = """\
Name,Phone,Email,Notes,Package,Remaining,Purchased,Expires,Price paid
Zoe Adams,201-555-0201,zoe@example.com,likes it quiet,Massage Pack,3,2025-11-03,,350.00
Zoe Adams,201 555 0201,,,spa credit,50.00,2026-01-15,2026-07-15,180
Yan Bo,201-555-0202,,,Sauna Pass,,2026-02-20,,90.00
Xia Chen,,,,,,,,
Wes Dunn,201-555-0204,,,Gold Pack,2,2025-12-01,,100
Maria Lopez,(201) 555-0101,,,Massage Pack,2,2025-12-01,,350
Vic Egan,12,,,Massage Pack,2,2025-12-01,,350
Uma Fox,201-555-0206,,,Massage Pack,6,2025-12-01,,350
Tom Gil,2015550201,,,Massage Pack,1,2025-12-01,,350
Sal Hu,201-555-0207,,,Massage Pack,2,2026-02-01,2026-01-01,350
Ray Ito,201-555-0208,,,Winter Pack,4,2026-01-10,,200
Kim Jo,201-555-0209,,,Massage Pack,1,2026-02-10,,0
"""
REJECTED = {
    6: ("unknown package 'Gold Pack'",),
    7: ("duplicate of customer {maria} Maria Lopez: same phone",),
    8: (BAD_PHONE_12,),
    9: ("remaining '6': balance out of range, 'Massage Pack' holds 5 visits",),
    10: ("same phone as row 2 (Zoe Adams), a different customer of the file",),
    11: ("expiry 2026-01-01 is before the purchase 2026-02-01",),
}
# what each accepted package is worth when it comes over (2 Mar 2026): price paid × left ÷ units, floor
ZOE_PACK = 35000 * 3 // 5  # 3 of 5 visits left of $350.00
ZOE_CREDIT = 18000 * 5000 // 20000  # $50.00 of $200.00 credit bought for $180.00
YAN_PASS = 9000 * 21 // 31  # 20 Feb to 22 Mar is 31 days; 10 used before 2 Mar
RAY_WINTER = 20000 * 4 // 4
KIM_GIFT = 0  # given free
WORTH = ZOE_PACK + ZOE_CREDIT + YAN_PASS + RAY_WINTER + KIM_GIFT


def table(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content)))


def moment(spa: Spa, day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), spa.desk.business.tz)


@pytest.fixture
def shop(spa: Spa) -> dict[str, int]:
    """The catalogue the file names (Winter Pack archived: no longer sold, still held), and Maria
    Lopez on file with her phone."""
    packages = {
        "pack": spa.package(PACK, service_ids=(spa.swedish,)),
        "credit": spa.package(CREDIT),
        "pass": spa.package(PASS, service_ids=(spa.sauna,)),
        "winter": spa.package(WINTER),
    }
    spa.desk.by(spa.manager).write(catalogue.archive_package, spa.desk.business, package_id=packages["winter"])
    return packages | {"maria": spa.customer("Maria Lopez", phone="201-555-0101")}


def plan(spa: Spa, content: str = CLIENTS) -> imports.ImportPlan:
    return spa.desk.by(spa.manager).read(imports.plan_import, spa.desk.business, table(content))


def run(spa: Spa, content: str = CLIENTS, **options: object) -> imports.ImportResult:
    return spa.desk.by(spa.manager).write(imports.run_import, spa.desk.business, table(content),
                                          source="clients.csv", **options)


def test_the_dry_run_lists_exactly_the_rejected_rows_and_why(spa: Spa, shop: dict[str, int]) -> None:
    before = counts(spa)
    dry = plan(spa)
    assert counts(spa) == before  # a dry run writes nothing
    assert {row.row: row.reasons for row in dry.rejected} == {
        row: tuple(reason.format(maria=shop["maria"]) for reason in reasons) for row, reasons in REJECTED.items()}
    assert [row.row for row in dry.accepted] == [2, 3, 4, 5, 12, 13]
    accepted = {row.row: row for row in dry.accepted}
    assert [(row.row, row.new_customer, row.first_row) for row in dry.accepted] == [
        (2, True, 2), (3, False, 2), (4, True, 4), (5, True, 5), (12, True, 12), (13, True, 13)]
    assert [accepted[row].left_text for row in (2, 3, 4, 5, 12, 13)] == [
        "3 visits", "$50.00", "unlimited", "", "4 visits", "1 visit"]
    assert [accepted[row].holding.package_id for row in (2, 3, 4, 12, 13)] == [
        shop["pack"], shop["credit"], shop["pass"], shop["winter"], shop["pack"]]
    assert [accepted[row].holding.worth for row in (2, 3, 4, 12, 13)] == [
        ZOE_PACK, ZOE_CREDIT, YAN_PASS, RAY_WINTER, KIM_GIFT]
    assert (dry.customers, dry.holdings, dry.worth) == (5, 5, WORTH)


def test_refusing_imports_nothing(spa: Spa, shop: dict[str, int]) -> None:
    before = counts(spa)
    with pytest.raises(ImportRefused, match="6 rows rejected: nothing was imported") as refused:
        run(spa)
    assert [row.row for row in refused.value.plan.rejected] == sorted(REJECTED)
    assert counts(spa) == before


def test_accepting_the_report_imports_the_good_rows_in_one_transaction(spa: Spa, shop: dict[str, int]) -> None:
    before = counts(spa)
    dry = plan(spa)
    result = run(spa, skip_rejected=True, agreed=dry)
    after = counts(spa)
    assert {name: after[name] - before[name] for name in after if after[name] != before[name]} == {
        "customer": 5, "holding": 5, "holding_line": 5, "ledger_entry": 5, "audit_event": 5 + 1,
        # search's index: each two-word name from each word on; four phones (each group of digits
        # on, and the key) and one email of three words
        "customer_word": 5 * 2 + 4 * 4 + 3}
    assert (len(result.customer_ids), len(result.holding_ids), result.worth, result.left_out) == (5, 5, WORTH, 6)
    manager = spa.desk.by(spa.manager)
    assert manager.read(ledger.check) == []

    def rows(statement: str) -> list[tuple]:
        return [tuple(row) for row in manager.read(lambda session: session.execute(text(statement)).all())]

    # one `import` entry per holding, adding what is left, saying where it came from
    assert rows("SELECT c.name, h.title, e.kind, e.delta, e.balance_after, e.note, l.initial, h.price_paid, "
                "h.assigned FROM ledger_entry e JOIN holding h ON h.id = e.holding_id "
                "JOIN holding_line l ON l.id = e.line_id JOIN customer c ON c.id = h.customer_id ORDER BY e.id") == [
        ("Zoe Adams", "Massage Pack", "import", 3, 3, "imported from clients.csv, row 2", 5, 35000, False),
        ("Zoe Adams", "Spa Credit", "import", 5000, 5000, "imported from clients.csv, row 3", 20000, 18000, False),
        ("Yan Bo", "Sauna Pass", "import", 0, 0, "imported from clients.csv, row 4", 0, 9000, False),
        ("Ray Ito", "Winter Pack", "import", 4, 4, "imported from clients.csv, row 12", 4, 20000, False),
        ("Kim Jo", "Massage Pack", "import", 1, 1, "imported from clients.csv, row 13", 5, 0, True),
    ]
    assert rows("SELECT name, phone, email, note, phone_digits FROM customer WHERE name <> 'Maria Lopez' "
                "ORDER BY id") == [
        ("Zoe Adams", "(201) 555-0201", "zoe@example.com", "likes it quiet", "12015550201"),
        ("Yan Bo", "(201) 555-0202", "", "", "12015550202"), ("Xia Chen", "", "", "", ""),
        ("Ray Ito", "(201) 555-0208", "", "", "12015550208"), ("Kim Jo", "(201) 555-0209", "", "", "12015550209")]
    assert rows("SELECT kind, subject, detail FROM audit_event WHERE kind = 'import'") == [
        ("import", "import clients.csv", "5 customers and 5 packages worth $515.96 imported from clients.csv; "
                                         "6 rejected rows left out")]

    zoe = spa.holdings(result.customer_ids[0])
    tz = spa.desk.business.tz
    # bought on the day the file gives (midnight there), valid through the expiry given or the terms'
    assert sorted((view.title, view.purchased_at.astimezone(tz), view.valid_until, view.remaining,
                   view.balance_text) for view in zoe) == [
        ("Massage Pack", datetime(2025, 11, 3, tzinfo=tz), date(2026, 11, 3), 3, "3 of 5 visits"),
        ("Spa Credit", datetime(2026, 1, 15, tzinfo=tz), date(2026, 7, 15), 5000, "$50.00 of $200.00")]
    pass_view, = spa.holdings(result.customer_ids[1])
    assert (pass_view.valid_until, pass_view.status.value) == (date(2026, 3, 22), "active")


def test_the_roll_forward_books_what_the_imported_packages_are_worth(spa: Spa, shop: dict[str, int]) -> None:
    maria = shop["maria"]
    spa.sell(maria, shop["pack"], now=moment(spa, date(2026, 2, 10)))  # owed at the opening: $350.00
    result = run(spa, skip_rejected=True)
    zoe_pack = result.holding_ids[0]
    manager = spa.desk.by(spa.manager)
    march = manager.read(liability.roll_forward, spa.desk.business, first_day=date(2026, 3, 1),
                         last_day=date(2026, 3, 31))
    assert (march.opening, march.movements[Movement.IMPORTED], march.closing) == (35000, WORTH, 35000 + WORTH)
    assert sum(march.movements.values()) == WORTH and march.balanced
    assert march.holdings[zoe_pack] == ZOE_PACK
    lines = manager.read(liability.movement_lines, spa.desk.business, first_day=date(2026, 3, 1),
                         last_day=date(2026, 3, 31), movement=Movement.IMPORTED)
    assert sorted((line.customer_name, line.title, line.amount, line.what) for line in lines) == [
        ("Ray Ito", "Winter Pack", RAY_WINTER, "imported from clients.csv, row 12"),
        ("Yan Bo", "Sauna Pass", YAN_PASS, "imported from clients.csv, row 4"),
        ("Zoe Adams", "Massage Pack", ZOE_PACK, "imported from clients.csv, row 2"),
        ("Zoe Adams", "Spa Credit", ZOE_CREDIT, "imported from clients.csv, row 3")]

    # bought in February elsewhere, on the books only from the import: February does not change
    february = manager.read(liability.roll_forward, spa.desk.business, first_day=date(2026, 2, 1),
                            last_day=date(2026, 2, 28))
    assert (february.opening, february.movements[Movement.SOLD], february.closing) == (0, 35000, 35000)
    assert february.movements[Movement.IMPORTED] == 0
    assert set(february.holdings) == set(march.holdings) - set(result.holding_ids)

    # a visit of Zoe's imported pack: 3 → 2 visits left of 5 bought for $350.00
    visit = spa.book(result.customer_ids[0], spa.swedish, moment(spa, date(2026, 3, 2), 14))
    spa.desk.by(spa.reception, at=moment(spa, date(2026, 3, 2), 14)).write(
        checkout.checkout, spa.desk.business, key="zoe", appointment_id=visit, package=zoe_pack)
    in_april = spa.desk.by(spa.manager, at=moment(spa, date(2026, 4, 10)))
    whole_march = in_april.read(liability.roll_forward, spa.desk.business, first_day=date(2026, 3, 1),
                                last_day=date(2026, 3, 31))
    used_visit = 35000 * 2 // 5 - ZOE_PACK
    assert whole_march.movements[Movement.IMPORTED] == WORTH
    # the pass's days from 2 March to its expiry (22 March) are used up day by day
    assert whole_march.movements[Movement.REDEEMED] == used_visit - YAN_PASS
    assert whole_march.movements[Movement.EXPIRED] == 0 and whole_march.balanced
    assert whole_march.closing == 35000 + 35000 * 2 // 5 + ZOE_CREDIT + RAY_WINTER
    april = in_april.read(liability.roll_forward, spa.desk.business, first_day=date(2026, 4, 1),
                          last_day=date(2026, 4, 30))
    assert april.opening == whole_march.closing and april.movements[Movement.IMPORTED] == 0 and april.balanced


def test_a_failure_on_the_last_row_leaves_nothing(spa: Spa, shop: dict[str, int]) -> None:
    """The database refuses the last package's entry (a trigger made for this test): nothing of the
    rows before it stays either."""
    last = "imported from clients.csv, row 13"

    def refuse_the_last_row(session: object) -> None:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text(f"CREATE TRIGGER refuse_last BEFORE INSERT ON ledger_entry WHEN NEW.note = '{last}' "
                                 "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"))
        else:
            session.execute(text(f"CREATE FUNCTION refuse_last() RETURNS trigger AS $$ BEGIN IF NEW.note = '{last}' "
                                 "THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$ "
                                 "LANGUAGE plpgsql"))
            session.execute(text("CREATE TRIGGER refuse_last BEFORE INSERT ON ledger_entry FOR EACH ROW "
                                 "EXECUTE FUNCTION refuse_last()"))
        session.commit()

    spa.desk.write(refuse_the_last_row)
    before = counts(spa)
    with pytest.raises(FrontDeskError, match="not saved|refused for the test"):
        run(spa, skip_rejected=True)
    assert counts(spa) == before


def test_a_dry_run_accepted_earlier_no_longer_holds_when_the_customers_changed(spa: Spa, shop: dict[str, int]) -> None:
    dry = plan(spa)
    spa.customer("Yan Bo", phone="201 555 0202")  # added at the desk meanwhile
    before = counts(spa)
    with pytest.raises(ImportRefused, match="changed since the dry run") as refused:
        run(spa, skip_rejected=True, agreed=dry)
    assert refused.value.plan.rejected[0].row == 4
    assert counts(spa) == before


def test_a_file_without_a_name_column_or_a_source_is_refused(spa: Spa, shop: dict[str, int]) -> None:
    with pytest.raises(InvalidInput, match="needs a 'name' column"):
        plan(spa, "phone,package\n201-555-0101,Massage Pack\n")
    with pytest.raises(InvalidInput, match="Say where the rows come from"):
        spa.desk.by(spa.manager).write(imports.run_import, spa.desk.business, table(CLIENTS), source=" ")
    with pytest.raises(ImportRefused, match="No row can be imported"):
        run(spa, "name,package\nVic,Gold Pack\n", skip_rejected=True)


def test_reception_cannot_import(spa: Spa, shop: dict[str, int]) -> None:
    before = counts(spa)
    with pytest.raises(NotAllowed, match="Only a manager can import customers."):
        spa.desk.by(spa.reception).read(imports.plan_import, spa.desk.business, table(CLIENTS))
    with pytest.raises(NotAllowed, match="Only a manager can import customers."):
        spa.desk.by(spa.reception).write(imports.run_import, spa.desk.business, table(CLIENTS),
                                         source="clients.csv", skip_rejected=True)
    assert counts(spa) == before

