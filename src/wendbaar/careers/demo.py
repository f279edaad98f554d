"""The careers app's demo steps, run by `wendbaar demo` after the taxonomy, engine and radar steps."""

from __future__ import annotations

from collections.abc import Callable

from wendbaar.web.demo import DemoWorld


def sample_checkup(world: DemoWorld) -> str:
    """Give the demo learner a check-up: the skills of one occupation, so paths and gaps show something."""
    from wendbaar.careers import mobility, services
    from wendbaar.careers.models import CheckUp
    from wendbaar.skills.models import Concept, Kind, OccupationSkill, RelationType

    learner = world.users.get("learner")
    if learner is None:
        return "careers: no demo learner; no sample check-up"
    if CheckUp.objects.filter(person_id=learner.pk).exists():
        return "careers: the demo learner already has a check-up"
    occupation = (
        Concept.objects.filter(kind=Kind.OCCUPATION, skill_relations__relation=RelationType.ESSENTIAL)
        .order_by("uri")
        .first()
    )
    if occupation is None:
        return "careers: no occupations with skills in the taxonomy; no sample check-up"
    skills = list(
        OccupationSkill.objects.filter(occupation=occupation, relation=RelationType.ESSENTIAL)
        .order_by("skill__uri")
        .values_list("skill__uri", flat=True)
    )
    mobility.forget()
    checkup = services.start_checkup(
        person=learner,
        by=learner,
        region_code=world.region.code if world.region else "",
        occupation_uri=occupation.uri,
        skill_uris=[uri for uri in skills if Concept.objects.filter(uri=uri, kind=Kind.SKILL).exists()],
        times=["evening"],
    )
    return f"careers: a sample check-up for the demo learner ({checkup.uuid})"


DEMO_STEPS: list[Callable[[DemoWorld], str]] = [sample_checkup]
