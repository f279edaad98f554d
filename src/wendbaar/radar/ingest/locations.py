"""Where a vacancy is: a municipality name, GM code or PC4 postcode to municipality and region."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wendbaar.radar.ingest.text import fold

_PC4 = re.compile(r"^\s*(\d{4})\s*(?:[A-Za-z]{2})?\s*$")
_GM = re.compile(r"^\s*GM\d{4}\s*$", re.IGNORECASE)

# Names people write for municipalities whose official name differs (folded on both sides).
VARIANTS: dict[str, str] = {
    "den haag": "'s-gravenhage",
    "the hague": "'s-gravenhage",
    "s-gravenhage": "'s-gravenhage",
    "den bosch": "'s-hertogenbosch",
    "s-hertogenbosch": "'s-hertogenbosch",
    "hertogenbosch": "'s-hertogenbosch",
    "nuenen": "nuenen, gerwen en nederwetten",
    "bergen nh": "bergen (nh.)",
    "bergen (nh)": "bergen (nh.)",
    "bergen l": "bergen (l.)",
    "bergen (l)": "bergen (l.)",
    "sudwest fryslan": "sudwest-fryslan",
    "noardeast fryslan": "noardeast-fryslan",
    "hengelo": "hengelo (o.)",
    "hengelo o": "hengelo (o.)",
    "rijswijk": "rijswijk (zh.)",
    "laren": "laren (nh.)",
    "beek": "beek (l.)",
    "stein": "stein (l.)",
    "middelburg": "middelburg (z.)",
}


@dataclass(frozen=True)
class Place:
    municipality_code: str
    region_code: str


def _key(name: str) -> str:
    key = fold(name)
    for prefix in ("gemeente ", "gem. "):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key.strip()


def pc4_of(value: str) -> str | None:
    """Return the PC4 part of a Dutch postcode ('3011 AB' -> '3011'), None if it is not one."""
    match = _PC4.match(value)
    return match.group(1) if match else None


class Locator:
    """Resolves names, GM codes and postcodes; build once per ingest (it reads all municipalities)."""

    def __init__(self, municipalities: list[tuple[str, str, str]], postcodes: dict[str, str]) -> None:
        # municipalities: (code, name, region_code); postcodes: pc4 -> municipality code
        self.by_code = {code.upper(): Place(code.upper(), region or "") for code, _name, region in municipalities}
        self.by_name: dict[str, Place] = {}
        for code, name, region in municipalities:
            place = Place(code.upper(), region or "")
            self.by_name[_key(name)] = place
            self.by_name.setdefault(_key(name).replace("-", " "), place)
        for variant, official in VARIANTS.items():
            if official in self.by_name:
                self.by_name.setdefault(variant, self.by_name[official])
        self.postcodes = postcodes

    def municipality(self, value: str) -> Place | None:
        if _GM.match(value):
            return self.by_code.get(value.strip().upper())
        key = _key(value)
        return self.by_name.get(key) or self.by_name.get(key.replace("-", " ")) or self.by_name.get(key.lstrip("'"))

    def postcode(self, pc4: str) -> Place | None:
        code = self.postcodes.get(pc4)
        return self.by_code.get(code) if code else None
