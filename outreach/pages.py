"""Pages: the staff visit ledger (phone first), the staff review, the public dashboard."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from cases.models import Category, StaffMember
from outreach import dashboard, periods, reviews
from outreach.models import Enterprise, Visit, jurisdiction_of
from outreach.serializers import raise_issues
from stations.models import Area

ISSUE_SLOTS = 3


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["enterprise", "visited_on", "workers_met", "findings", "follow_up"]
        widgets = {
            # ISO, whatever the language: the only format a date input takes.
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "workers_met": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = Enterprise.objects.visible_to(user).only("name", "street")
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].label_from_instance = (
            lambda e: f"{e.name} · {e.street}" if e.street else e.name
        )
        self.fields["visited_on"].initial = timezone.localdate()
        for n in range(ISSUE_SLOTS):
            self.fields[f"issue_{n}_category"] = forms.ChoiceField(
                choices=[("", "—"), *Category.choices], required=False,
                label=_("Issue %(n)s: category") % {"n": n + 1},
            )
            self.fields[f"issue_{n}_description"] = forms.CharField(
                required=False, max_length=4000, label=_("Issue %(n)s: what is it?") % {"n": n + 1},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be dated in the future."))
        return day

    def clean(self):
        data = super().clean()
        self.issues = []
        for n in range(ISSUE_SLOTS):
            category = data.get(f"issue_{n}_category")
            description = (data.get(f"issue_{n}_description") or "").strip()
            if category and not description:
                self.add_error(f"issue_{n}_description", _("Say what the issue is."))
            elif description and not category:
                self.add_error(f"issue_{n}_category", _("Choose a category."))
            elif category:
                self.issues.append({"category": category, "description": description})
        return data


def _staff_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_superuser or StaffMember.union_of(request.user) is not None):
        raise Http404
    return None


def visits_page(request):
    refused = _staff_only(request)
    if refused:
        return refused
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            visit = form.save(commit=False)
            visit.staff = request.user
            visit.save()
            cases = raise_issues(visit, form.issues, request.user)
        messages.success(request, ngettext(
            "Visit saved; %(n)d issue became a case.", "Visit saved; %(n)d issues became cases.",
            len(cases),
        ) % {"n": len(cases)})
        return redirect("outreach:visits-page")
    recent = (
        Visit.objects.filter(staff=request.user).select_related("enterprise")
        .prefetch_related("issues__case").order_by("-visited_on", "-id")[:10]
    )
    return render(request, "outreach/visits.html", {"form": form, "recent": recent})


@login_required
@require_safe
def reviews_page(request):
    refused = _staff_only(request)
    if refused:
        return refused
    area = jurisdiction_of(request.user)
    if area is None and request.user.is_superuser:
        area = Area.objects.filter(adcode=request.GET.get("area", "")).first()
    if area is None:
        raise Http404
    period = request.GET.get("period", "month")
    if period not in periods.PERIODS:
        period = "month"
    today = timezone.localdate()
    start, end = periods.window(period, today)
    result = reviews.review(area, start, end, today)
    return render(request, "outreach/reviews.html", {
        "result": result, "period": period, "periods": periods.PERIODS,
    })


@require_safe
def dashboard_page(request, adcode: str):
    area = Area.objects.defer("boundary").filter(adcode=adcode).first()
    if area is None:
        raise Http404
    children = Area.objects.filter(parent=area).defer("boundary").order_by("adcode")
    return render(request, "outreach/dashboard.html", {
        "figures": dashboard.figures(area), "area": area, "children": children,
        "parent": area.parent,
    })
