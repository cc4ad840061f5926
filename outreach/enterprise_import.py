"""Import enterprises from CSV: every row checked as the staff API checks it (credit code with
its check character, coordinates and their CRS, industry, owner), a reason per rejected row.

Columns: name, credit_code, lat, lon (required); crs, street, address, industry, is_key (1/0,
true/false, 是/否), owner (a staff username). A credit code already registered is rejected (the
register is keyed by it). Each good row is written in its own savepoint; with `commit=False`
everything runs and is counted, then rolled back.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from outreach.serializers import EnterpriseSerializer

REQUIRED_COLUMNS = ("name", "credit_code", "lat", "lon")
TRUE = {"1", "true", "yes", "y", "是"}


@dataclass
class EnterpriseImportReport:
    created: int = 0
    rejected: list[str] = field(default_factory=list)
    committed: bool = False

    def summary(self) -> str:
        return f"created {self.created}, rejected {len(self.rejected)}" + (
            "" if self.committed else " (dry run: nothing written)"
        )


class EnterpriseImportError(Exception):
    """The file as a whole cannot be read."""


def _reason(errors: dict) -> str:
    return "; ".join(f"{name}: {' '.join(map(str, msgs))}" for name, msgs in errors.items())


def import_enterprises(path: Path, *, commit: bool) -> EnterpriseImportReport:
    report = EnterpriseImportReport()
    try:
        handle = Path(path).open(encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise EnterpriseImportError(str(exc)) from exc
    with handle, transaction.atomic():
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise EnterpriseImportError(f"missing columns: {', '.join(missing)}")
        for row in reader:
            where = f"line {reader.line_num} ({row.get('credit_code') or 'no credit_code'})"
            data = {k: (v or "").strip() for k, v in row.items() if k}
            data["is_key"] = data.get("is_key", "").lower() in TRUE
            for optional in ("crs", "owner", "industry"):
                if not data.get(optional):
                    data.pop(optional, None)
            serializer = EnterpriseSerializer(data=data)
            if not serializer.is_valid():
                report.rejected.append(f"{where}: {_reason(serializer.errors)}")
                continue
            with transaction.atomic():
                serializer.save()
            report.created += 1
        report.committed = commit
        if not commit:
            transaction.set_rollback(True)
    return report
