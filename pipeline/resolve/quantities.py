"""Values of the numeric facts (money, count, percent, measure, date) from matched text."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

from ..patterns import Patterns

_TOKEN = regex.compile(r"\p{N}[\p{N}.,]*|[\p{L}\p{M}]+")


def to_number(value: Decimal) -> int | float:
    """An int when the value is whole (JSON "29000000", not "29000000.0")."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_digits(text: str) -> Decimal:
    """Vietnamese digits: "." groups thousands, "," is the decimal mark ("1.575", "19,9")."""
    cleaned = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


def _small_words(words: list[str], patterns: Patterns) -> Decimal:
    """Number words below a thousand: "hai mươi mốt", "mười hai", "hai trăm lẻ sáu"."""
    total = Decimal(0)
    current = Decimal(0)
    for word in words:
        if word == "trăm":
            total += (current or 1) * 100
            current = Decimal(0)
        elif word == "mươi":
            current *= 10
        elif word == "mười":
            current += 10
        else:
            digit = patterns.lookup("DIGIT_WORD", word)
            half = patterns.lookup("HALF", word)
            if digit is not None:
                current += Decimal(str(digit))
            elif half is not None:
                current += Decimal(str(half))
    return total + current


def parse_amount(text: str, patterns: Patterns) -> Decimal:
    """Digits or words with scale words, in parts: "16 tỉ 131 triệu", "nửa tỉ", "357 nghìn tỷ".

    Each part is a number followed by its scale words, whose values multiply; parts add up.
    """
    total = Decimal(0)
    number: Decimal | None = None
    words: list[str] = []
    scale = Decimal(1)
    last_scale = Decimal(1)

    def flush() -> None:
        nonlocal total, number, words, scale
        value = number if number is not None else _small_words(words, patterns) if words else None
        if value is not None:
            total += value * scale
        number, words, scale = None, [], Decimal(1)

    for token in _TOKEN.findall(text):
        lower = token.lower()
        if token[0].isdigit():
            flush()
            number = parse_digits(token.strip(".,"))
        elif lower == "rưỡi":
            flush()
            total += last_scale / 2
        elif (value := patterns.lookup("SCALE", lower)) is not None and (
            lower != "trăm" or number is not None
        ):
            scale *= Decimal(str(value))
            last_scale = Decimal(str(value))
        elif patterns.lookup("DIGIT_WORD", lower) is not None or lower in ("trăm", "nửa"):
            if scale != 1:
                flush()
            words.append(lower)
    flush()
    return total


_QUALIFIER_CACHE: dict[int, regex.Pattern[str]] = {}


def qualifier(text: str, start: int, end: int, patterns: Patterns) -> str:
    """The qualifier written before the number ("hơn", "gần", …) or "từ … trở lên" around it."""
    pattern = _QUALIFIER_CACHE.get(id(patterns))
    if pattern is None:
        pattern = regex.compile(r"(?<![\p{L}\p{M}])(?P<q>" + patterns.pieces["QUALIFIER"] + r") ?$")
        _QUALIFIER_CACHE[id(patterns)] = pattern
    after = text[end : end + 12].lstrip().casefold()
    if any(after.startswith(w) for w in patterns.lexicons["AT_LEAST_AFTER"]):
        return "at_least"
    if any(after.startswith(w) for w in patterns.lexicons["AT_MOST_AFTER"]):
        return "at_most"
    found = pattern.search(text[max(0, start - 24) : start])
    if found:
        value = patterns.lookup("QUALIFIER", found.group("q"))
        if isinstance(value, str):
            return value
    return "exact"


Fields = dict[str, object]


def _value(group: str | None, patterns: Patterns) -> int | float | None:
    if not group:
        return None
    return to_number(parse_amount(group, patterns))


