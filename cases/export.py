"""CSV exports for the unions' monthly and quarterly reviews: the case list and the statistics.

Streamed: rows come from a server-side cursor (`.iterator(chunk_size=...)`) and leave as they are
formatted, so memory stays flat however many cases the filters select (bench/export.py measures
it over a million). UTF-8 with a byte-order mark, which Excel needs to read UTF-8 as such, and
every cell that a spreadsheet would take for a formula (starting with = + - @, or a tab or carriage
return that hides one) is prefixed with an apostrophe: a worker's description is untrusted input.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models import Func
from django.db.models import BooleanField, F, FloatField, Q, QuerySet
from django.db.models.expressions import ExpressionWrapper
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import OPEN_STATUSES, Case

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 2000  # rows per database fetch and per piece of the response


def cell(value: Any) -> str:
    """One CSV cell as text: local times, empty for None, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


def lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """The CSV document in pieces of CHUNK_ROWS rows, BOM first."""
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow([cell(h) for h in header])).encode()
    piece: list[str] = []
    for row in rows:
        piece.append(writer.writerow([cell(v) for v in row]))
        if len(piece) >= CHUNK_ROWS:
            yield "".join(piece).encode()
            piece = []
    if piece:
        yield "".join(piece).encode()


def response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    answer = StreamingHttpResponse(lines(header, rows), content_type="text/csv; charset=utf-8")
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer


# (header, expression or field path) of the case export, in order.
def _case_columns(now: datetime) -> list[tuple[Any, Any]]:
    def label(name: str):
        return Case._meta.get_field(name).verbose_name

    return [
        (label("reference"), "reference"),
        (label("category"), "category"),
        (label("channel"), "channel"),
        (label("status"), "status"),
        (label("created_at"), "created_at"),
        (label("response_due_at"), "response_due_at"),
        (label("due_at"), "due_at"),
        (_("overdue"), ExpressionWrapper(
            Q(status__in=OPEN_STATUSES, due_at__lt=now), output_field=BooleanField()
        )),
        (_("responded at"), "responded_at"),
        (_("resolved at"), "resolved_at"),
        (_("area code"), "area__adcode"),
        (_("area"), "area__name"),
        (label("assigned_union"), "assigned_union__name"),
        (label("assignee"), "assignee__username"),
        (label("transferred_to"), "transferred_to"),
        (label("address"), "address"),
        (_("longitude"), Func(F("location"), function="ST_X", output_field=FloatField())),
        (_("latitude"), Func(F("location"), function="ST_Y", output_field=FloatField())),
        (label("rating"), "rating"),
        (label("reporter_name"), "reporter_name"),
        (label("reporter_phone"), "reporter_phone"),
        (label("description"), "description"),
        (label("resolution"), "resolution"),
    ]


def cases(queryset: QuerySet[Case], filename: str = "cases.csv") -> StreamingHttpResponse:
    """The cases of `queryset` (already filtered to the user's jurisdiction), oldest first."""
    columns = _case_columns(timezone.now())
    names = {f"c{k}": expr for k, (_label, expr) in enumerate(columns) if not isinstance(expr, str)}
    fields = [
        expr if isinstance(expr, str) else f"c{k}" for k, (_label, expr) in enumerate(columns)
    ]
    rows = (
        queryset.order_by("created_at", "id")
        .annotate(**names)
        .values_list(*fields)
        .iterator(chunk_size=CHUNK_ROWS)
    )
    return response(filename, [str(label) for label, _expr in columns], rows)


HANDLER = _("handler")
STATS_COLUMNS = [
    ("area", _("area code")), ("name", _("area")), ("received", _("received")),
    ("resolved", _("resolved")),
    ("first_time_resolution_rate", _("first-time resolution rate")),
    ("median_handling_hours", _("median handling hours")),
    ("mean_handling_hours", _("mean handling hours")), ("overdue", _("overdue")),
    ("response_overdue", _("response overdue")), ("mean_rating", _("mean rating")),
]


def stats(rows: Iterable[dict], key_columns: list[tuple[str, Any]] | None = None,
          filename: str = "stats.csv") -> StreamingHttpResponse:
    """Statistics rows (cases.stats), one line each; `key_columns` replace the area columns
    (the per-handler table)."""
    columns = (key_columns or STATS_COLUMNS[:2]) + STATS_COLUMNS[2:]
    return response(
        filename, [str(label) for _key, label in columns],
        ([row.get(key) for key, _label in columns] for row in rows),
    )
