"""Customers: create, edit, find by name / phone / email fragments, warn about duplicates, and
merge two records of one person (managers).

Search stays instant at a chain's million customers on both databases. Each word typed must appear
somewhere in the search text, "name phone-key email" folded (lower case, no accents:
`contacts.search_text`); what is typed is folded alike, so "zoe" finds Zoë and "zoë" finds Zoe.
Phones match whatever spaces or dashes were typed. The best first: customers whose name has a word
starting with each word typed, then those whose name contains them, then those whose name, phone
or email has a word starting with each (the phone's digits from a group as written: "201-1234" or
"1234" for "(555) 201-1234"; an email's words as FTS5 splits them: "example.com"), then the
other phone and email matches; among equals a name that starts with all that was typed (those in
the order of the folded name, so "Ánna" and "anna" sort with "Anna"), then name order. Words
starting a word of a name, phone or email are looked up in a B-tree of each from every word on
(`customer_word`, kept by the use cases here): the whole names walked in the order results are
shown and stopped at the limit, the rest from the rarest word's range or the name order walked;
fragments inside words in a trigram index (FTS5 on SQLite, pg_trgm GIN on PostgreSQL).

A phone number is kept in one form and compared by its E.164 digits (`contacts.read_phone`,
read in the business's `phone_region`), so duplicates are found across formats and country codes.
A customer merged into another stays for the history that names her, and is found nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from math import isqrt
from operator import add
from time import monotonic
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, text, union_all, update
from sqlmodel import Session, col, select

from frontdesk.domain.business import Business
from frontdesk.domain.contacts import (
    contact_errors, contact_words, fold, name_words, phone_key, read_phone, search_text,
)
from frontdesk.domain.periods import local_date
from frontdesk.models import Appointment, Checkout, Customer, CustomerWord, Holding
from frontdesk.services import appointments, ledger
from frontdesk.services.audit import AuditKind, record
from frontdesk.services.errors import DuplicateCustomer, InvalidInput, NotFound, require_reason
from frontdesk.services.matching import contains_every, like_escaped, search_terms
from frontdesk.services.roles import clock, require_manager, require_staff
from frontdesk.services.views import (
    AppointmentView,
    CustomerView,
    HoldingView,
    LedgerLine,
    customer_view,
)

TRIGRAM = 3  # the index finds fragments of at least this many characters
TRIGRAM_TABLES = ("customer_fts_name", "customer_fts")  # SQLite: the folded names; all the search text
SEARCH_NAME_LENGTH = 400  # the folded name's column


def _validated(business: Business, name: str, phone: str, email: str, note: str = "") -> tuple[str, str, str]:
    """The details in the form they are kept (the phone number written one way), or InvalidInput."""
    errors = contact_errors(name, phone, email, note, region=business.phone_region)
    if errors:
        raise InvalidInput(errors)
    phone = read_phone(phone, business.phone_region).shown if phone.strip() else ""
    return name.strip(), phone, email.strip()


def find_duplicates(
    session: Session, business: Business, *, phone: str = "", email: str = "", exclude_id: int | None = None
) -> list[CustomerView]:
    """Customers with the same phone number (in any format: "555.201.1234" is "+1 555 201 1234")
    or the same email (in any case); customers merged into another are not among them."""
    conditions = []
    if key := phone_key(phone, business.phone_region):
        conditions.append(Customer.phone_digits == key)
    if email.strip():
        conditions.append(func.lower(Customer.email) == email.strip().lower())
    if not conditions:
        return []
    statement = (select(Customer).where(or_(*conditions), col(Customer.merged_into_id).is_(None))
                 .order_by(Customer.name, Customer.id).limit(10))
    if exclude_id is not None:
        statement = statement.where(Customer.id != exclude_id)
    return [customer_view(row) for row in session.exec(statement)]


def fill_search(customer: Customer, region: str) -> Customer:
    """Fill in what search and duplicates read (the folded texts, the phone's key) from her details."""
    customer.phone_digits = phone_key(customer.phone, region)
    customer.search_text = search_text(customer.name, customer.phone, customer.email, region)
    customer.search_name = fold(customer.name)[:SEARCH_NAME_LENGTH]
    return customer


def customer_row(business: Business, *, name: str, phone: str, email: str, note: str, at: datetime) -> Customer:
    """A new customer's row with what search reads filled in; the details must have passed
    `contact_errors` (the phone number is written in its one form here)."""
    name, email = name.strip(), email.strip()
    phone = read_phone(phone, business.phone_region).shown if phone.strip() else ""
    return fill_search(Customer(name=name, phone=phone, email=email, note=note.strip(), created_at=at),
                       business.phone_region)


def create_customer(
    session: Session, business: Business, *, name: str, phone: str = "", email: str = "", note: str = "",
    allow_duplicate: bool = False,
) -> CustomerView:
    """A new customer. A same phone or email raises DuplicateCustomer unless `allow_duplicate`."""
    actor = require_staff(session)
    name, phone, email = _validated(business, name, phone, email, note)
    if not allow_duplicate:
        duplicates = find_duplicates(session, business, phone=phone, email=email)
        if duplicates:
            raise DuplicateCustomer([(match.id, match.name) for match in duplicates])
    customer = customer_row(business, name=name, phone=phone, email=email, note=note, at=clock(session))
    session.add(customer)
    session.flush()
    index_words(session, customer)
    record(session, kind=AuditKind.CUSTOMER_ADDED, at=clock(session), staff_id=actor, customer_id=customer.id,
           subject=f"customer {customer.id}", detail=_contact(customer))
    return customer_view(customer)


def _contact(customer: Customer) -> str:
    return " · ".join(part for part in (customer.name, customer.phone, customer.email, customer.note) if part)


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    return customer


def update_customer(
    session: Session, business: Business, *, customer_id: int, name: str, phone: str = "", email: str = "",
    note: str = "", allow_duplicate: bool = False,
) -> CustomerView:
    actor = require_staff(session)
    customer = _customer(session, customer_id)
    name, phone, email = _validated(business, name, phone, email, note)
    if not allow_duplicate:
        duplicates = find_duplicates(session, business, phone=phone, email=email, exclude_id=customer_id)
        if duplicates:
            raise DuplicateCustomer([(match.id, match.name) for match in duplicates])
    customer.name, customer.phone, customer.email, customer.note = name, phone, email, note.strip()
    fill_search(customer, business.phone_region)
    session.add(customer)
    session.flush()
    index_words(session, customer)
    record(session, kind=AuditKind.CUSTOMER_EDITED, at=clock(session), staff_id=actor, customer_id=customer.id,
           subject=f"customer {customer.id}", detail=_contact(customer))
    return customer_view(customer)


def get_customer(session: Session, customer_id: int) -> CustomerView:
    return customer_view(_customer(session, customer_id))


# ---- search ----------------------------------------------------------------------------------

TOP = "\U0010ffff"  # sorts after every letter: ("ann", "ann" + TOP) holds all that starts with "ann"
WALK = 1000  # rows of name order looked at before an index is asked for rarer matches
FEWEST_SORTED = 1000  # matches always sorted rather than found by walking the name order
SORT_WEIGHT = 4  # reading a row of the customer table and testing it costs about this many index entries
WHOLE, NAME, CONTACT = 0, 1, 2  # the kinds of rows of the prefix index (`models.CustomerWord.kind`)
NAMES = (WHOLE, NAME)
ANY = (WHOLE, NAME, CONTACT)


SHOWN = (Customer.id, Customer.name, Customer.phone, Customer.email, Customer.note)  # what `customer_view` reads
Found = Any  # a row of `SHOWN` or a Customer: what `customer_view` reads


def _rows(customer_id: int, name: str, search_name: str, phone: str, key: str, email: str) -> list[dict[str, Any]]:
    words = [(WHOLE if at == 0 else NAME, word) for at, word in enumerate(name_words(search_name))]
    words += [(CONTACT, word) for word in contact_words(phone, key, email)]
    return [{"customer_id": customer_id, "word": word, "kind": kind, "name": name} for kind, word in words]


def word_rows(customer: Customer) -> list[dict[str, Any]]:
    """Her rows of the prefix index (`models.CustomerWord`); none once she is merged into another."""
    if customer.merged_into_id is not None:
        return []
    return _rows(customer.id, customer.name, customer.search_name, customer.phone, customer.phone_digits or "",
                 customer.email)


def index_words(session: Session, customer: Customer) -> None:
    """Keep her rows of the prefix index in step with her name, phone and email (after they are flushed)."""
    session.execute(delete(CustomerWord).where(col(CustomerWord.customer_id) == customer.id))
    rows = word_rows(customer)
    if rows:
        session.execute(insert(CustomerWord), rows)


def rebuild_search_index(connection: Connection | Session, batch: int = 5000) -> None:
    """Fill the prefix index afresh from the customer table, in bulk: for files made before it
    existed (the migration) and for loaders that insert customers without the use cases."""
    connection.execute(delete(CustomerWord))
    last = 0
    while True:
        found = connection.execute(
            select(Customer.id, Customer.name, Customer.search_name, Customer.phone, Customer.phone_digits,
                   Customer.email)
            .where(col(Customer.id) > last, col(Customer.merged_into_id).is_(None))
            .order_by(Customer.id).limit(batch)).all()
        if not found:
            break
        last = found[-1].id
        rows = [word for row in found for word in _rows(row.id, row.name, row.search_name, row.phone or "",
                                                         row.phone_digits or "", row.email or "")]
        if rows:
            connection.execute(insert(CustomerWord), rows)
    dialect = connection.get_bind().dialect if isinstance(connection, Session) else connection.dialect
    if dialect.name == "postgresql":  # the planner's figures for the new rows
        connection.execute(text("ANALYZE customer_word"))


_SCALES: WeakKeyDictionary[Engine, tuple[float, int, int, str | None]] = WeakKeyDictionary()
SCALE_AGE = 60.0  # seconds the figures below are reused for: they only choose plans, never change results


def _scale(session: Session) -> tuple[int, str | None]:
    """About how many customers there are (the highest id), what makes a set of matches common; and
    the name `WALK` rows down the name order (None when there are fewer), where a walk looking for
    common matches gives up. Read once a minute per database: stale figures cost time, never a
    wrong result (a walk to any name is a prefix of the name order; an unbounded one is complete)."""
    engine = session.get_bind()
    known = _SCALES.get(engine)
    if known is not None and known[1] == WALK and monotonic() - known[0] < SCALE_AGE:
        return known[2], known[3]
    walk_end = select(Customer.name).order_by(Customer.name).offset(WALK - 1).limit(1).scalar_subquery()
    customers, end = session.execute(select(func.max(Customer.id), walk_end)).one()
    _SCALES[engine] = (monotonic(), WALK, customers or 0, end)
    return customers or 0, end


def _fts_match(words: list[str]) -> str:
    """An FTS5 query for rows containing every word (of at least `TRIGRAM` letters)."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words if len(word) >= TRIGRAM)


class _Query:
    """What was typed, folded into words, the conditions of each rank on the customer row, and how
    many rows each word's ranges of the prefix index hold (counted once, up to a bound)."""

    def __init__(self, session: Session, words: list[str], limit: int) -> None:
        self.session, self.words = session, words
        self.typed = " ".join(words)
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.customers, self.walk_end = _scale(session)
        self.most = self.sorted_at_most(limit)  # more matches than this are common

    @cached_property
    def _counts(self) -> list[int]:
        """In one statement asked when first needed, for each word: the rows of names and of
        contacts starting with it, each count stopping past `most` (more is common)."""
        params: dict[str, Any] = {"most": self.most + 1}
        for at, word in enumerate(self.words):
            params[f"word{at}"], params[f"top{at}"] = word, word + TOP
        return list(self.session.execute(_counting(len(self.words)), params).one())

    @property
    def names(self) -> list[int]:
        """For each word, the rows of the prefix index of names starting with it (see `_counts`)."""
        return self._counts[0::2]

    @property
    def contacts(self) -> list[int]:
        """For each word, the rows of the prefix index of phones and emails starting with it."""
        return self._counts[1::2]

    @cached_property
    def trigrams(self) -> dict[str, int] | None:
        """On SQLite, the customers each trigram table holds every long word in, counted up to past
        `most`, in one statement asked when a fragment's rank is first needed; None when there are
        no such words or counts (PostgreSQL)."""
        match = _fts_match(self.words) if self.sqlite else ""
        if not match:
            return None
        counted = self.session.execute(_counting_trigrams(), {"most": self.most + 1, "match": match}).one()
        return dict(zip(TRIGRAM_TABLES, counted))

    def params(self, order: list[int] | None = None, **more: Any) -> dict[str, Any]:
        """The values bound in the written-out statements: each word typed (in `order`) as a range
        of the prefix index and as LIKE patterns, and `more`."""
        params = dict(more)
        for at, word in enumerate(self.words[index] for index in (order or range(len(self.words)))):
            escaped = like_escaped(word)
            params.update({f"word{at}": word, f"top{at}": word + TOP, f"inside{at}": f"%{escaped}%",
                           f"start{at}": f"{escaped}%", f"space{at}": f"% {escaped}%", f"hyphen{at}": f"%-{escaped}%"})
        return params

    def written(self, statement: Any, order: list[int] | None = None, **more: Any) -> list[Found]:
        """The customers a written-out statement selects, the words bound in `order`."""
        return list(self.session.execute(statement, self.params(order, **more)))

    def more_fragments(self, table: str, found: int) -> bool:
        """Whether the trigram table `table` may hold matches besides the `found` so far: its
        matches hold them all, so counted (not common) and as many means none are left."""
        return self.trigrams is None or self.trigrams[table] > min(found, self.most)

    def like(self, pattern: str) -> Any:
        return col(Customer.search_name).like(pattern, escape="\\")

    @property
    def whole(self) -> Any:
        """Her name starts with all that was typed."""
        return self.like(f"{like_escaped(self.typed)}%")

    @property
    def word_starts(self) -> Any:
        """A word of her name starts with each word typed."""
        return and_(*(or_(self.like(f"{word}%"), self.like(f"% {word}%"), self.like(f"%-{word}%"))
                      for word in map(like_escaped, self.words)))

    @property
    def inside(self) -> Any:
        """Her name contains each word typed."""
        return and_(*(self.like(f"%{like_escaped(word)}%") for word in self.words))

    @property
    def any_starts(self) -> Any:
        """A word of her name, phone or email starts with each word typed (a row of hers in the
        prefix index does: one seek of its primary key per word)."""
        return and_(*(select(CustomerWord.customer_id).where(
            col(CustomerWord.customer_id) == Customer.id, col(CustomerWord.word) >= word,
            col(CustomerWord.word) < word + TOP).exists() for word in self.words))

    def sorted_at_most(self, limit: int) -> int:
        """Matches beyond this many are found faster by walking the name order (each about
        `customers / matches` rows apart) than by sorting them all: about √(limit · customers)."""
        return max(FEWEST_SORTED, isqrt(SORT_WEIGHT * limit * self.customers))

    def ids(self, statement: Any) -> list[Found]:
        """The customers `statement` selects, in its order: the columns shown, read as plain rows
        (making an ORM object of each costs more than finding it)."""
        return list(self.session.execute(statement.with_only_columns(*SHOWN)))

    def walked(self, condition: Any, limit: int) -> list[Found] | None:
        """The first `limit` matches of `condition` in name order when they lie among the first
        `WALK` rows of it, else None: common matches are met long before the walk's end."""
        end = self.walk_end
        if end is None:
            return self.ids(_in_name_order(condition, limit))
        found = self.ids(_in_name_order(and_(col(Customer.name) <= end, condition), limit))
        return found if len(found) >= limit else None

    def sorted_from(self, sizes: list[int], kinds: tuple[int, ...], limit: int) -> list[Found]:
        """The first `limit` of rank 0 after the whole names (`kinds`: her names') or of rank 2 (all
        kinds) among the customers with a row of `kinds` starting with each word typed, sorted by
        name: driven by the range of the rarest word (`sizes`: each word's rows; the longest of
        the common), the others' ranges asked only when they are not common, or when none is."""
        order = sorted(range(len(self.words)), key=lambda at: (sizes[at], -len(self.words[at])))
        rare = [at for at in order[1:] if sizes[at] <= self.most or sizes[order[0]] > self.most]
        order = order[:1] + rare + [at for at in order[1:] if at not in rare]
        return self.written(_sorted(len(self.words), len(rare), kinds), order, limit=limit,
                            whole=f"{like_escaped(self.typed)}%")


def _bounded(rows: str) -> str:
    return f"(SELECT count(*) FROM ({rows} LIMIT :most) AS counted)"


@cache
def _counting(words: int) -> Any:
    """The statement of `_Query._counts` for so many words; written out once per shape (built from
    expressions on each key it would cost more than running it)."""
    return text("SELECT " + ", ".join(
        _bounded(f"SELECT 1 FROM customer_word WHERE kind IN ({', '.join(map(str, kinds))}) "
                 f"AND word >= :word{at} AND word < :top{at}")
        for at in range(words) for kinds in (NAMES, (CONTACT,))))


@cache
def _counting_trigrams() -> Any:
    """The statement of `_Query.trigrams`."""
    return text("SELECT " + ", ".join(_bounded(f"SELECT rowid FROM {table} WHERE {table} MATCH :match")
                                      for table in TRIGRAM_TABLES))


# Statements asked on most keys of a fragment, written out once per number of words: building them
# from expressions on each key costs more than running them. Their values: `_Query.params`.
def _every(condition: str, words: int) -> str:
    return " AND ".join(condition.format(at=at) for at in range(words))


def _range(at: int, kinds: tuple[int, ...]) -> str:
    return f"kind IN ({', '.join(map(str, kinds))}) AND word >= :word{at} AND word < :top{at}"


SHOWN_COLUMNS = ", ".join(f"customer.{column.key}" for column in SHOWN)
INSIDE = "customer.search_name LIKE :inside{at} ESCAPE '\\'"  # her name contains the word
CONTAINS = "customer.search_text LIKE :inside{at} ESCAPE '\\'"  # her name, phone or email does
WORD_START = ("(customer.search_name LIKE :start{at} ESCAPE '\\' OR customer.search_name LIKE :space{at} "
              "ESCAPE '\\' OR customer.search_name LIKE :hyphen{at} ESCAPE '\\')")  # a word of her name starts so
ANY_START = ("EXISTS (SELECT 1 FROM customer_word AS own WHERE own.customer_id = customer.id "
             "AND own.word >= :word{at} AND own.word < :top{at})")  # a word of her name, phone or email does


@cache
def _sorted(words: int, others: int, kinds: tuple[int, ...]) -> Any:
    """Among the customers with a row of `kinds` starting with the first word (the rarest) and
    with each of the `others` after it (those not common), sorted by name: rank 0 after the whole
    names (`kinds` her names') or rank 2 (all kinds)."""
    candidates = " AND ".join([_range(0, kinds)] + [
        f"customer_id IN (SELECT customer_id FROM customer_word WHERE {_range(at, kinds)})"
        for at in range(1, 1 + others)])
    rank = (f"{_every(WORD_START, words)} AND NOT customer.search_name LIKE :whole ESCAPE '\\'" if kinds == NAMES
            else f"{_every(ANY_START, words)} AND NOT ({_every(INSIDE, words)})")
    return text(
        f"SELECT {SHOWN_COLUMNS} FROM (SELECT DISTINCT customer_id, name FROM customer_word WHERE {candidates}) "
        f"AS candidates JOIN customer ON customer.id = candidates.customer_id WHERE {rank} "
        "AND customer.merged_into_id IS NULL ORDER BY candidates.name, candidates.customer_id LIMIT :limit")


@cache
def _fragments_sorted(words: int, table: str) -> Any:
    """SQLite: rank 1 (among the matches of the folded names' trigram table) or rank 3 (among
    those of the search text's), sorted by name."""
    rank = (f"{_every(INSIDE, words)} AND NOT ({_every(WORD_START, words)})" if table == "customer_fts_name"
            else f"{_every(CONTAINS, words)} AND NOT ({_every(INSIDE, words)}) AND NOT ({_every(ANY_START, words)})")
    return text(
        f"SELECT {SHOWN_COLUMNS} FROM customer WHERE customer.id IN (SELECT rowid FROM {table} "
        f"WHERE {table} MATCH :match) AND {rank} AND customer.merged_into_id IS NULL "
        "ORDER BY customer.name, customer.id LIMIT :limit")


def _prefix(word: str, kinds: tuple[int, ...] = NAMES) -> Any:
    """Rows of the prefix index of `kinds` starting with `word`: one range of the B-tree per kind."""
    return and_(col(CustomerWord.kind).in_(kinds), col(CustomerWord.word) >= word, col(CustomerWord.word) < word + TOP)


def _in_name_order(condition: Any, limit: int) -> Any:
    return select(Customer).where(condition, col(Customer.merged_into_id).is_(None)) \
        .order_by(Customer.name, Customer.id).limit(limit)


def _whole_names(query: _Query, limit: int) -> list[Found]:
    """Rank 0, first: names that start with all that was typed, in the order of the folded name
    (then the name): the prefix index's range walked in its own order and stopped at `limit`,
    however many names start so. Asked on every key, so written out once (see `_counting`)."""
    return list(query.session.execute(WHOLE_NAMES, {"typed": query.typed, "top": query.typed + TOP, "limit": limit}))


WHOLE_NAMES = text(
    f"SELECT {SHOWN_COLUMNS} FROM (SELECT customer_id, word, name "
    f"FROM customer_word WHERE kind = {WHOLE} AND word >= :typed AND word < :top "
    "ORDER BY word, name, customer_id LIMIT :limit) AS first JOIN customer ON customer.id = first.customer_id "
    "ORDER BY first.word, first.name, first.customer_id")


def _word_starts(query: _Query, limit: int) -> list[Found]:
    """Rank 0, then: the other names with a word starting with each word typed, in name order.
    One common word typed alone is met often enough walking the name order; else the candidates
    are those in the range of the prefix index of the rarest word typed (and in the others' when
    each is common: together they may be rare, and met only late in the name order, where the
    first names typed cluster), sorted."""
    if min(query.names) > query.most and len(query.words) == 1:
        return query.ids(_in_name_order(and_(query.word_starts, ~query.whole), limit))
    return query.sorted_from(query.names, NAMES, limit)


def _contact_starts(query: _Query, limit: int) -> list[Found]:
    """Rank 2: a word of her name, phone or email starts with each word typed (not all in her
    name), in name order: the range of the prefix index of the rarest word typed sorted when it
    is not common; else met walking the name order, or in the index when the walk is too short."""
    sizes = [min(names + contacts, query.most + 1) for names, contacts in zip(query.names, query.contacts)]
    if min(sizes) > query.most and (walked := query.walked(and_(query.any_starts, ~query.inside), limit)) is not None:
        return walked
    return query.sorted_from(sizes, ANY, limit)


def _by_trigrams(query: _Query, condition: Any, table: str, limit: int) -> list[Found]:
    """Matches of `condition` (fragments inside words: rank 1's with `customer_fts_name`, the
    folded names; rank 3's with `customer_fts`, the search text) in name order: among the first
    `WALK` rows of the name order when they are common, else found by the trigram index: on
    SQLite the FTS5 table `table` (few matches sorted, by a written-out statement), on
    PostgreSQL pg_trgm's GIN index, which serves the LIKE conditions themselves."""
    if query.walk_end is None:  # fewer customers than a walk: walk them all
        return query.ids(_in_name_order(condition, limit))
    if query.sqlite:  # in the process: the counts chose the plan
        match = _fts_match(query.words)
        if not match:  # no word long enough for the index: the name order walked to the limit
            return query.ids(_in_name_order(condition, limit))
        assert query.trigrams is not None
        indexed = and_(col(Customer.id).in_(
            text(f"SELECT rowid FROM {table} WHERE {table} MATCH :match").bindparams(match=match)), condition)
        if query.trigrams[table] <= query.most:  # few: sorted
            return query.written(_fragments_sorted(len(query.words), table), match=match, limit=limit)
        walked = query.walked(condition, limit)
        return walked if walked is not None else query.ids(_in_name_order(indexed, limit))
    # one round trip to the server: the lookup runs only when the walk found too few
    walk = _in_name_order(and_(col(Customer.name) <= query.walk_end, condition), limit).cte("walk")
    enough = select(func.count()).select_from(walk).scalar_subquery() >= limit
    looked_up = _in_name_order(condition, limit).subquery("looked_up")
    found = union_all(select(walk).where(enough), select(looked_up).where(~enough)).subquery("found")
    return list(query.session.execute(select(Customer).from_statement(
        select(found).order_by(found.c.name, found.c.id))).scalars())


def search_customers(session: Session, query: str, limit: int = 50) -> list[CustomerView]:
    """Customers whose name, phone or email contain every word of `query` (accents and case aside),
    best first (see the module's note); customers merged into another are not found.

    Each rank is asked in turn until `limit` are found, each in the order it returns, so no plan
    sorts every match; a rank that counts in the indexes show empty is not asked. Names starting
    with what was typed, names, phones and emails with words starting with it come from the
    prefix index (a range of it when it is short, else the name order walked until enough
    match); fragments inside a name, then inside a phone or email, from the trigram index unless
    they are common enough to be met walking the name order."""
    words = search_terms(query)
    if not words or limit <= 0:
        return []
    typed = _Query(session, words, limit)
    found = _whole_names(typed, limit)
    if len(found) < limit and min(typed.names) > 0:
        found += _word_starts(typed, limit - len(found))
    if len(found) < limit and typed.more_fragments("customer_fts_name", len(found)):
        found += _by_trigrams(typed, and_(typed.inside, ~typed.word_starts), "customer_fts_name", limit - len(found))
    if len(found) < limit and min(map(add, typed.names, typed.contacts)) > 0 and max(typed.contacts) > 0:
        found += _contact_starts(typed, limit - len(found))
    if len(found) < limit and typed.more_fragments("customer_fts", len(found)):
        found += _by_trigrams(typed, and_(*contains_every(words), ~typed.inside, ~typed.any_starts), "customer_fts",
                              limit - len(found))
    return [customer_view(customer) for customer in found]


# ---- merging two records of one person (managers) -------------------------------------------

CONTACT_FIELDS = ("phone", "email", "note")  # filled on the kept customer when hers are empty


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What merging `merged` into `kept` will do: what moves, which empty details get filled."""

    kept: CustomerView
    merged: CustomerView
    holdings: int
    appointments: int
    checkouts: int
    filled: tuple[str, ...]  # the kept customer's empty details taken from the merged one

    @property
    def moves(self) -> str:
        """What moves, in words: "2 packages, 5 appointments" ("nothing" when nothing does)."""
        parts = [_count(self.holdings, "package"), _count(self.appointments, "appointment")]
        return ", ".join(part for part in parts if part) or "nothing"

    @property
    def summary(self) -> str:
        """"2 packages, 5 appointments moved from Maria Lopes (#41); email filled in"."""
        words = f"{self.moves} moved from {self.merged.name} (#{self.merged.id})"
        return words + (f"; {' and '.join(self.filled)} filled in" if self.filled else "")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}" if number else ""


def _merging(session: Session, keep_id: int, merge_id: int, *, lock: bool = False) -> tuple[Customer, Customer]:
    if keep_id == merge_id:
        raise InvalidInput({"customer": "Choose another customer: a customer cannot be merged into herself."})
    statement = select(Customer).where(col(Customer.id).in_([keep_id, merge_id])).order_by(Customer.id)
    found = {row.id: row for row in session.exec(statement.with_for_update() if lock else statement)}
    if keep_id not in found or merge_id not in found:
        raise NotFound("No such customer.")
    kept, merged = found[keep_id], found[merge_id]
    for customer in (kept, merged):
        if customer.merged_into_id is not None:
            raise InvalidInput({"customer": f"{customer.name} (#{customer.id}) was already merged into "
                                            f"customer #{customer.merged_into_id}."})
    return kept, merged


def _moving(session: Session, table: Any, customer_id: int) -> int:
    return session.exec(select(func.count()).select_from(table).where(table.customer_id == customer_id)).one()


def merge_plan(session: Session, *, keep_id: int, merge_id: int) -> MergePlan:
    """What `merge_customers` would move and fill in, to show before a manager confirms."""
    require_manager(session, "merge customers")
    kept, merged = _merging(session, keep_id, merge_id)
    filled = tuple(field for field in CONTACT_FIELDS if not getattr(kept, field) and getattr(merged, field))
    return MergePlan(kept=customer_view(kept), merged=customer_view(merged),
                     holdings=_moving(session, Holding, merge_id), appointments=_moving(session, Appointment, merge_id),
                     checkouts=_moving(session, Checkout, merge_id), filled=filled)


def merge_customers(session: Session, business: Business, *, keep_id: int, merge_id: int, reason: str) -> MergePlan:
    """A manager merges two records of one person, with a reason: the packages, appointments and
    checkouts of `merge_id` move to `keep_id`, whose empty phone, email and note are filled from
    hers (never overwritten). The merged customer stays, marked, for the ledger and audit lines
    that name her (they are never rewritten); search, duplicates and lists no longer show her.
    All of it is saved, or none of it."""
    actor = require_manager(session, "merge customers")
    reason = require_reason(reason)
    plan = merge_plan(session, keep_id=keep_id, merge_id=merge_id)
    kept, merged = _merging(session, keep_id, merge_id, lock=True)
    for table in (Holding, Appointment, Checkout):
        session.execute(update(table).where(table.customer_id == merge_id).values(customer_id=keep_id))
    # those merged into her before now point at the one kept (one step to the customer who stays)
    session.execute(update(Customer).where(col(Customer.merged_into_id) == merge_id).values(merged_into_id=keep_id))
    for field in plan.filled:
        setattr(kept, field, getattr(merged, field))
    fill_search(kept, business.phone_region)
    merged.merged_into_id = keep_id
    session.add_all([kept, merged])
    session.flush()
    index_words(session, kept)
    index_words(session, merged)  # found no more
    now = clock(session)
    record(session, kind=AuditKind.CUSTOMER_MERGED, at=now, staff_id=actor, customer_id=keep_id,
           subject=f"customer {merge_id} into {keep_id}", detail=f"{plan.summary}: {reason}")
    session.expire_all()  # the moved rows were changed by UPDATE statements: read them afresh
    return plan


# ---- the customer & balance page ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CustomerPage:
    """Everything the customer screen shows, read in one transaction."""

    customer: CustomerView
    holdings: list[HoldingView]
    appointments: list[AppointmentView]  # unpaid first (today's, then the nearest), then the rest
    history: list[LedgerLine]  # the newest entries
    more_history: bool  # older entries exist


def desk_order(found: list[AppointmentView], business: Business, now: datetime) -> list[AppointmentView]:
    """Unpaid first — today's, then the nearest to now (a booking next month waits) — then the
    others as given (newest first)."""
    today = local_date(now, business.tz)

    def nearness(appointment: AppointmentView) -> tuple[bool, float]:
        day = local_date(appointment.starts_at, business.tz)
        return (day != today, abs((appointment.starts_at - now).total_seconds()))

    unpaid = sorted((a for a in found if a.needs_payment), key=nearness)
    return unpaid + [a for a in found if not a.needs_payment]


def customer_page(
    session: Session, business: Business, *, customer_id: int, history_limit: int
) -> CustomerPage:
    """The customer, all her holdings, her appointments (unpaid first) and the newest
    `history_limit` entries of her balance history."""
    history = ledger.history(session, business, customer_id=customer_id, limit=history_limit + 1)
    return CustomerPage(
        customer=get_customer(session, customer_id),
        holdings=appointments.customer_holdings(session, business, customer_id=customer_id),
        appointments=desk_order(appointments.customer_appointments(session, customer_id=customer_id),
                                business, clock(session)),
        history=history[:history_limit],
        more_history=len(history) > history_limit,
    )
