"""A customer's statement: her packages and every change with who and when, as HTML that shows
names as typed and as a PDF of the same page. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from frontdesk.documents.statement import file_name, render_html, write, write_both
from frontdesk.domain.kinds import Tender
from frontdesk.domain.terms import Terms, ValueType
from frontdesk.services import checkout, statement
from frontdesk.services.sales import TenderLine
from tests.store.conftest import Spa
from tests.store.test_examples import TUE, at

PACK = Terms(title="Massage Pack", value_type=ValueType.VISITS, quantity=5, all_services=False, price=35000)


def a_customer_with_history(spa: Spa) -> int:
    maria = spa.customer("Maria <b>Lopez</b>", phone="555 201 3344")
    pack = spa.sell(maria, spa.package(PACK, service_ids=(spa.swedish,)), now=spa.desk.now() - timedelta(days=3))
    visit = spa.book(maria, spa.swedish, at(TUE, 11))
    spa.desk.write(checkout.checkout, spa.desk.business, key="k", appointment_id=visit, package=pack)
    massage = spa.book(maria, spa.thai, at(TUE, 15))
    spa.desk.write(checkout.checkout, spa.desk.business, key="card", appointment_id=massage, package=None,
                   tenders=[TenderLine(Tender.CARD, 10000)])
    return maria


def test_the_statement_holds_her_packages_and_every_change(spa: Spa) -> None:
    maria = a_customer_with_history(spa)
    held = spa.desk.read(statement.statement, spa.desk.business, customer_id=maria)
    assert [(view.title, view.balance_text) for view in held.holdings] == [("Massage Pack", "4 of 5 visits")]
    assert [(line.kind, line.delta_text, line.staff_name) for line in held.history] == [
        ("redeem", "-1 visit", "Rita (reception)"), ("sale", "+5 visits", "Rita (reception)")]
    assert (held.at, held.prepared_by) == (spa.desk.now(), "Rita (reception)")


def test_the_html_shows_everything_and_names_as_typed(spa: Spa) -> None:
    maria = a_customer_with_history(spa)
    page = render_html(spa.desk.read(statement.statement, spa.desk.business, customer_id=maria), spa.desk.business)
    assert "Maria &lt;b&gt;Lopez&lt;/b&gt;" in page and "<b>Lopez</b>" not in page
    for text in ("(555) 201-3344", "Massage Pack", "4 of 5 visits", "Used Massage Pack", "Sold Massage Pack",
                 "-1 visit", "+5 visits", "Rita (reception)", "As of 2 Mar 2026 10:00 (America/New_York)"):
        assert text in page, text


def test_the_pdf_is_the_same_page(spa: Spa, tmp_path) -> None:  # noqa: ANN001
    maria = a_customer_with_history(spa)
    held = spa.desk.read(statement.statement, spa.desk.business, customer_id=maria)
    html, pdf = write_both(held, spa.desk.business, tmp_path / "statements")
    assert (html.name, pdf.name) == ("statement-maria-b-lopez-b-2026-03-02.html",
                                     "statement-maria-b-lopez-b-2026-03-02.pdf")
    assert html.read_text(encoding="utf-8") == render_html(held, spa.desk.business)
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 2000
    assert write(held, spa.desk.business, tmp_path / "x.htm").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert file_name(held, spa.desk.business, ".pdf") == pdf.name


def test_the_statement_shows_an_extension_and_a_freeze_with_the_new_expiry(spa: Spa) -> None:
    from frontdesk.domain.terms import Period, PeriodUnit
    from frontdesk.services import lifecycle

    maria = spa.customer("Maria Lopez")
    week = spa.sell(maria, spa.package(PACK, title="Week Pack", expires_in=Period(1, PeriodUnit.WEEKS),
                                       service_ids=(spa.swedish,)))  # 2 March: through 9 March
    manager = spa.desk.by(spa.manager)
    manager.write(lifecycle.extend, spa.desk.business, holding_id=week, days=7, reason="closed for works")
    manager.write(lifecycle.freeze, spa.desk.business, holding_id=week, first_day=spa.day(1), last_day=spa.day(3),
                  reason="travel")  # 3 days: 16 March → 19 March
    page = render_html(spa.desk.read(statement.statement, spa.desk.business, customer_id=maria), spa.desk.business)
    for text in ("Extended Week Pack", "closed for works (expiry 9 Mar → 16 Mar)", "to 16 Mar 2026",
                 "Frozen Week Pack", "to 19 Mar 2026", "frozen 3–5 Mar"):
        assert text in page, text
