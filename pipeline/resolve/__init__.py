"""Resolve: small functions that compute a fact's values from its matched surface text.

One module per family of facts: quantities (money, count, percent, measure, date), places
(administrative units) and people (officials and persons).
"""

from .people import people, post_end, title_parts
from .places import inside_firm, location, more_places, restore_case, split_joined
from .quantities import Fields, count, date, measure, money, parse_amount, percent, qualifier

__all__ = [
    "Fields",
    "count",
    "date",
    "inside_firm",
    "location",
    "measure",
    "money",
    "more_places",
    "parse_amount",
    "people",
    "percent",
    "post_end",
    "qualifier",
    "restore_case",
    "split_joined",
    "title_parts",
]
