"""Accent- and case-insensitive search text (pure helpers, no models).

A client is found by any part of the name in any order, a partial record number, the date of
birth or the phone number. Both databases compare the same stored, already-normalised text
(``Client.search_text``) with a plain ``LIKE``: SQLite has no ``unaccent`` and PostgreSQL's is not
immutable (so it cannot sit in an index), whereas a column normalised in Python is identical on
both and PostgreSQL indexes it with a trigram (``pg_trgm``) GIN index.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

_NON_WORD = re.compile(r"[^\w@.+-]+")
_PHONE_LIKE = re.compile(r"^\+?[\d().\- ]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y")


def fold(text: str) -> str:
    """Lower case without accents: "Zoë Núñez" → "zoe nunez" (ß → ss via casefold)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def search_text(*, names: Iterable[str], record_number: str = "", date_of_birth: dt.date | None = None,
                phones: Iterable[str] = ()) -> str:
    """The one stored line a search matches against (space separated, each part folded)."""
    parts = [fold(n) for n in names if n]
    if record_number:
        folded = fold(record_number)
        parts.extend({folded, folded.replace("-", "")})
    if date_of_birth:
        parts.append(date_of_birth.isoformat())
    parts.extend(d for d in (digits(p) for p in phones) if d)
    return " " + " ".join(p for p in parts if p) + " "


def _as_date(token: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(token, fmt).date()  # noqa: DTZ007 (a calendar date, no time of day)
        except ValueError:
            continue
    return None


def query_terms(query: str) -> list[str]:
    """The terms every one of which must appear in ``search_text``.

    A date in a common format becomes ISO; a phone-like run of digits (three or more) loses its
    punctuation; everything else is folded and split on spaces and commas ("Smith, Olga")."""
    query = query.strip()
    if not query:
        return []
    if _PHONE_LIKE.match(query) and len(digits(query)) >= 3 and _as_date(query) is None:
        return [digits(query)]
    terms = []
    for token in query.replace(",", " ").split():
        date = _as_date(token)
        if date:
            terms.append(date.isoformat())
        else:
            terms.extend(t for t in _NON_WORD.split(fold(token)) if t)
    return terms[:8]  # a long paste cannot turn into dozens of LIKE clauses
