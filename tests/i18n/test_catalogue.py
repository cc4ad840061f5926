"""The Chinese catalogue is complete: every message translated, none fuzzy, and nothing in the
code that `makemessages` would add to it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.i18n.po import read

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
# What makemessages must not read: installed packages, collected copies, generated output.
SKIPPED = {".venv", "staticfiles", "artifacts", ".git", ".local", "node_modules", "__pycache__",
           "locale", ".pytest_cache", ".ruff_cache"}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_a_chinese_translation_and_none_is_fuzzy(domain):
    entries = [e for e in read(CATALOGUES / f"{domain}.po") if not e.obsolete]
    assert entries, f"{domain}.po is empty"
    assert [e.msgid for e in entries if not e.translated] == []
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """makemessages run over a copy of the tree into an empty locale directory."""
    copy = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT, copy, dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if n in SKIPPED])
    (copy / "locale").mkdir()
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-d", domain,
             "--no-location", "--ignore=.venv", "--ignore=staticfiles"],
            cwd=copy, check=True, capture_output=True,
        )
    return copy / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", DOMAINS)
def test_makemessages_finds_no_message_missing_from_the_catalogue(fresh_catalogues, domain):
    found = {e.key for e in read(fresh_catalogues / f"{domain}.po")}
    committed = {e.key for e in read(CATALOGUES / f"{domain}.po") if not e.obsolete}
    assert found, "makemessages found no messages at all"
    assert sorted(found - committed, key=str) == [], "run `make messages` and translate them"
