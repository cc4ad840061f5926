"""A PostgreSQL int4multirange column holding the minutes of the week a facility is open.

Minute 0 is Monday 00:00 local time (Asia/Shanghai); the week has 10,080 minutes. Storing the
opening hours this way lets "open now" be one indexed-friendly `@>` test in SQL, so the nearest
search can filter on it inside the KNN scan instead of in Python.
"""

from django.db import models


class MinuteSetField(models.Field):
    description = "Set of minutes of the week (int4multirange)"

    def db_type(self, connection):
        return "int4multirange"

    def from_db_value(self, value, expression, connection):
        return value

    def get_prep_value(self, value):
        if value is None or isinstance(value, str):
            return value
        # An iterable of (start, end) half-open minute pairs.
        return "{" + ",".join(f"[{int(s)},{int(e)})" for s, e in value) + "}"


@MinuteSetField.register_lookup
class ContainsMinute(models.Lookup):
    """`open_minutes__has_minute=m`: the set contains minute m."""

    lookup_name = "has_minute"
    # The right-hand side is one minute, not a set: don't run it through get_prep_value.
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @> ({rhs})::integer", [*lhs_params, *rhs_params]

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [int(value)])
