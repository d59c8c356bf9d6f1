"""The managers' CSV tables: the ledger with payments, the balances and their worth, the
roll-forward; money in decimal form, times in the business's zone; written and read back the
same. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from frontdesk.documents.tables import read_csv, write_csv
from frontdesk.domain.kinds import Tender
from frontdesk.domain.money import currency_for
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import checkout, exports
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)


def test_money_is_written_in_the_currencys_decimal_form() -> None:
    usd, jpy = currency_for("USD"), currency_for("JPY")
    assert [exports.decimal(amount, usd) for amount in (35000, -150, 5, 0)] == ["350.00", "-1.50", "0.05", "0.00"]
    assert exports.decimal(500, jpy) == "500"


def test_the_ledger_the_balances_and_the_roll_forward_as_csv(spa: Spa, maria: int, tmp_path: Path) -> None:
    pack = spa.sell(maria, spa.package(PACK, service_ids=(spa.swedish,)),
                    now=spa.desk.now() - timedelta(minutes=20))  # by card, $350.00
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit, package=pack)
    sauna = spa.book(maria, spa.sauna, at(TUE, 15))
    spa.desk.write(checkout.checkout, spa.desk.business, key="cash", appointment_id=sauna, package=None,
                   tenders=[TenderLine(Tender.CASH, 2500)])
    manager, business, today = spa.desk.by(spa.manager), spa.desk.business, spa.day(0)

    ledger = manager.read(exports.ledger_table, business, first_day=today, last_day=today)
    assert ledger.header[0] == "when (America/New_York)" and ledger.header[8] == "money (USD)"
    assert [(row[0], row[1], row[3], row[4], row[5], row[8]) for row in ledger.rows] == [
        ("2026-03-02T09:40:00-05:00", "entry", "Massage Pack", "sale", "5", ""),
        ("2026-03-02T09:40:00-05:00", "payment", "Massage Pack", "card", "", "350.00"),
        ("2026-03-02T10:00:00-05:00", "entry", "Massage Pack", "redeem", "-1", ""),
        ("2026-03-02T10:00:00-05:00", "payment", "Massage Pack", "package", "", "80.00"),
        ("2026-03-02T10:00:00-05:00", "payment", "", "cash", "", "25.00"),
    ]
    assert {row[2] for row in ledger.rows} == {"Maria Lopez"}

    balances = manager.read(exports.balances_table, business, day=today)
    assert [row[:3] + row[5:] for row in balances.rows] == [
        ["Maria Lopez", "", "Massage Pack", "", "350.00", f"{35000 * 4 // 5 // 100}.00",
         "visits, minutes, bundles: price per unit × left"]]

    rolled = manager.read(exports.roll_forward_table, business, first_day=today.replace(day=1), last_day=today)
    assert rolled.rows == [["opening", "0.00"], ["sold", "350.00"], ["assigned", "0.00"], ["imported", "0.00"],
                           ["redeemed", "-70.00"],
                           ["reversed", "0.00"], ["adjusted", "0.00"], ["voided", "0.00"], ["refunded", "0.00"],
                           ["expired", "0.00"], ["extended", "0.00"], ["transferred", "0.00"],
                           ["closing", "280.00"]]

    for name, table in (("ledger", ledger), ("balances", balances), ("rollforward", rolled)):
        written = write_csv(table, tmp_path / "out" / f"{name}.csv")
        assert read_csv(written) == [table.header, *table.rows]


def test_a_file_brought_in_is_read_with_its_encoding_and_separator(tmp_path: Path) -> None:
    from frontdesk.documents.tables import read_table

    saved = {"utf8.csv": "\ufeffname,notes\nZoë,\"quiet, please\"\n".encode(),
             "excel.csv": "name;notes\r\nZoë;\"quiet; please\"\r\n".encode("cp1252"),
             "tabs.csv": b"name\tnotes\nZo\xc3\xab\tquiet\n"}
    for name, content in saved.items():
        (tmp_path / name).write_bytes(content)
    assert read_table(tmp_path / "utf8.csv") == [["name", "notes"], ["Zoë", "quiet, please"]]
    assert read_table(tmp_path / "excel.csv") == [["name", "notes"], ["Zoë", "quiet; please"]]
    assert read_table(tmp_path / "tabs.csv") == [["name", "notes"], ["Zoë", "quiet"]]
