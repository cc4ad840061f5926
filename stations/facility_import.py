"""Import facilities from CSV or GeoJSON: validate every row, upsert by external id, report.

The columns and the opening-hours text are documented in docs/facility-import.md. Each row is
checked with the same rules as the staff API (`FacilitySerializer`: coordinates and their CRS,
kind, amenities, opening hours, the kind-specific fields behind the named check constraints).
A bad row is reported with its line (CSV) or feature number (GeoJSON) and the reason; good rows
are written. Rows are written a chunk at a time with one INSERT ... ON CONFLICT (external_id)
DO UPDATE inside a savepoint; should the database still refuse a chunk, its rows are retried one
savepoint each and only the refused ones are rejected, so no row is ever half-written. Areas are
assigned afterwards in one UPDATE per chunk. With `commit=False` everything runs and is counted,
then rolled back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from stations.coords import CRS_CHOICES
from stations.models import Facility
from stations.serializers import FacilitySerializer

REQUIRED_COLUMNS = ("external_id", "kind", "name", "lat", "lon")
OPTIONAL_COLUMNS = (
    "address", "phone", "status", "amenities", "opening_hours", "operator", "seats",
    "meal_price_min", "meal_price_max", "sockets", "battery_swap", "charging_price",
    "last_verified",
)
CHUNK = 1000
# Written on insert and replaced on update; `area` is assigned separately, `created_at` kept.
_UPSERT_FIELDS = [
    "kind", "name", "address", "location", "operator", "phone", "status", "amenities",
    "opening_hours", "open_24h", "open_minutes", "seats", "meal_price_min", "meal_price_max",
    "sockets", "battery_swap", "charging_price", "last_verified", "updated_at",
]


@dataclass
class RowProblem:
    where: str  # "line 7" (CSV) or "feature 3" (GeoJSON)
    external_id: str
    reason: str

    def __str__(self) -> str:
        return _("%(where)s (%(external_id)s): %(reason)s") % {
            "where": self.where, "external_id": self.external_id or _("no external_id"),
            "reason": self.reason,
        }


@dataclass
class FacilityImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    committed: bool = False

    def summary(self) -> str:
        counts = {"created": self.created, "updated": self.updated, "rejected": len(self.rejected)}
        if self.committed:
            return _("created %(created)s, updated %(updated)s, rejected %(rejected)s") % counts
        return _(
            "created %(created)s, updated %(updated)s, rejected %(rejected)s "
            "(dry run: nothing written)"
        ) % counts


class FacilityImportError(Exception):
    """The file as a whole cannot be read."""


class FacilityRowSerializer(FacilitySerializer):
    """One import row: the API's rules, plus a required external id that may already exist."""

    class Meta(FacilitySerializer.Meta):
        extra_kwargs = {
            **FacilitySerializer.Meta.extra_kwargs,
            # Upsert: an existing id means "update", so no uniqueness check here.
            "external_id": {"required": True, "allow_null": False, "validators": []},
        }


@dataclass
class _Row:
    where: str
    data: dict[str, Any]

    @property
    def external_id(self) -> str:
        props = self.data.get("properties", self.data)
        return str(props.get("external_id") or "").strip()


