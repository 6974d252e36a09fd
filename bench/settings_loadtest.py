"""Settings of the load-test server: production-like (DEBUG off) with static files compressed but
not hashed, because `collectstatic` with the manifest storage currently stops on the vendored
Bootstrap bundle's missing source map (reported to the lead; the page timings are unaffected)."""

from zel.settings import *  # noqa: F403
from zel.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
