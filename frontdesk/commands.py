"""The command palette's customer search: ctrl+p, type a name or phone, Enter opens her — from
any screen, beside the actions of the screen (see `FrontDeskApp.get_system_commands`)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import Hit, Hits, Provider

from frontdesk.services.customers import TRIGRAM, search_customers
from frontdesk.services.errors import FrontDeskError

if TYPE_CHECKING:
    from frontdesk.app import FrontDeskApp

LIMIT = 8


class CustomerSearch(Provider):
    """Customers whose name, phone or email matches what is typed in the palette."""

    async def search(self, query: str) -> Hits:
        query = query.strip()
        app = cast("FrontDeskApp", self.app)
        if len(query) < TRIGRAM or app.desk.staff is None:  # nobody signed in: nothing to find
            return
        try:  # the database is read in a thread: the palette keeps taking keys
            found = await asyncio.to_thread(app.desk.read, search_customers, query, limit=LIMIT)
        except FrontDeskError:
            return
        for rank, customer in enumerate(found):
            contact = " · ".join(part for part in (customer.phone, customer.email) if part)
            yield Hit(
                1.0 - rank / (LIMIT * 2),
                Text.assemble("Customer: ", (customer.name, "bold")),
                lambda customer=customer: app.show_customer(customer),
                text=f"Customer: {customer.name}",
                help=contact or f"open {customer.name}'s page",
            )
