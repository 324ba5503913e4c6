"""A small extract of the official reference data, built from the installed npm package (no network).

It keeps the région Occitanie (76), the département du Tarn (81) with all its communes (current ones,
déléguées and associées alike, as the package lists them) and every EPCI with a member commune in the Tarn,
members outside the Tarn included: the importer must ignore what the extract does not hold.
"""

import copy
import functools
import json
from pathlib import Path

import pytest
from django.conf import settings

from reference.importer import FILES, ReferenceDataError, read_source

OCCITANIE = "76"
TARN = "81"


@functools.cache
def _tarn() -> dict[str, list[dict]]:
    try:
        data = read_source(Path(settings.REFERENCE_DATA_DIR))
    except ReferenceDataError as error:
        pytest.fail(
            "The npm package @etalab/decoupage-administratif is missing: `make install` installs it "
            f"(Node.js and npm needed). {error.message}",
            pytrace=False,
        )
    communes = [c for c in data["communes"] if c["departement"] == TARN]
    codes = {c["code"] for c in communes}
    return {
        "regions": [r for r in data["regions"] if r["code"] == OCCITANIE],
        "departments": [d for d in data["departments"] if d["code"] == TARN],
        "epcis": [e for e in data["epcis"] if any(m["code"] in codes for m in e["membres"])],
        "communes": communes,
    }


def tarn_extract() -> dict[str, list[dict]]:
    """A fresh copy, that a test may edit before writing it."""
    return copy.deepcopy(_tarn())


def write_extract(directory: Path, data: dict[str, list[dict]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for key, name in FILES.items():
        (directory / name).write_text(json.dumps(data[key], ensure_ascii=False), encoding="utf-8")
    return directory


def current_communes(data: dict[str, list[dict]]) -> list[dict]:
    return [c for c in data["communes"] if c["type"] == "commune-actuelle"]


def epci(data: dict[str, list[dict]], siren: str) -> dict:
    return next(e for e in data["epcis"] if e["code"] == siren)
