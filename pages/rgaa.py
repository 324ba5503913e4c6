"""The RGAA 4.1 self-audit of the platform, read from docs/rgaa/, and the figures the accessibility statement
publishes. Nothing here is typed by hand: the rate, the status and the list of non-conformities all come from
the audit file, one row per criterion × page of the sample.

The RGAA's method: a criterion is « non conforme » when it fails on at least one page of the sample,
« conforme » when it passes on at least one page and fails on none, « non applicable » when it applies to
no page. The global rate is the number of conforming criteria divided by the number of applicable ones
(conforming plus non-conforming); the average rate is the mean of each page's own rate. A criterion not yet
checked on a page (« non testé ») is never counted as conforming: it counts as applicable and not met, so
the published rate can only be lower than the truth, never higher.
"""

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

AUDIT_DIR = Path(settings.BASE_DIR) / "docs" / "rgaa"
CRITERIA_FILE = AUDIT_DIR / "criteres.csv"
PAGES_FILE = AUDIT_DIR / "pages.csv"
AUDIT_FILE = AUDIT_DIR / "audit.csv"

CONFORME, NON_CONFORME, NON_APPLICABLE, NON_TESTE = "C", "NC", "NA", "NT"
STATUSES = (CONFORME, NON_CONFORME, NON_APPLICABLE, NON_TESTE)
CRITERIA_COUNT = 106

# The mention the RGAA asks for, by global rate.
TOTAL, PARTIAL, NONE = "totalement conforme", "partiellement conforme", "non conforme"


@dataclass(frozen=True)
class Criterion:
    number: str
    theme: str
    summary: str

    @property
    def sort_key(self):
        return tuple(int(part) for part in self.number.split("."))


@dataclass(frozen=True)
class SamplePage:
    id: str
    name: str
    url: str
    role: str
    journey: str


@dataclass(frozen=True)
class Row:
    criterion: str
    page: str
    before: str
    status: str
    method: str
    evidence: str


@dataclass
class Result:
    """The outcome of one criterion over the sample, and the rows that decided it."""

    criterion: Criterion
    status: str
    failing: list = field(default_factory=list)


@dataclass
class Audit:
    criteria: dict
    pages: dict
    rows: list

    def _rows_by_criterion(self):
        by = {number: [] for number in self.criteria}
        for row in self.rows:
            by[row.criterion].append(row)
        return by

    def results(self, *, attribute="status"):
        out = []
        for number, rows in self._rows_by_criterion().items():
            statuses = [getattr(row, attribute) for row in rows]
            failing = [row for row in rows if getattr(row, attribute) in (NON_CONFORME, NON_TESTE)]
            if any(s == NON_CONFORME for s in statuses):
                status = NON_CONFORME
            elif any(s == NON_TESTE for s in statuses):
                status = NON_TESTE
            elif any(s == CONFORME for s in statuses):
                status = CONFORME
            else:
                status = NON_APPLICABLE
            out.append(Result(self.criteria[number], status, failing))
        return sorted(out, key=lambda result: result.criterion.sort_key)

    def counts(self, *, attribute="status"):
        counts = dict.fromkeys(STATUSES, 0)
        for result in self.results(attribute=attribute):
            counts[result.status] += 1
        return counts

    def global_rate(self, *, attribute="status"):
        """Conforming criteria / applicable criteria, in percent (a criterion not tested counts against)."""
        counts = self.counts(attribute=attribute)
        applicable = counts[CONFORME] + counts[NON_CONFORME] + counts[NON_TESTE]
        return 100 * counts[CONFORME] / applicable if applicable else 0.0

    def page_rates(self, *, attribute="status"):
        rates = {}
        for page in self.pages:
            statuses = [getattr(row, attribute) for row in self.rows if row.page == page]
            conform = statuses.count(CONFORME)
            applicable = conform + statuses.count(NON_CONFORME) + statuses.count(NON_TESTE)
            rates[page] = 100 * conform / applicable if applicable else 100.0
        return rates

    def average_rate(self, *, attribute="status"):
        rates = self.page_rates(attribute=attribute)
        return sum(rates.values()) / len(rates) if rates else 0.0

    def mention(self, *, attribute="status"):
        rate = self.global_rate(attribute=attribute)
        if rate >= 100:
            return TOTAL
        return PARTIAL if rate >= 50 else NONE

    def non_conformities(self):
        """The criteria not met, each with the pages where it fails and what was found there."""
        return [result for result in self.results() if result.status in (NON_CONFORME, NON_TESTE)]


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(directory=None):
    """Read and check the audit: every criterion × page exactly once, known statuses, evidence on each row."""
    directory = Path(directory) if directory else AUDIT_DIR
    criteria = {
        row["critere"]: Criterion(row["critere"], row["thematique"], row["resume"])
        for row in _read(directory / CRITERIA_FILE.name)
    }
    pages = {
        row["id"]: SamplePage(row["id"], row["nom"], row["url"], row["role"], row["parcours"])
        for row in _read(directory / PAGES_FILE.name)
    }
    rows = [
        Row(
            row["critere"],
            row["page"],
            row["avant"],
            row["statut"],
            row["methode"],
            row["constat"],
        )
        for row in _read(directory / AUDIT_FILE.name)
    ]
    problems = []
    if len(criteria) != CRITERIA_COUNT:
        problems.append(f"{len(criteria)} criteria instead of {CRITERIA_COUNT}")
    seen = set()
    for row in rows:
        key = (row.criterion, row.page)
        if key in seen:
            problems.append(f"{key} appears twice")
        seen.add(key)
        if row.criterion not in criteria or row.page not in pages:
            problems.append(f"{key}: unknown criterion or page")
        if row.status not in STATUSES or row.before not in STATUSES:
            problems.append(f"{key}: unknown status {row.before!r} → {row.status!r}")
        if not row.evidence.strip() or not row.method.strip():
            problems.append(f"{key}: no method or evidence")
    missing = {(c, p) for c in criteria for p in pages} - seen
    if missing:
        problems.append(f"{len(missing)} criterion × page pairs missing, e.g. {sorted(missing)[:3]}")
    if problems:
        raise ValueError("docs/rgaa/audit.csv: " + "; ".join(problems[:10]))
    return Audit(criteria, pages, rows)


@lru_cache(maxsize=1)
def _cached(mtime):
    return load()


def current():
    """The audit as committed, read once per process (again if the file changes)."""
    return _cached(AUDIT_FILE.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _cached_mention(mtime):
    return _cached(mtime).mention()


def current_mention():
    """The mention of the audit as committed, which the footer of every page shows: worked out once per
    process (again if the file changes), not on each page."""
    return _cached_mention(AUDIT_FILE.stat().st_mtime_ns)
