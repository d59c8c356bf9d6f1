"""Front Desk's pure domain rules: money, package terms, validity periods, coverage and plain words.

Standard library only: nothing here knows about the database or the screens. The modules form
layers, each importing only those below it: kinds, money, periods → business, words → terms →
facts → describe → coverage and parsing (what staff type).
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
from frontdesk.domain.parsing import (
    delta_hint,
    next_half_hour,
    parse_amount,
    parse_clock,
    parse_count,
    parse_date,
    parse_dates,
    parse_day,
    parse_delta,
    parse_minutes,
    typed_money,
)
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
from frontdesk.domain.words import when_words

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
    "delta_hint",
    "describe_amount",
    "describe_balance",
    "describe_expiry",
    "describe_restrictions",
    "format_duration",
    "format_money",
    "local_date",
    "local_time",
    "next_half_hour",
    "opening_holding",
    "parse_amount",
    "parse_clock",
    "parse_count",
    "parse_date",
    "parse_dates",
    "parse_day",
    "parse_delta",
    "parse_minutes",
    "parse_money",
    "rank",
    "status",
    "summary",
    "to_local",
    "typed_money",
    "valid_until",
    "validate_terms",
    "when_words",
]
