"""Serializer plumbing shared by the apps' hot paths."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.utils.formatting import lazy_format


class FlatFieldsMixin:
    """Copy the declared fields one level deep per serializer instance, not with `deepcopy`.

    DRF deep-copies every declared field (re-running each field's `__init__`) each time a
    serializer is instantiated. On the two hottest requests, case intake and the nearest search,
    that was about a third of the time spent validating input and rendering the receipt
    (bench/intake.py, bench/nearest.py). A shallow copy is enough for fields that keep no state
    of their own besides what `bind()` sets on the copy; nested serializers are copied the same
    way and copy their own fields when first used.

    Not for `many=True` children (a `ListSerializer` or `ManyRelatedField` binds its child once
    at construction, so copies would share a child bound to the class-level template): such a
    serializer is refused when the class is defined.

    The copies share their validators, and DRF words a limit's message (`min_value`,
    `max_length`, ...) with its `lazy_format`, which keeps the first text it made: every later
    request would get the first request's language. Those messages are re-made with Django's
    `format_lazy`, which formats in each request's language.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, field in getattr(cls, "_declared_fields", {}).items():
            if isinstance(field, serializers.ListSerializer | ManyRelatedField):
                raise TypeError(
                    f"{cls.__name__}.{name}: FlatFieldsMixin cannot copy a many=True field"
                )
            _translate_each_time(field)

    def get_fields(self):
        return {name: _shallow_copy(field) for name, field in self._declared_fields.items()}


def _shallow_copy(field):
    # What copy.copy does for these objects, without its generic __reduce_ex__ round: 3x faster.
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


def _translate_each_time(field) -> None:
    for validator in getattr(field, "validators", []):
        message = getattr(validator, "message", None)
        if isinstance(message, lazy_format) and message.result is None:
            validator.message = format_lazy(message.format_string, *message.args, **message.kwargs)


# Dates the API accepts. Outside them, turning a local day into a UTC instant (or the day after
# `until`) overflows Python's datetime, which used to be a 500 on `?since=0001-01-01`.
DATE_RANGE = (date(1900, 1, 1), date(2999, 12, 31))
_DATE_RANGE_MESSAGE = _("must be between %(first)s and %(last)s")


def _check_range(day: date) -> None:
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise serializers.ValidationError(
            _DATE_RANGE_MESSAGE % {"first": DATE_RANGE[0], "last": DATE_RANGE[1]}
        )


class BoundedDateField(serializers.DateField):
    """A DateField limited to DATE_RANGE."""

    def to_internal_value(self, value) -> date:
        day = super().to_internal_value(value)
        _check_range(day)
        return day


class BoundedDateTimeField(serializers.DateTimeField):
    """A DateTimeField limited to DATE_RANGE."""

    def to_internal_value(self, value) -> datetime:
        try:
            moment = super().to_internal_value(value)
        except OverflowError:  # year 1 in a time zone east of UTC
            moment = datetime.min
        _check_range(moment.date())
        return moment
