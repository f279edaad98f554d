"""Likely duplicates of a new initiative: the same title in other words, found through the search terms."""

from __future__ import annotations

from rapidfuzz import fuzz

from wendbaar.hub import terms
from wendbaar.hub.models import Initiative
from wendbaar.regions.models import Region

# token_set_ratio of the titles: "Leerwerkloket zorg Rijnmond" and "Rijnmond leerwerkloket voor de zorg"
# score 100; two different pilots that share a sector word stay well under 85.
TITLE_SIMILARITY = 85
GOAL_SIMILARITY = 80
CANDIDATES = 25


def likely_duplicates(*, title: str, goal: str, region: Region) -> list[Initiative]:
    """Return initiatives whose title (and goal) are close to these, those of `region` first."""
    from wendbaar.hub.search import INITIATIVES, _idf, _rank

    words = terms.query_terms(title)
    idf = _idf(INITIATIVES, words, Initiative.objects.count())
    if not idf:
        return []
    rows, _total = _rank(INITIATIVES, idf, require_all=False, limit=CANDIDATES)
    candidates = Initiative.objects.select_related("region").in_bulk([pk for pk, _score in rows])
    found = []
    for pk, _score in rows:
        candidate = candidates[pk]
        same_title = fuzz.token_set_ratio(title.lower(), candidate.title.lower()) >= TITLE_SIMILARITY
        same_goal = fuzz.token_set_ratio(goal.lower(), candidate.goal.lower()) >= GOAL_SIMILARITY
        if same_title and (same_goal or candidate.region_id == region.pk):
            found.append(candidate)
    found.sort(key=lambda i: i.region_id != region.pk)
    return found