def money(m: regex.Match[str], text: str, patterns: Patterns) -> Fields:
    groups = m.groupdict()
    sign = groups.get("cur")
    # An elliptic amount ("25,9 tỷ") takes the currency of the amounts around it: VND.
    currency = (
        (patterns.lookup("CURRENCY", sign) or patterns.lookup("CURRENCY_PREFIX", sign))
        if sign
        else "VND"
    )
    fields: Fields = {
        "amount": _range_low(groups["num"], groups.get("num_max"), patterns),
        "currency": currency,
        "qualifier": _qualifier(m, text, m.end(), patterns),
    }
    if groups.get("num_max"):
        fields["amount_max"] = _value(groups["num_max"], patterns)
    if groups.get("per"):
        fields["per"] = groups["per"]
    return fields


def _qualifier(m: regex.Match[str], text: str, end: int, patterns: Patterns) -> str:
    """A range ("từ 2 - 3") is exact: its "từ" opens the range, it is not "at least"."""
    return "exact" if m.groupdict().get("num_max") else qualifier(text, m.start(), end, patterns)


def _range_low(low: str, high: str | None, patterns: Patterns) -> int | float | None:
    """The start of a range takes the end's scale when it has none and is no larger than
    the end's number: "20 - 60 triệu", but "từ 350.000 đến 1 triệu"."""
    value = parse_amount(low, patterns)
    if high and _scale_of(low, patterns) == 1:
        scale = _scale_of(high, patterns)
        if value * scale <= parse_amount(high, patterns):
            value *= scale
    return to_number(value)


def _scale_of(text: str, patterns: Patterns) -> Decimal:
    scale = Decimal(1)
    for token in _TOKEN.findall(text)[1:]:
        value = patterns.lookup("BIG_SCALE", token) or (
            1000 if token.lower() in ("nghìn", "ngàn") else None
        )
        if value is not None:
            scale *= Decimal(str(value))
    return scale


def count(m: regex.Match[str], text: str, patterns: Patterns, item_end: int) -> Fields:
    groups = m.groupdict()
    fields: Fields = {
        "value": _range_low(groups["num"], groups.get("num_max"), patterns),
        "item": text[m.start("item") : item_end],
        "qualifier": "exact"
        if groups.get("num_max")
        else qualifier(text, m.start(), item_end, patterns),
    }
    if groups.get("num_max"):
        fields["value_max"] = _value(groups["num_max"], patterns)
    if groups.get("total"):
        fields["total"] = _value(groups["total"], patterns)
    return fields


def percent(m: regex.Match[str], text: str, patterns: Patterns) -> Fields:
    groups = m.groupdict()
    fields: Fields = {
        "value": _value(groups["num"], patterns),
        "qualifier": _qualifier(m, text, m.end(), patterns),
    }
    if groups.get("num_max"):
        fields["value_max"] = _value(groups["num_max"], patterns)
    return fields


def measure(m: regex.Match[str], text: str, patterns: Patterns) -> Fields:
    return {
        "value": _value(m.group("num"), patterns),
        "unit": m.group("unit"),
        "qualifier": qualifier(text, m.start(), m.end(), patterns),
    }


def _iso(year: str | None, month: str | None, day: str | None) -> str:
    """ISO 8601 of what is written, partial allowed ("--09-24", "2023-04", "--11", "2024")."""
    if year and month and day:
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if month and day:
        return f"--{int(month):02d}-{int(day):02d}"
    if year and month:
        return f"{int(year):04d}-{int(month):02d}"
    if month:
        return f"--{int(month):02d}"
    return f"{int(year or 0):04d}"


def date(m: regex.Match[str], text: str, patterns: Patterns) -> Fields:
    """A date, or a range as an ISO interval: "giai đoạn 2021 - 2025" is "2021/2025", "từ
    ngày 23 đến 25/6" is "--06-23/--06-25" (the first day takes the last one's month)."""
    groups = m.groupdict()
    year, month, day = groups.get("year"), groups.get("month"), groups.get("day")
    if groups.get("month_word"):
        month = str(patterns.lookup("MONTH_WORD", groups["month_word"]))
    value = _iso(year, month, day)
    if groups.get("year0"):
        value = f"{_iso(groups['year0'], None, None)}/{value}"
    elif groups.get("day0"):
        value = f"{_iso(year, month, groups['day0'])}/{value}"
    return {"value": value}
