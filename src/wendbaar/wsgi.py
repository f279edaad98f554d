"""WSGI entry point."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
application = get_wsgi_application()

# The threads of a gthread worker share one GIL: a page thread that comes back from each of its ten
# or twenty queries waits for a busy neighbour to give the GIL up, by default after 5 ms each time.
from wendbaar import conf  # noqa: E402

sys.setswitchinterval(conf.get("SWITCH_INTERVAL_MS") / 1000)

# Fill the dashboards' and the suggestions' caches before the first visitor asks (docs/radar.md).
from wendbaar.radar.dashboards.warm import warm_in_background  # noqa: E402

warm_in_background()
