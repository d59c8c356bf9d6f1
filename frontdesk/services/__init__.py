"""Use cases over a database session: catalogue, customers, sales, appointments, the ledger.

Each takes a `Session` first and returns plain read models (`frontdesk.services.views`);
`Desk` runs them in transactions for the screens.
"""
