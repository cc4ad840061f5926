"""The map pages' filter forms, drawn by Django from the limits and defaults in `maps.params`.

They only draw the inputs (with `min`, `max` and starting values written once, in maps.params);
the page reads the submitted values through the same serializers as the API, so `/maps/gaps/`
and `/api/gaps/` accept and refuse exactly the same input.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cases.models import Category
from maps.params import (
    CELL_LIMITS,
    DEFAULT_CELL,
    DEFAULT_RADIUS,
    DEFAULT_SITES,
    MAX_SITES,
    RADIUS_LIMITS,
    WEIGHT_LIMITS,
)
from stations.models import FacilityKind


def _metres(label, limits: tuple[int, int], step: int = 50) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=limits[0], max_value=limits[1], required=False,
        widget=forms.NumberInput(attrs={"step": step}),
    )


def _area() -> forms.CharField:
    # Typed as an adcode or a name; the page's datalist (#ws-areas) offers both.
    return forms.CharField(
        label=_("Area (name or adcode)"), required=False,
        widget=forms.TextInput(attrs={"list": "ws-areas", "size": 12, "placeholder": _("all")}),
    )


def _day(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class FilterForm(forms.Form):
    """A bound form showing what was asked for, the defaults filled in where nothing was."""

    defaults: dict = {}

    def __init__(self, query: QueryDict):
        data = query.copy()
        for name, value in self.defaults.items():
            data.setdefault(name, value)
        super().__init__(data)


class FacilityMapForm(FilterForm):
    defaults = {"radius": DEFAULT_RADIUS}

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *FacilityKind.choices]
    )
    area = _area()
    radius = _metres(_("Service radius (m)"), RADIUS_LIMITS)


class HeatmapForm(FilterForm):
    defaults = {"cell": DEFAULT_CELL}

    category = forms.MultipleChoiceField(
        label=_("Category"), required=False, choices=Category.choices,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    since = _day(_("Since"))
    until = _day(_("Until"))
    area = _area()
    cell = _metres(_("Cell (m)"), CELL_LIMITS)


class GapForm(FilterForm):
    defaults = {
        "kind": FacilityKind.CHARGING_POINT, "radius": DEFAULT_RADIUS, "cell": DEFAULT_CELL,
        "n": DEFAULT_SITES, "weight": 0,
    }

    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    radius = _metres(_("Radius (m)"), RADIUS_LIMITS)
    cell = _metres(_("Cell (m)"), CELL_LIMITS)
    n = forms.IntegerField(label=_("Sites (n)"), min_value=1, max_value=MAX_SITES, required=False)
    area = _area()
    since = _day(_("Since"))
    until = _day(_("Until"))
    weight = forms.FloatField(
        label=_("Weight of other cases"), min_value=WEIGHT_LIMITS[0], max_value=WEIGHT_LIMITS[1],
        required=False, widget=forms.NumberInput(attrs={"step": 0.05}),
    )
    include_planned = forms.BooleanField(label=_("Count planned facilities"), required=False)
    # Typed, or filled by the page's preset buttons (maps.window.PRESETS; gaps.html).
    hours = forms.CharField(
        label=_("Time window"), required=False,
        widget=forms.TextInput(attrs={"size": 14, "placeholder": _("every hour"),
                                      "id": "ws-hours", "autocomplete": "off"}),
    )
    include_extensions = forms.BooleanField(
        label=_("Propose longer opening hours"), required=False
    )
