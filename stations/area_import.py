"""Import administrative areas from GeoJSON: validate, repair, upsert by adcode, subdivide.

Each Feature carries `adcode`, `name`, `level` and `parent_adcode` (empty for a root), optionally
`name_en`; its geometry is a Polygon or MultiPolygon in WGS84. A row is rejected, with its reason,
when a property is missing or wrong, when its geometry cannot be made valid, or when its parent is
neither in the file (and accepted) nor in the database. Invalid geometries are repaired with
ST_MakeValid and reported. Everything happens in one transaction: an unexpected error leaves the
database as it was, and so does `commit=False` (a dry run that still reports real counts) or
`strict=True` with any rejected row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.db import connection, transaction
from django.utils.translation import gettext as _

from stations.models import Area, AreaLevel


@dataclass
class RowProblem:
    number: int  # 1-based position of the feature in the file
    adcode: str
    reason: str

    def __str__(self) -> str:
        return _("feature %(number)s (%(adcode)s): %(reason)s") % {
            "number": self.number, "adcode": self.adcode or _("no adcode"), "reason": self.reason,
        }


@dataclass
class AreaImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: list[RowProblem] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    committed: bool = False

    def summary(self) -> str:
        counts = {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "repaired": len(self.repaired), "rejected": len(self.rejected),
        }
        if self.committed:
            return _(
                "created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
                "repaired %(repaired)s, rejected %(rejected)s"
            ) % counts
        return _(
            "created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
            "repaired %(repaired)s, rejected %(rejected)s (nothing written)"
        ) % counts


class AreaImportError(Exception):
    """The file as a whole cannot be read."""


class _Abort(Exception):
    pass


@dataclass
class _Row:
    number: int
    adcode: str
    name: str
    name_en: str
    level: str
    parent_adcode: str
    boundary: MultiPolygon


def _repair(geom: GEOSGeometry) -> GEOSGeometry | None:
    """ST_MakeValid, keeping only the polygonal part; None when nothing polygonal is left."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_MakeValid(%s::geometry), 3)))",
            [geom.ewkb],
        )
        (wkb,) = cursor.fetchone()
    repaired = GEOSGeometry(memoryview(bytes(wkb)))
    return None if repaired.empty else repaired


def _read_row(number: int, feature: dict, report: AreaImportReport) -> _Row | None:
    props = feature.get("properties") or {}
    adcode = str(props.get("adcode") or "").strip()

    def reject(reason: str) -> None:
        report.rejected.append(RowProblem(number, adcode, reason))

    if not adcode or not adcode.isdigit() or len(adcode) > 12:
        return reject(_("adcode must be 1-12 digits"))
    name = str(props.get("name") or "").strip()
    if not name or len(name) > 100:
        return reject(_("name is required (at most 100 characters)"))
    level = str(props.get("level") or "").strip()
    if level not in AreaLevel.values:
        return reject(
            _("level “%(level)s” is not one of %(levels)s")
            % {"level": level, "levels": ", ".join(AreaLevel.values)}
        )
    geometry = feature.get("geometry")
    if not geometry or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        return reject(_("geometry must be a Polygon or MultiPolygon"))
    try:
        geom = GEOSGeometry(json.dumps(geometry), srid=4326)
    except (GEOSException, ValueError) as exc:
        return reject(_("geometry cannot be read: %(error)s") % {"error": exc})
    if not geom.valid:
        reason = geom.valid_reason
        repaired = _repair(geom)
        if repaired is None:
            return reject(
                _("invalid geometry (%(reason)s) with no polygon left after ST_MakeValid")
                % {"reason": reason}
            )
        report.repaired.append(
            RowProblem(number, adcode, _("repaired invalid geometry: %(reason)s") % {"reason": reason})
        )
        geom = repaired
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=4326)
    geom.srid = 4326
    return _Row(
        number=number,
        adcode=adcode,
        name=name,
        name_en=str(props.get("name_en") or "").strip()[:100],
        level=level,
        parent_adcode=str(props.get("parent_adcode") or "").strip(),
        boundary=geom,
    )


