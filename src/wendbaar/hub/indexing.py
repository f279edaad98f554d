"""Keep the search and matchmaking terms of initiatives and profiles up to date, at save time.

Skills are read from the texts by the skills engine once, when the text changes, so searching
and matchmaking never run the engine.
"""

from __future__ import annotations

from django.db import transaction

from wendbaar.hub import terms
from wendbaar.hub.models import Initiative, InitiativeTerm, Profile, ProfileTerm
from wendbaar.regions.models import Membership

# The engine finds many weak skills in a long text; the strongest few say what it is about.
MAX_SKILLS = 8


def skills_in(text: str) -> list[list[str]]:
    """Return [[uri, label], ...] of the skills the engine reads in `text` (none without a taxonomy)."""
    from wendbaar.skills import services as skills
    from wendbaar.skills.models import Concept

    if not text.strip() or not Concept.objects.exists():
        return []
    engine = skills.get_engine()
    found = engine.extract_skills(text, lang="nl", k=MAX_SKILLS)
    return [[match.uri, match.label] for match in found]


def initiative_terms(initiative: Initiative) -> dict[str, float]:
    """Return the terms of an initiative (word stems and tags) with their weights."""
    factors = [*initiative.success_factors, *initiative.failure_factors]
    return terms.document_terms(
        title=initiative.title,
        goal=initiative.goal,
        texts=[initiative.description, " ".join(factors)],
        tags={
            "theme": initiative.themes,
            "sector": initiative.sectors,
            "target": initiative.target_groups,
            "factor": factors,
            "success": initiative.success_factors,
            "failure": initiative.failure_factors,
            "status": [initiative.status],
            "region": [initiative.region.code],
            "skill": [uri for uri, _label in initiative.skills],
        },
    )


@transaction.atomic
def index_initiative(initiative: Initiative, *, read_skills: bool) -> None:
    """Write the initiative's terms anew (and first read its skills, when its text changed)."""
    if read_skills:
        initiative.skills = skills_in(f"{initiative.title}. {initiative.goal}\n{initiative.description}")
        Initiative.objects.filter(pk=initiative.pk).update(skills=initiative.skills)
    InitiativeTerm.objects.filter(initiative=initiative).delete()
    InitiativeTerm.objects.bulk_create(
        InitiativeTerm(initiative=initiative, term=term, weight=weight)
        for term, weight in initiative_terms(initiative).items()
    )


def profile_terms(profile: Profile) -> dict[str, float]:
    ambassador = Membership.objects.filter(user_id=profile.user_id, is_learning_ambassador=True).exists()
    return terms.document_terms(
        texts=[profile.works_on, profile.offers, profile.seeks],
        tags={
            "theme": profile.themes,
            "sector": profile.sectors,
            "target": profile.target_groups,
            "region": [profile.region.code] if profile.region else [],
            "skill": [uri for uri, _label in profile.skills],
            "ambassador": ["yes"] if ambassador else [],
        },
    )


@transaction.atomic
def index_profile(profile: Profile, *, read_skills: bool) -> None:
    """Write a findable profile's terms anew; a profile that is not findable has none."""
    if read_skills:
        profile.skills = skills_in("\n".join([profile.works_on, profile.offers, profile.seeks]))
        Profile.objects.filter(pk=profile.pk).update(skills=profile.skills)
    ProfileTerm.objects.filter(profile=profile).delete()
    if profile.findable:
        ProfileTerm.objects.bulk_create(
            ProfileTerm(profile=profile, term=term, weight=weight) for term, weight in profile_terms(profile).items()
        )
