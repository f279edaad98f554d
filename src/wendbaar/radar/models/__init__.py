"""Models of the radar app, one module per concern: ingest runs and enrichment (part 1),
labour-market figures such as job seekers for the tension indicator (part 2)."""

from wendbaar.radar.models.labour import *  # noqa: F401,F403
from wendbaar.radar.models.runs import *  # noqa: F401,F403
