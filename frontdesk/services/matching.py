"""Finding customers by what staff type: the words of a query as the search text holds them, and
the conditions that match every one of them (customer search, the audit trail's customer filter)."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import col

from frontdesk.domain.contacts import fold, phone_digits
from frontdesk.models import Customer


def search_terms(query: str) -> list[str]:
    """The words of a query as they are indexed: folded (lower case, no accents), phone-like words
    as digits only."""
    words = []
    for word in fold(query).split():
        digits = phone_digits(word)
        if digits and re.fullmatch(r"[\d\s()+\-.]+", word):
            word = digits
        if word:
            words.append(word)
    # "555 12" typed for a phone: also try the digits joined
    if len(words) > 1 and all(word.isdigit() for word in words):
        words = ["".join(words)]
    return words


def contains_every(words: list[str]) -> list[Any]:
    """A condition per word: the customer's name, phone or email contains it."""
    return [col(Customer.search_text).like(f"%{like_escaped(word)}%", escape="\\") for word in words]


def like_escaped(word: str) -> str:
    """`word` with LIKE's wildcards escaped (by a backslash): a typed "%" is a character."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
