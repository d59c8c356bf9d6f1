"""The two counter flows end to end, from the home screen, counting the keys pressed after the
customer's name is typed: paying an unpaid appointment from her balance (F3, target ≤ 4) and
selling a 5-visit pack at checkout and applying it (F2, target ≤ 8)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static

from frontdesk.app import FrontDeskApp
from frontdesk.screens.checkout import CheckoutScreen
from frontdesk.screens.customer import CustomerScreen
from frontdesk.screens.dialogs.receipt import ReceiptDialog
from frontdesk.screens.home import HomeScreen
from frontdesk.services import appointments, ledger
from tests.screens.customer_data import Spa


class Keys:
    """Presses keys one at a time, letting the screen settle after each, and counts them."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.count = 0

    async def settle(self) -> None:
        await self.pilot.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def type_name(self, name: str) -> None:
        self.pilot.app.screen.query_one("#search", Input).value = name  # typing the name is not counted
        await self.settle()

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            self.count += 1
            await self.settle()


async def test_f3_pay_an_unpaid_appointment_from_her_balance_in_four_keys(spa: Spa) -> None:
    holding = spa.sell(spa.massage_pack, days_ago=10)
    visit = spa.book(spa.at(0, 9))
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await keys.settle()
        await keys.type_name("Maria Lopez")
        await keys.press("enter")
        assert isinstance(app.screen, CustomerScreen)
        await keys.press("c")
        assert isinstance(app.screen, CheckoutScreen)
        await keys.press("enter")
        assert isinstance(app.screen, ReceiptDialog)
        assert "4 of 5 visits left" in str(app.screen.query_one("#receipt-balances", Static).content)
        await keys.press("enter")
        assert isinstance(app.screen, CustomerScreen)
        assert keys.count == 4
    assert spa.desk.read(appointments.get_appointment, visit).is_paid
    assert next(h for h in spa.holdings() if h.id == holding).balance_text == "4 of 5 visits"
    assert spa.desk.read(ledger.check) == []


async def test_f2_sell_a_pack_at_checkout_and_apply_it_in_six_keys(spa: Spa) -> None:
    visit = spa.book(spa.at(0, 9), customer=spa.john)
    app = FrontDeskApp(spa.desk)
    async with app.run_test(size=(100, 32)) as pilot:
        keys = Keys(pilot)
        await keys.settle()
        await keys.type_name("John Carter")
        await keys.press("enter", "c", "s")  # open her, checkout, sell & apply
        await keys.press("enter")  # the Massage Pack: the first package that covers a Swedish Massage
        await keys.press("enter")  # card for the full price: sold and applied in one transaction
        assert isinstance(app.screen, ReceiptDialog)
        receipt = app.screen.paid.receipt
        assert [(line.tender, line.amount) for line in receipt.payments] == [("card", 35000), ("package", 8000)]
        assert "Massage Pack: 4 of 5 visits left" in str(app.screen.query_one("#receipt-balances", Static).content)
        await keys.press("enter")
        assert isinstance(app.screen, CustomerScreen)
        assert keys.count == 6
        await keys.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press(*"Maria")  # the next customer: typing replaces the last search
        assert app.screen.query_one("#search", Input).value == "Maria"
    assert spa.desk.read(appointments.get_appointment, visit).is_paid
    [holding] = spa.holdings(spa.john)
    assert (holding.title, holding.balance_text) == ("Massage Pack", "4 of 5 visits")
    history = spa.desk.read(ledger.history, spa.business, customer_id=spa.john)
    assert [line.kind for line in history] == ["redeem", "sale"]
