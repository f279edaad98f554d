"""Sample URL kwargs of the taxonomy pages for the role matrix (see tests/web/role_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.conftest import FIXTURES
from wendbaar.skills import services
from wendbaar.skills.models import Concept

LORRY_DRIVER = "http://data.europa.eu/esco/occupation/45037d43-a8f5-4f46-b332-b2935bc305f4"
WELDING = "http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc"


def _concept(uri: str) -> Concept:
    if not Concept.objects.filter(uri=uri).exists():
        esco = FIXTURES / "esco"
        services.import_taxonomy(paths=[esco / "v1.1.1", esco / "v1.2.0-nl"])
    return Concept.objects.get(uri=uri)


def _uuid_of(uri: str) -> Any:
    return lambda world: {"uuid": _concept(uri).uuid}


SAMPLE_URLS = {
    "skills:occupation": _uuid_of(LORRY_DRIVER),
    "skills:skill": _uuid_of(WELDING),
    "skills:add-label": _uuid_of(WELDING),
}


def _owned_labels(world: Any, outsiders: Any) -> list[Any]:
    """A synonym the AM22 coordinator made: another region's coordinator may not delete it."""
    from tests.web.object_access import Probe
    from wendbaar.skills.models import Label

    label = services.add_regional_label(
        concept=_concept(WELDING), text="lasfanaat", language="nl", region=world.region
    )

    def still_there() -> bool:
        return Label.objects.filter(pk=label.pk).exists()

    url = f"/api/v1/regional-labels/{label.uuid}"
    return [Probe("regional label delete", "DELETE", url, ("other-coordinator",), unchanged=still_there)]


OWNED = [_owned_labels]