def _in_parent_order(rows: dict[str, _Row], report: AreaImportReport) -> list[_Row]:
    """Rows with parents before children; rows whose parent is nowhere to be found are rejected."""
    known = set(
        Area.objects.filter(
            adcode__in={r.parent_adcode for r in rows.values() if r.parent_adcode}
        ).values_list("adcode", flat=True)
    )
    ordered: list[_Row] = []
    placed: set[str] = set()
    pending = dict(rows)
    while pending:
        progress = False
        for adcode, row in list(pending.items()):
            parent = row.parent_adcode
            if not parent or parent in placed or (parent in known and parent not in rows):
                ordered.append(row)
                placed.add(adcode)
                del pending[adcode]
                progress = True
            elif parent not in rows and parent not in known:
                reason = _("parent %(parent)s is neither in the file nor in the database") % {
                    "parent": parent
                }
                report.rejected.append(RowProblem(row.number, adcode, reason))
                del pending[adcode]
                progress = True
            elif parent in rows and parent not in pending and parent not in placed:
                report.rejected.append(
                    RowProblem(
                        row.number, adcode, _("parent %(parent)s was rejected") % {"parent": parent}
                    )
                )
                del pending[adcode]
                progress = True
        if not progress:  # a cycle in the parent links
            for row in pending.values():
                report.rejected.append(
                    RowProblem(row.number, row.adcode, f"parent chain through {row.parent_adcode} is a cycle")
                )
            break
    return ordered


def import_areas(path: str | Path, *, commit: bool = True, strict: bool = False) -> AreaImportReport:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreaImportError(
            _("%(path)s: not a readable GeoJSON file (%(error)s)") % {"path": path, "error": exc}
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise AreaImportError(
            _("%(path)s: expected a GeoJSON FeatureCollection") % {"path": path}
        )

    report = AreaImportReport()
    try:
        with transaction.atomic():
            rows: dict[str, _Row] = {}
            for number, feature in enumerate(document.get("features") or [], start=1):
                row = _read_row(number, feature, report)
                if row is None:
                    continue
                if row.adcode in rows:
                    twice = _("adcode appears twice in the file")
                    report.rejected.append(RowProblem(number, row.adcode, twice))
                    continue
                rows[row.adcode] = row
            _write(_in_parent_order(rows, report), report)
            report.rejected.sort(key=lambda p: p.number)
            if not commit or (strict and report.rejected):
                raise _Abort
    except _Abort:
        return report
    report.committed = True
    return report


def _write(rows: list[_Row], report: AreaImportReport) -> None:
    existing = {a.adcode: a for a in Area.objects.filter(adcode__in=[r.adcode for r in rows])}
    ids: dict[str, int] = dict(
        Area.objects.filter(adcode__in={r.parent_adcode for r in rows if r.parent_adcode})
        .values_list("adcode", "id")
    )
    changed_ids = []
    for row in rows:  # one statement per area: files hold tens to thousands of areas, not millions
        parent_id = ids.get(row.parent_adcode) if row.parent_adcode else None
        values = {
            "name": row.name, "name_en": row.name_en, "level": row.level, "parent_id": parent_id,
        }
        area = existing.get(row.adcode)
        if area is None:
            area = Area.objects.create(adcode=row.adcode, boundary=row.boundary, **values)
            report.created += 1
            changed_ids.append(area.id)
        else:
            same_shape = area.boundary.equals_exact(row.boundary, tolerance=1e-9)
            same_values = all(getattr(area, k) == v for k, v in values.items())
            if same_shape and same_values:
                report.unchanged += 1
            else:
                Area.objects.filter(pk=area.pk).update(boundary=row.boundary, **values)
                report.updated += 1
                if not same_shape:
                    changed_ids.append(area.id)
        ids[row.adcode] = area.id
    Area.objects.rebuild_paths()
    Area.objects.filter(id__in=changed_ids).rebuild_pieces()
