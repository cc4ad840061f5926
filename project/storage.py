"""Static files storage: hashed names (served with a year-long cache) and gzip/brotli copies."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's manifest storage, rewriting references in CSS only.

    Debian's Leaflet builds end in `sourceMappingURL=…-src.js.map` comments naming maps Debian
    does not ship, and the manifest storage refuses a reference to a missing file. Our scripts
    reference no other file, so JavaScript is hashed but not rewritten.
    """

    patterns = tuple(
        (glob, rules) for glob, rules in CompressedManifestStaticFilesStorage.patterns
        if glob != "*.js"
    )
