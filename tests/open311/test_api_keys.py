"""create_api_key prints a key once and keeps only its hash; revocation; last use."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from open311.models import ApiKey


def _create(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_key_is_printed_once_and_only_its_hash_kept(tree):
    raw, note = _create("省平台 provincial platform", "--union", tree.a.adcode)

    key = ApiKey.objects.get()
    assert key.name == "省平台 provincial platform" and key.union == tree.a.union
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(key.prefix) and len(raw) > 40
    assert key.prefix in note
    stored = [str(v) for v in ApiKey.objects.values_list(flat=False).get()]
    assert not any(raw in value for value in stored)
    assert ApiKey.objects.authenticate(raw) == key


def test_two_keys_differ(db):
    assert _create("a")[0] != _create("b")[0]


def test_an_unknown_union_is_refused(db):
    with pytest.raises(CommandError):
        _create("x", "--union", "999999")
    assert not ApiKey.objects.exists()


def test_a_revoked_key_no_longer_authenticates(tree):
    key, raw = ApiKey.issue("x", tree.a.union)
    key.revoke()

    assert key.revoked_at is not None
    assert ApiKey.objects.authenticate(raw) is None


def test_last_use_is_written_at_most_once_a_minute(tree):
    key, _raw = ApiKey.issue("x")
    start = timezone.now()

    key.touch(start)
    key.touch(start + timedelta(seconds=30))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == start

    # Another worker holding a stale copy does not write either.
    stale = ApiKey.objects.get(pk=key.pk)
    stale.last_used_at = None
    stale.touch(start + timedelta(seconds=40))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == start

    key.touch(start + timedelta(seconds=61))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == start + timedelta(seconds=61)


def test_an_open311_call_records_the_use(client, tree):
    from .helpers import url

    key, raw = ApiKey.issue("x")
    client.get(url("requests", "json", {"api_key": raw}))

    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None
