"""The kinds the desk records keep the values the database stores; the business is a plain value."""

from zoneinfo import ZoneInfo

import frontdesk.domain
import frontdesk.models
from frontdesk.domain.business import Business
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Role, Tender
from frontdesk.domain.money import currency_for


def test_stored_values() -> None:
    assert [r.value for r in Role] == ["reception", "manager"]
    assert [k.value for k in EntryKind] == ["sale", "assign", "redeem", "reverse", "adjust", "void", "extend",
                                            "freeze", "unfreeze", "transfer", "import"]
    assert [s.value for s in AppointmentStatus] == ["booked", "completed", "cancelled", "no-show"]
    assert [t.value for t in Tender] == ["package", "cash", "card", "other"]


def test_a_kind_equals_its_stored_text() -> None:
    assert AppointmentStatus("no-show") is AppointmentStatus.NO_SHOW
    assert Tender.CARD == "card" and f"{Tender.CARD}" == "card"


def test_one_definition_everywhere() -> None:
    for kind in (Role, EntryKind, AppointmentStatus, Tender):
        assert getattr(frontdesk.domain, kind.__name__) is kind
        assert getattr(frontdesk.models, kind.__name__) is kind


def test_the_business_is_a_plain_value() -> None:
    paris = Business(tz=ZoneInfo("Europe/Paris"), currency=currency_for("EUR"))
    assert paris == Business(tz=ZoneInfo("Europe/Paris"), currency=currency_for("EUR"))
    assert paris.currency.code == "EUR" and paris.tz.key == "Europe/Paris"
    assert frontdesk.domain.Business is Business
