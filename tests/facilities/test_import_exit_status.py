"""import_facilities tells scripts about bad rows (exit status) and bad bytes (the right line)."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
HEADER = "external_id,kind,name,lat,lon\n"


def test_it_exits_non_zero_and_says_so_when_rows_were_rejected(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "A,rest_station,好,39.9,116.4\nB,nonsense,坏,39.9,116.4\n",
                    encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_facilities", str(path), "--dry-run"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "rejected 1" in result.stdout
    assert "1 rows were rejected" in result.stderr


@pytest.mark.django_db
def test_it_names_the_line_of_a_byte_that_is_not_utf8_far_into_the_file(tmp_path):
    rows = "".join(f"X{n},rest_station,站{n},39.9,116.4\n" for n in range(2, 800))  # lines 2-799
    bad = b"X800,rest_station," + "驿站".encode("gbk") + b",39.9,116.4\n"  # line 800
    path = tmp_path / "f.csv"
    path.write_bytes(HEADER.encode() + rows.encode() + bad)
    with pytest.raises(CommandError, match=r"line 800: not UTF-8"):
        call_command("import_facilities", str(path), "--dry-run", stdout=StringIO())
