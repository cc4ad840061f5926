"""The stations tables as hand-written SQL sees them, named from the models' `_meta`.

Where SQL is written by hand for speed (intake's routing statement, the gap analysis), the other
apps take the table and column names from here rather than spelling `stations_area` themselves:
a renamed table or column then changes one place, and stays in step with the models.
"""

from __future__ import annotations

from django.db import models

from stations.models import Area, AreaPiece, Facility, Union


def column(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).column


def columns(model: type[models.Model], names: list[str]) -> list[str]:
    return [column(model, name) for name in names]


AREA = Area._meta.db_table
AREA_PIECE = AreaPiece._meta.db_table
UNION = Union._meta.db_table
FACILITY = Facility._meta.db_table

# The ids of the areas whose subdivided pieces cover a point; parameters: longitude, latitude
# (WGS84). Point-in-polygon on the pieces (GiST): see AreaQuerySet.rebuild_pieces.
COVERING_AREA_IDS = (
    f"SELECT {column(AreaPiece, 'area')} FROM {AREA_PIECE} "
    f"WHERE ST_Covers({column(AreaPiece, 'geom')}, ST_SetSRID(ST_MakePoint(%s, %s), 4326))"
)


def piece_covers(geometry_sql: str) -> str:
    """SQL true when a piece of the area whose id is the parameter covers `geometry_sql`."""
    return (
        f"EXISTS (SELECT 1 FROM {AREA_PIECE} p WHERE p.{column(AreaPiece, 'area')} = %s "
        f"AND ST_Covers(p.{column(AreaPiece, 'geom')}, {geometry_sql}))"
    )
