"""The command prints what it loaded and the staff logins."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from demo.spec import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_it_prints_the_counts_and_the_demo_logins(real_areas):
    call_command("load_demo", "--remove", stdout=StringIO())
    out = StringIO()
    with translation.override("en"):  # the messages are checked in English
        call_command("load_demo", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "Loaded demo data (seed 3, small)" in text
    assert DEMO_PASSWORD in text
    for username in ("demo-330411", "demo-330602", "demo-330723", "demo-431302", "demo-110105"):
        assert username in text
    removed = StringIO()
    with translation.override("en"):
        call_command("load_demo", "--remove", stdout=removed)
    assert "Removed demo data" in removed.getvalue()


def test_it_rejects_an_unknown_scale(real_areas):
    with pytest.raises(CommandError):
        call_command("load_demo", "--scale", "galactic", stdout=StringIO())
