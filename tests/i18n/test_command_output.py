"""Command output meant for people is Chinese by default (the settings' language), one language
per line, the serializer's reasons included."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

HEADER = "external_id,kind,name,lat,lon\n"


def test_the_facility_import_reports_in_chinese(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text(HEADER + "A,rest_station,好,39.9,116.4\nB,rest_station,坏,95,116.4\n",
                    encoding="utf-8")
    out = StringIO()
    call_command("import_facilities", str(path), "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "已拒绝 第 3 行（B）：lat: 须在 -90 到 90 之间",
        "新增 1，更新 0，拒绝 1（试运行：未写入任何数据）",
    ]
    # Field names and ids are the file's own words; nothing else is English.
    assert not re.search(r"\b(?!lat\b)[A-Za-z]{3,}\b", "\n".join(lines))
