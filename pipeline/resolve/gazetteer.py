"""Vietnam's administrative units: before July 2025 (63 provinces, about 700 districts,
10,000 communes) and after it (34 provinces, 3,321 communes, no districts).

The data is the SQLite database bundled with vietnamadminunits (MIT; GSO codes of the units
before the July 2025 reorganisation). It is read once per process into dictionaries keyed
by the folded short name, so a lookup is a dictionary access. The package itself is not
imported: its parser pulls in a web geocoder that this project never calls.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ErrorCode, VnfactsError
from ..normalise import fold

_LEVELS = ("commune", "district", "province")


@dataclass(frozen=True)
class Unit:
    level: str
    name: str
    kind: str
    code: str
    district: str | None
    province: str
    key: str = ""  # the package's ASCII key, "tinhthaibinh_huyenquynhphu_xaanap"


@dataclass(frozen=True)
class Successor:
    """The unit a pre-2025 province or commune became in the July 2025 reorganisation."""

    code: str
    name: str


class Gazetteer:
    def __init__(
        self,
        rows: Iterable[tuple[str | None, ...]],
        successors: dict[str, Successor] | None = None,
    ) -> None:
        self._by_name: dict[str, list[Unit]] = {}
        self._by_compact: dict[str, list[Unit]] = {}
        self._by_bare: dict[str, list[Unit]] = {}
        self._successors = successors or {}
        seen: set[tuple[str, str]] = set()
        for row in rows:
            p_name, p_kind, p_code, d_name, d_kind, d_code, w_name, w_kind, w_code = row[:9]
            p_key, d_key, w_key = (*row[9:12], None, None, None)[:3]
            assert p_name and p_code
            unit = Unit("province", p_name, p_kind or "", p_code, None, p_name, p_key or "")
            self._add(unit, seen)
            if d_name and d_code:
                self._add(Unit("district", d_name, d_kind or "", d_code, None, p_name), seen)
            if w_name and w_code:  # the 2025 structure has no districts
                key = f"{p_key}_{d_key}_{w_key}" if p_key else ""
                self._add(Unit("commune", w_name, w_kind or "", w_code, d_name, p_name, key), seen)

    def _add(self, unit: Unit, seen: set[tuple[str, str]]) -> None:
        if (unit.level, unit.code) in seen:
            return
        seen.add((unit.level, unit.code))
        self._by_name.setdefault(fold(unit.name), []).append(unit)
        self._by_compact.setdefault(compact(unit.name), []).append(unit)
        self._by_bare.setdefault(bare(unit.name), []).append(unit)

    def lookup(self, name: str, level: str | None = None) -> list[Unit]:
        """Units of that name; spellings that differ only in spaces and apostrophes match
        ("Đakrông" / "Đa Krông", "Dran" / "D'Ran")."""
        exact = [u for u in self._by_name.get(fold(name), []) if level in (None, u.level)]
        if exact:
            return exact
        return [u for u in self._by_compact.get(compact(name), []) if level in (None, u.level)]

    def lookup_loosely(self, name: str, level: str) -> list[Unit]:
        """`lookup`, and failing that units whose names differ only in their marks: the
        names of the Central Highlands and the northern uplands are written both ways
        ("Pú Nhi" / "Pu Nhi", "Đắk Đoa" / "Đak Đoa", "Chư Đăng Ya" / "Chư Đang Ya")."""
        if " " not in name.strip():  # one syllable: "Chủ" (of "Chủ tịch") is no "Chu"
            return self.lookup(name, level)
        return self.lookup(name, level) or [
            u for u in self._by_bare.get(bare(name), []) if u.level == level
        ]

    def successor(self, unit: Unit) -> Successor | None:
        """The 2025 unit of a province or commune; None for districts (abolished in 2025)
        and for communes split between several new ones."""
        return self._successors.get(unit.key) if unit.key else None

    def names(self, level: str) -> list[str]:
        """The names of every unit of a level, as written in the gazetteer."""
        return sorted(
            {u.name for units in self._by_name.values() for u in units if u.level == level}
        )

    def is_unit(self, name: str) -> bool:
        return fold(name) in self._by_name or compact(name) in self._by_compact

    def known_prefix(self, name: str) -> str | None:
        """The longest run of leading syllables of `name` that names a unit, if any.

        "Quỳnh Phụ Từ" (a heading joined to the next line) gives "Quỳnh Phụ".
        """
        words = name.split()
        for n in range(len(words), 0, -1):
            candidate = " ".join(words[:n])
            if fold(candidate) in self._by_name:
                return candidate
        return None

    def resolve(self, name: str, level: str, parent: str | None, context: set[str]) -> Unit | None:
        """The one unit `name` can mean, or None when the gazetteer cannot tell.

        `parent` is the unit the text puts it in; `context` holds the names of the units
        the article names, as `compact` keys (the unit's own name is no context for it).
        Same names repeat across the country ("xã An Thái" is in three provinces), so a
        guess is never made.
        """
        units = self.lookup(name, level)
        if parent:  # a parent the gazetteer does not know (a unit merged since) is no filter
            key = compact(parent)
            inside = [u for u in units if key in (compact(u.province), compact(u.district or ""))]
            units = inside or units
        if len(units) > 1:
            own = compact(name)

            def named(unit_name: str) -> bool:
                key = compact(unit_name)
                return key != own and key in context

            near = [u for u in units if named(u.district or "")]
            near = near or [u for u in units if named(u.province)]
            units = near
        return units[0] if len(units) == 1 else None


def known_at(name: str, level: str, prefix: bool = True) -> bool:
    """Whether the gazetteer before or after 2025 knows `name` (with `prefix`, or a run of
    its first words) as a unit of that level (a city may be a province or a district)."""
    levels = ("province", "district") if level == "city" else (level,)
    words = name.split()
    runs = range(len(words), 0, -1) if prefix else (len(words),)
    return any(
        g.lookup(" ".join(words[:n]), lv)
        for g in (load(), load_2025())
        for n in runs
        for lv in levels
    )


def compact(name: str) -> str:
    return "".join(ch for ch in fold(name) if ch.isalnum())


def bare(name: str) -> str:
    """`compact` without tone and vowel marks ("pú nhi" → "punhi", "đắk" → "dak")."""
    stripped = unicodedata.normalize("NFD", compact(name)).replace("đ", "d")
    return "".join(ch for ch in stripped if not unicodedata.combining(ch))


def _database() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "data" / "dataset.db"
        if path.is_file():
            return path
    raise VnfactsError(ErrorCode.E006, detail="vietnamadminunits")


def _successors(conn: sqlite3.Connection, mapping: Path) -> dict[str, Successor]:
    """Old unit key → its 2025 unit, from the package's conversion table.

    A commune that went whole into one new commune is mapped; one split between several
    (the package's "divided" list) is not, since which part a text means is unknown.
    """
    new_units = {
        (p_key, w_key): (p_code, p_name, w_code, w_name)
        for p_key, p_code, p_name, w_key, w_code, w_name in conn.execute(
            "SELECT provinceKey, provinceCode, provinceShort, wardKey, wardCode, wardShort"
            " FROM admin_units"
        )
    }
    provinces = {
        p_key: (p_code, p_name) for (p_key, _), (p_code, p_name, _, _) in new_units.items()
    }
    table = json.loads(mapping.read_text(encoding="utf-8"))
    out: dict[str, Successor] = {}
    for new_province, old_provinces in table["DICT_PROVINCE"].items():
        if new_province in provinces:
            code, name = provinces[new_province]
            for old in old_provinces:
                out[old] = Successor(code, name)
    for new_province, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            found = new_units.get((new_province, new_ward))
            if found:
                for old in olds:
                    out[old] = Successor(found[2], found[3])
    return out


# The columns a Gazetteer is built from; the 2025 structure has no districts.
_PROVINCE = "provinceShort, substr(province, 1, length(province) - length(provinceShort) - 1)"
_LEGACY = (
    f"SELECT {_PROVINCE}, provinceCode, districtShort, districtType, districtCode, wardShort,"
    " wardType, wardCode, provinceKey, districtKey, wardKey FROM admin_units_legacy"
)
_NEW = (
    f"SELECT {_PROVINCE}, provinceCode, NULL, NULL, NULL, wardShort, wardType, wardCode"
    " FROM admin_units"
)


def _connect() -> sqlite3.Connection:
    return sqlite3.connect(_database().as_uri() + "?mode=ro", uri=True)


@cache
def load() -> Gazetteer:
    """The units before July 2025 with their successors, read once per process."""
    mapping = _database().parent / "converter_2025.json"
    with _connect() as conn:
        rows = conn.execute(_LEGACY).fetchall()
        successors = _successors(conn, mapping) if mapping.is_file() else {}
    return Gazetteer(rows, successors)


@cache
def load_2025() -> Gazetteer:
    """The units after the July 2025 reorganisation (34 provinces, 3,321 communes)."""
    with _connect() as conn:
        return Gazetteer(conn.execute(_NEW).fetchall())


def structure_for(date: str | None) -> str:
    """Which structure a text dated `date` names its units in: "2025" from July 2025 on."""
    return "2025" if date is not None and date >= "2025-07" else "legacy"
