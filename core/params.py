"""Reading identifiers typed in a URL's query or a posted field.

`str.isdigit()` is true for « ² » or « ٣ », which `int()` then refuses (or reads as another number): a request
parameter that names a row is read here, as ASCII digits only and short enough for an integer column.
"""

# Nine digits fit PostgreSQL's integer (2,147,483,647) and every bigint primary key the platform hands out.
MAX_ID_DIGITS = 9


def parse_id(raw) -> int | None:
    """The positive integer `raw` spells in ASCII digits, or None for anything else (empty, signs, spaces,
    superscripts, other scripts' digits, more than MAX_ID_DIGITS digits)."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_ID_DIGITS:
        return None
    if not (raw.isascii() and raw.isdecimal()):
        return None
    return int(raw)