def _csv_rows(path: Path) -> Iterator[_Row]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")  # Excel writes a BOM
    except OSError as exc:
        raise FacilityImportError(
            _("%(path)s: cannot be read (%(error)s)") % {"path": path, "error": exc}
        ) from None
    with handle:
        reader = csv.DictReader(handle)
        columns = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(_("missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
            if unknown:
                problems.append(_("unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
            raise FacilityImportError(
                _("%(path)s: %(problems)s See docs/facility-import.md.")
                % {"path": path, "problems": " ".join(problems)}
            )
        reader.fieldnames = columns
        first_line = reader.line_num + 1
        try:
            for record in reader:
                # Empty cells mean "not given"; amenities are ";"-separated.
                data = {k: v.strip() for k, v in record.items() if k and v and v.strip()}
                if "amenities" in data:
                    data["amenities"] = [a.strip() for a in data["amenities"].split(";") if a.strip()]
                yield _Row(_("line %(number)s") % {"number": first_line}, data)
                first_line = reader.line_num + 1
        except UnicodeDecodeError as exc:
            # The decoder reads ahead in blocks, so the reader's line is not where the byte is.
            raise FacilityImportError(
                _("%(path)s: line %(number)s: not UTF-8 (%(reason)s); save the file as UTF-8")
                % {"path": path, "number": _line_of_bad_utf8(path), "reason": exc.reason}
            ) from None
        except csv.Error as exc:
            raise FacilityImportError(
                _("%(path)s: line %(number)s: %(error)s")
                % {"path": path, "number": first_line, "error": exc}
            ) from None


def _line_of_bad_utf8(path: Path) -> int:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return raw[: exc.start].count(b"\n") + 1
    return 0


def _geojson_rows(path: Path) -> Iterator[_Row]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FacilityImportError(
            _("%(path)s: not a readable GeoJSON file (%(error)s)") % {"path": path, "error": exc}
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FacilityImportError(
            _("%(path)s: expected a GeoJSON FeatureCollection") % {"path": path}
        )
    for number, feature in enumerate(document.get("features") or [], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            feature = {"properties": {}, "geometry": None}
        props = feature["properties"]
        if isinstance(props.get("amenities"), str):
            props["amenities"] = [a.strip() for a in props["amenities"].split(";") if a.strip()]
        yield _Row(_("feature %(number)s") % {"number": number}, feature)


def _reason(errors: Any) -> str:
    """Serializer errors as one line: 'lat: must be between -90 and 90; kind: ...'."""
    if isinstance(errors, dict):
        # List items are keyed by position (amenities: {1: [...]}); the message names the value.
        return "; ".join(
            _reason(msgs) if name == "non_field_errors" or isinstance(name, int)
            else f"{name}: {_reason(msgs)}"
            for name, msgs in errors.items()
        )
    if isinstance(errors, list):
        return " ".join(_reason(msg) for msg in errors)
    return str(errors)


def read_rows(path: str | Path) -> Iterator[_Row]:
    path = Path(path)
    if path.suffix.lower() in {".json", ".geojson"}:
        return _geojson_rows(path)
    if path.suffix.lower() == ".csv":
        return _csv_rows(path)
    raise FacilityImportError(
        _("%(path)s: expected a .csv, .geojson or .json file") % {"path": path}
    )


def import_facilities(
    path: str | Path, *, crs: str = "wgs84", commit: bool = True
) -> FacilityImportReport:
    if crs not in CRS_CHOICES:
        raise FacilityImportError(
            _("crs must be one of %(choices)s") % {"choices": ", ".join(CRS_CHOICES)}
        )
    rows = read_rows(path)
    report = FacilityImportReport()
    first_seen: dict[str, str] = {}
    with transaction.atomic():
        while chunk := list(islice(rows, CHUNK)):
            valid: list[tuple[_Row, Facility]] = []
            for row in chunk:
                facility = _validate(row, crs, first_seen, report)
                if facility is not None:
                    valid.append((row, facility))
            _upsert(valid, report)
        report.rejected.sort(key=lambda p: int(p.where.split()[1]))
        if commit:
            report.committed = True
        else:
            transaction.set_rollback(True)
    return report


def _validate(
    row: _Row, crs: str, first_seen: dict[str, str], report: FacilityImportReport
) -> Facility | None:
    external_id = row.external_id
    if external_id and external_id in first_seen:
        reason = _("external_id already used on %(where)s of this file") % {
            "where": first_seen[external_id]
        }
        report.rejected.append(RowProblem(row.where, external_id, reason))
        return None
    data = dict(row.data)
    data.get("properties", data)["crs"] = crs  # the whole file is in one CRS
    serializer = FacilityRowSerializer(data=data)
    if not serializer.is_valid():
        report.rejected.append(RowProblem(row.where, external_id, _reason(serializer.errors)))
        return None
    first_seen[external_id] = row.where
    facility = Facility(**serializer.validated_data)
    facility.apply_hours()
    return facility


def _upsert(valid: list[tuple[_Row, Facility]], report: FacilityImportReport) -> None:
    if not valid:
        return
    ids = [facility.external_id for _, facility in valid]
    existing = set(
        Facility.objects.filter(external_id__in=ids).values_list("external_id", flat=True)
    )
    written = []
    try:
        with transaction.atomic():
            _write([facility for _, facility in valid])
        written = valid
    except DatabaseError:
        # Validation mirrors the database rules, so this is rare (e.g. a concurrent writer):
        # find the refused rows one savepoint at a time and keep the others.
        for row, facility in valid:
            try:
                with transaction.atomic():
                    _write([facility])
                written.append((row, facility))
            except DatabaseError as exc:
                reason = _("refused by the database: %(error)s") % {
                    "error": str(exc).strip().splitlines()[0]
                }
                report.rejected.append(RowProblem(row.where, facility.external_id, reason))
    written_ids = [facility.external_id for _, facility in written]
    Facility.objects.filter(external_id__in=written_ids).assign_areas()
    report.updated += sum(1 for i in written_ids if i in existing)
    report.created += sum(1 for i in written_ids if i not in existing)


def _write(facilities: list[Facility]) -> None:
    Facility.objects.bulk_create(
        facilities, update_conflicts=True, unique_fields=["external_id"],
        update_fields=_UPSERT_FIELDS,
    )

