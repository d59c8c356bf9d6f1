"""What `frontdesk check` looks at beyond the balances: values stored where no use case would
put them, and package payments that do not match their ledger entries. Read-only, and it survives
any stored value (a REAL or text in an integer column, sums beyond 64 bits): it reports the row.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Integer, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

import frontdesk.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from frontdesk.services import ledger
from frontdesk.services.ledger import Mismatch


def stored_value_problems(session: Session) -> list[str]:
    """Every integer column holding something else (SQLite stores what it is given: a REAL for an
    integer beyond 64 bits, or text), as 'table id: column is real 9.2e+18'. PostgreSQL cannot
    hold such values: none there."""
    if session.get_bind().dialect.name != "sqlite":
        return []
    problems = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [column.name for column in table.columns if isinstance(column.type, Integer)]
        if not columns or "id" not in table.columns:
            continue
        odd = " OR ".join(f"typeof({name}) NOT IN ('integer', 'null')" for name in columns)
        shown = ", ".join(f"typeof({name}), quote({name})" for name in columns)
        rows = session.connection().exec_driver_sql(
            f"SELECT id, {shown} FROM {table.name} WHERE {odd} ORDER BY id")  # names from our own models
        for row in rows:
            for position, name in enumerate(columns):
                kind, value = row[1 + 2 * position], row[2 + 2 * position]
                if kind not in ("integer", "null"):
                    problems.append(f"{table.name} {row[0]}: {name} is {kind} {value}, not a whole number")
    return problems


def balance_mismatches(session: Session) -> list[Mismatch]:
    """`ledger.check`, or the same comparison in exact Python arithmetic when the database cannot
    add the entries up (SQLite's SUM overflows beyond 64 bits)."""
    try:
        return ledger.check(session)
    except SQLAlchemyError:
        session.rollback()
    sums: dict[int, int | float] = defaultdict(int)
    for line_id, delta in session.connection().execute(text("SELECT line_id, delta FROM ledger_entry")):
        if isinstance(delta, int | float):
            sums[line_id] += delta
    lines = session.connection().execute(text("SELECT holding_id, id, remaining FROM holding_line "
                                              "ORDER BY holding_id, id"))
    return [Mismatch(holding_id=holding_id, line_id=line_id, cached=cached, ledger_sum=sums.get(line_id, 0))
            for holding_id, line_id, cached in lines if cached != sums.get(line_id, 0)]


# Each query finds one way a package payment can disagree with the ledger: (id, what is wrong).
_PAYMENT_RULES = [
    ("SELECT p.id, 'payment ' || p.id || ': paid by package without a ledger entry' FROM payment p "
     "WHERE p.tender = 'package' AND (p.entry_id IS NULL OR NOT EXISTS "
     "(SELECT 1 FROM ledger_entry e WHERE e.id = p.entry_id))"),
    ("SELECT p.id, 'payment ' || p.id || ': a ' || p.tender || ' payment points at ledger entry ' || p.entry_id "
     "FROM payment p WHERE p.tender <> 'package' AND p.entry_id IS NOT NULL"),
    ("SELECT e.id, 'ledger entry ' || e.id || ' (' || e.kind || '): ' || count(p.id) || ' payments instead of one' "
     "FROM ledger_entry e LEFT JOIN payment p ON p.entry_id = e.id WHERE e.kind IN ('redeem', 'reverse') "
     "GROUP BY e.id, e.kind HAVING count(p.id) <> 1"),
    ("SELECT e.id, 'ledger entry ' || e.id || ' (' || e.kind || '): paid for by payment ' || p.id || "
     "', but only redemptions and reversals are' FROM ledger_entry e JOIN payment p ON p.entry_id = e.id "
     "WHERE e.kind NOT IN ('redeem', 'reverse')"),
    ("SELECT p.id, 'payment ' || p.id || ': holding ' || coalesce(CAST(p.holding_id AS TEXT), 'none') || "
     "' and appointment ' || coalesce(CAST(p.appointment_id AS TEXT), 'none') || ', but its ledger entry ' || "
     "e.id || ' has holding ' || e.holding_id || ' and appointment ' || "
     "coalesce(CAST(e.appointment_id AS TEXT), 'none') FROM payment p JOIN ledger_entry e ON e.id = p.entry_id "
     "WHERE p.holding_id IS DISTINCT FROM e.holding_id "
     "OR p.appointment_id IS DISTINCT FROM e.appointment_id"),
    ("SELECT p.id, 'payment ' || p.id || ': ' || p.amount || ' for a ' || e.kind || ' entry (a redemption pays, "
     "a reversal gives back)' FROM payment p JOIN ledger_entry e ON e.id = p.entry_id "
     "WHERE (e.kind = 'redeem' AND (p.amount < 0 OR e.delta > 0)) OR (e.kind = 'reverse' AND (p.amount > 0 "
     "OR e.delta < 0))"),
    ("SELECT p.id, 'payment ' || p.id || ': ' || p.amount || ' from a money package, but its ledger entry ' || "
     "e.id || ' moves ' || e.delta FROM payment p JOIN ledger_entry e ON e.id = p.entry_id "
     "JOIN holding h ON h.id = e.holding_id WHERE h.unit = 'money' AND p.amount <> -e.delta"),
    ("SELECT v.id, 'ledger entry ' || v.id || ' (reverse): gives back ' || v.delta || ' and ' || pv.amount || "
     "', but the redemption ' || r.id || ' took ' || r.delta || ' and ' || pr.amount "
     "FROM ledger_entry v JOIN ledger_entry r ON r.appointment_id = v.appointment_id AND r.seq = v.seq "
     "AND r.kind = 'redeem' JOIN payment pv ON pv.entry_id = v.id JOIN payment pr ON pr.entry_id = r.id "
     "WHERE v.kind = 'reverse' AND (v.delta <> -r.delta OR pv.amount <> -pr.amount)"),
    ("SELECT v.id, 'ledger entry ' || v.id || ' (reverse): no redemption of appointment ' || "
     "coalesce(CAST(v.appointment_id AS TEXT), 'none') || ' to give back' FROM ledger_entry v WHERE v.kind = 'reverse' "
     "AND NOT EXISTS (SELECT 1 FROM ledger_entry r WHERE r.appointment_id = v.appointment_id "
     "AND r.seq = v.seq AND r.kind = 'redeem')"),
]


def payment_problems(session: Session) -> list[str]:
    """Package payments against ledger entries: every redemption and reversal has exactly one
    package payment and every package payment its entry, on the same holding and appointment;
    a redemption is paid, a reversal gives back what its redemption took; a money package pays
    what its entry moves."""
    connection = session.connection()
    found: list[str] = []
    for rule in _PAYMENT_RULES:
        found += [message for _, message in connection.execute(text(rule))]
    return found


def count_package_payments(session: Session) -> int:
    """How many payments by package there are (what the cross-check looked at)."""
    return session.connection().execute(text("SELECT count(*) FROM payment WHERE tender = 'package'")).scalar_one()
