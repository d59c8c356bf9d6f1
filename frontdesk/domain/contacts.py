"""A customer's contact details: what a name, phone number, email address and note must be, the
same at the desk's customer form and in an imported file."""

from __future__ import annotations

import re

from frontdesk.domain.bounds import text_problem

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_MIN_DIGITS = 5
# the column sizes (PostgreSQL enforces them, SQLite does not: checked here so both behave alike)
MAX_LENGTH = {"name": 200, "phone": 40, "email": 200, "note": 1000}


def phone_digits(phone: str) -> str:
    """The digits of a phone number, what two numbers are compared by: "(555) 123-4567" → "5551234567"."""
    return re.sub(r"\D", "", phone)


def contact_errors(name: str, phone: str, email: str, note: str = "") -> dict[str, str]:
    """Field → message for each detail that will not do (the values as typed, trimmed here)."""
    name, phone, email, note = name.strip(), phone.strip(), email.strip(), note.strip()
    errors = {}
    if not name:
        errors["name"] = "Enter the customer's name."
    if phone and len(phone_digits(phone)) < PHONE_MIN_DIGITS:
        errors["phone"] = f"A phone number needs at least {PHONE_MIN_DIGITS} digits."
    if email and not EMAIL.match(email):
        errors["email"] = "That does not look like an email address."
    for field, value in (("name", name), ("phone", phone), ("email", email), ("note", note)):
        problem = text_problem(value, MAX_LENGTH[field], lines=field == "note")
        if problem:  # what cannot be saved at all comes before what does not look right
            errors[field] = problem
    return errors
