"""The enterprise importer: a reason per rejected row, nothing written on --dry-run."""

from io import StringIO

import pytest
from django.core.management import call_command

from outreach.models import Enterprise
from tests.outreach.builders import code_for

pytestmark = pytest.mark.django_db


def _csv(tmp_path, good, wrong):
    path = tmp_path / "firms.csv"
    path.write_text(
        "name,credit_code,lat,lon,street,industry,is_key\n"
        f"某配送公司,{good},1.0,101.0,塔山街道,delivery_platform,是\n"
        f"校验错,{wrong},1.0,101.0,,,\n"
        f"重复,{good},1.0,101.0,,,\n"
        f"无坐标,{code_for()},,101.0,,,\n",
        encoding="utf-8",
    )
    return path


def _wrong(code):
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_dry_run_reports_and_writes_nothing(tree, tmp_path):
    good = code_for()
    out = StringIO()
    call_command("import_enterprises", str(_csv(tmp_path, good, _wrong(good))), "--dry-run",
                 stdout=out)
    text = out.getvalue()
    assert "created 1, rejected 3 (dry run" in text
    assert "line 3" in text and "credit_code" in text
    assert "line 5" in text and "lat" in text
    assert not Enterprise.objects.exists()


def test_it_writes_the_good_rows(tree, tmp_path):
    good = code_for()
    call_command("import_enterprises", str(_csv(tmp_path, good, _wrong(good))), stdout=StringIO())
    firm = Enterprise.objects.get()
    assert (firm.credit_code, firm.is_key, firm.area, firm.street) == (good, True, tree.a, "塔山街道")
