"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
application = get_wsgi_application()

# Fill the dashboards' and the suggestions' caches before the first visitor asks (docs/radar.md).
from wendbaar.radar.dashboards.warm import warm_in_background  # noqa: E402

warm_in_background()
