"""Resolve: small functions that compute a fact's values from its matched surface text.

One module per family of facts: quantities (money, count, percent, measure, date), documents
(documents and terms), places (administrative units), people (officials and persons),
organizations, and speech (quotes and appointments).
"""

from .documents import document, term
from .people import people, post_end, post_span, title_parts
from .places import inside_firm, location, more_places, restore_case, split_joined
from .quantities import Fields, count, date, measure, money, parse_amount, percent, qualifier

__all__ = [
    "Fields",
    "count",
    "date",
    "document",
    "inside_firm",
    "location",
    "measure",
    "money",
    "more_places",
    "parse_amount",
    "people",
    "percent",
    "post_end",
    "post_span",
    "qualifier",
    "restore_case",
    "split_joined",
    "term",
    "title_parts",
]
