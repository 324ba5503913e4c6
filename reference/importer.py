"""Import of France's official administrative division from the JSON files of the npm package
`@etalab/decoupage-administratif`.

The import compares the files with the database and writes only what is new or changed, in bulk upserts on
the official codes, inside one transaction: a second run over the same files writes nothing. What has
disappeared from the files (communes that merged, dissolved EPCI) is marked inactive, never deleted, since
territories and projects may point at it; what comes back is re-activated.
"""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Commune, Department, Epci, Region
from .signals import reference_data_imported

BATCH_SIZE = 2000
FILES = {
    "regions": "regions.json",
    "departments": "departements.json",
    "epcis": "epci.json",
    "communes": "communes.json",
}
# Communes déléguées and associées keep the code of a former commune (sometimes that of the commune
# nouvelle itself), and arrondissements municipaux are parts of Paris, Lyon and Marseille: only the
# current communes are communes.
CURRENT_COMMUNE = "commune-actuelle"


class ReferenceDataError(Exception):
    """The reference files are missing or inconsistent; the message tells the operator what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class LevelReport:
    label: str
    created: int = 0
    updated: int = 0
    reactivated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    @property
    def active(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    source: Path
    levels: list[LevelReport] = field(default_factory=list)
    # What the apps built on the reference data did after it: (label, count), from their receivers.
    followers: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0


def read_source(source: Path) -> dict[str, list[dict]]:
    if not source.is_dir():
        raise ReferenceDataError(
            f"Le dossier des données de référence est introuvable : {source}. Lancez make install (qui "
            "installe le paquet npm @etalab/decoupage-administratif, avec Node.js et npm) ou indiquez "
            "un dossier avec --source."
        )
    data = {}
    for key, name in FILES.items():
        path = source / name
        if not path.is_file():
            raise ReferenceDataError(
                f"Le fichier {name} manque dans {source}. Lancez make install pour réinstaller le paquet "
                "@etalab/decoupage-administratif."
            )
        with path.open(encoding="utf-8") as handle:
            data[key] = json.load(handle)
    # Truncated files would otherwise mark the whole country inactive.
    if not any(c.get("type") == CURRENT_COMMUNE for c in data["communes"]):
        raise ReferenceDataError(f"{source / FILES['communes']} ne contient aucune commune : import annulé.")
    return data


def _sync(model, key: str, wanted: dict[str, dict], label: str) -> tuple[LevelReport, dict[str, int]]:
    """Bring the rows of `model` in line with `wanted` (official code → field values).

    Returns the counts and the mapping official code → primary key, for the foreign keys of the next level.
    """
    report = LevelReport(label)
    fields = [model._meta.get_field(name) for name in next(iter(wanted.values()), {})]
    attnames = [f.attname for f in fields]
    existing = {row[key]: row for row in model.objects.values("id", key, "is_active", *attnames)}
    to_write = []
    for code, values in wanted.items():
        row = existing.get(code)
        if row is None:
            report.created += 1
        elif not row["is_active"]:
            report.reactivated += 1
            report.updated += 1
        elif any(row[name] != values[name] for name in attnames):
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        to_write.append(model(**{key: code, **values, "is_active": True}))
    model.objects.bulk_create(
        to_write,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=[key],
        update_fields=[*(f.name for f in fields), "is_active"],
    )
    stale = [row["id"] for code, row in existing.items() if row["is_active"] and code not in wanted]
    for start in range(0, len(stale), BATCH_SIZE):
        model.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).update(is_active=False)
    report.deactivated = len(stale)
    return report, dict(model.objects.values_list(key, "id"))


def _lookup(ids: dict[str, int], code: str, what: str, owner: str) -> int:
    try:
        return ids[code]
    except KeyError:
        raise ReferenceDataError(
            f"Données de référence incohérentes : {owner} renvoie à {what} {code}, absent des fichiers."
        ) from None


def import_reference_data(source: Path | str | None = None) -> ImportReport:
    """Import or update régions, départements, EPCI and communes, then let the apps built on them follow."""
    start = time.perf_counter()
    source = Path(source or settings.REFERENCE_DATA_DIR)
    data = read_source(source)
    report = ImportReport(source=source)
    with transaction.atomic():
        regions, region_ids = _sync(
            Region, "code", {r["code"]: {"name": r["nom"]} for r in data["regions"]}, "Régions"
        )
        departments, department_ids = _sync(
            Department,
            "code",
            {
                d["code"]: {
                    "name": d["nom"],
                    "region_id": _lookup(region_ids, d["region"], "la région", f"le département {d['code']}"),
                }
                for d in data["departments"]
            },
            "Départements",
        )
        epcis, epci_ids = _sync(
            Epci,
            "siren",
            {
                e["code"]: {"name": e["nom"], "kind": e["type"], "population": e.get("populationMunicipale")}
                for e in data["epcis"]
            },
            "EPCI",
        )
        epci_of = {member["code"]: epci_ids[e["code"]] for e in data["epcis"] for member in e["membres"]}
        communes, _ids = _sync(
            Commune,
            "insee_code",
            {
                c["code"]: {
                    "name": c["nom"],
                    "siren": c.get("siren", ""),
                    "population": c.get("population"),
                    "department_id": _lookup(
                        department_ids, c["departement"], "le département", f"la commune {c['code']}"
                    ),
                    "region_id": _lookup(region_ids, c["region"], "la région", f"la commune {c['code']}"),
                    "epci_id": epci_of.get(c["code"]),
                }
                for c in data["communes"]
                if c["type"] == CURRENT_COMMUNE
            },
            "Communes",
        )
        report.levels = [regions, departments, epcis, communes]
        # What the apps above store from the reference data follows it (the territories' totals: merged
        # communes, new populations), in the same transaction.
        for _receiver, (label, count) in reference_data_imported.send(sender=ImportReport, report=report):
            report.followers.append((label, count))
    report.seconds = time.perf_counter() - start
    return report
