"""/find/ stays under 100 KB before the map library (Leaflet), so it opens on a slow connection."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import make_facility

pytestmark = pytest.mark.django_db
BUDGET = 100_000


def page_weight(language: str) -> dict[str, int]:
    """Bytes of /find/ and everything it loads except Leaflet (uncompressed: the worst case)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    html = client.get("/find/").content
    sizes = {"/find/": len(html)}
    for url in re.findall(rb'(?:src|href)="(/[^"]+)"', html):
        url = url.decode()
        if "/vendor/leaflet/" in url or not (url.endswith((".js", ".css")) or "jsi18n" in url):
            continue
        if url.startswith("/static/"):
            name = url.removeprefix("/static/")
            # The source file, or the collected copy when the name carries a content hash.
            path = finders.find(name) or Path(settings.STATIC_ROOT) / name
            sizes[url] = Path(path).stat().st_size
        else:
            sizes[url] = len(client.get(url).content)
    return sizes


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_find_weighs_under_100_kb_before_leaflet(language):
    make_facility(116.4, 39.9)
    sizes = page_weight(language)
    names = " ".join(sizes)
    assert "/static/maps/find." in names and "/static/maps/details." in names and "/jsi18n/" in names
    assert sum(sizes.values()) < BUDGET, sizes
