"""The kinds the desk records keep the values the database stores."""

import frontdesk.domain
import frontdesk.models
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Role, Tender


def test_stored_values() -> None:
    assert [r.value for r in Role] == ["reception", "manager"]
    assert [k.value for k in EntryKind] == ["sale", "assign", "redeem", "reverse", "adjust", "void"]
    assert [s.value for s in AppointmentStatus] == ["booked", "completed", "cancelled", "no-show"]
    assert [t.value for t in Tender] == ["package", "cash", "card", "other"]


def test_a_kind_equals_its_stored_text() -> None:
    assert AppointmentStatus("no-show") is AppointmentStatus.NO_SHOW
    assert Tender.CARD == "card" and f"{Tender.CARD}" == "card"


def test_one_definition_everywhere() -> None:
    for kind in (Role, EntryKind, AppointmentStatus, Tender):
        assert getattr(frontdesk.domain, kind.__name__) is kind
        assert getattr(frontdesk.models, kind.__name__) is kind
