"""Front Desk's pure domain rules: money, package terms, validity periods, coverage and plain words.

Standard library only: nothing here knows about the database or the screens. The modules form
layers, each importing only those below it: kinds, money, periods → business, words → terms →
facts → describe → coverage.
"""

from frontdesk.domain.business import Business
from frontdesk.domain.coverage import Coverage, Take, allows_day, covers, default_choice, rank
from frontdesk.domain.describe import (
    HoldingStatus,
    describe_amount,
    describe_balance,
    describe_expiry,
    describe_restrictions,
    format_duration,
    status,
)
from frontdesk.domain.facts import AppointmentFacts, HoldingFacts, LineBalance, opening_holding
from frontdesk.domain.kinds import AppointmentStatus, EntryKind, Role, Tender
from frontdesk.domain.money import Currency, currency_for, format_money, parse_money
from frontdesk.domain.periods import Period, PeriodUnit, add_period, local_date, local_time, to_local, valid_until
from frontdesk.domain.terms import (
    CatalogueFacts,
    Contents,
    FixedLine,
    Terms,
    ValidationErrors,
    ValueType,
    summary,
    validate_terms,
)

__all__ = [
    "AppointmentFacts",
    "AppointmentStatus",
    "Business",
    "CatalogueFacts",
    "Contents",
    "Coverage",
    "Currency",
    "EntryKind",
    "FixedLine",
    "HoldingFacts",
    "HoldingStatus",
    "LineBalance",
    "Period",
    "PeriodUnit",
    "Role",
    "Take",
    "Tender",
    "Terms",
    "ValidationErrors",
    "ValueType",
    "add_period",
    "allows_day",
    "covers",
    "currency_for",
    "default_choice",
    "describe_amount",
    "describe_balance",
    "describe_expiry",
    "describe_restrictions",
    "format_duration",
    "format_money",
    "local_date",
    "local_time",
    "opening_holding",
    "parse_money",
    "rank",
    "status",
    "summary",
    "to_local",
    "valid_until",
    "validate_terms",
]
