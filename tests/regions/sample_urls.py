"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py)."""

from tests.web.role_matrix import Sample
from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld


def _organisation(world: DemoWorld) -> Sample:
    # The demo employer's organisation: its member, the region's coordinator and admins see it;
    # the demo provider and fund belong to other organisations.
    organisation = world.organisations["Havenbouw Demo BV"]
    return Sample({"uuid": organisation.uuid}, out_of_scope=frozenset({Role.PROVIDER, Role.FUND}))


SAMPLE_URLS = {
    "regions:detail": lambda world: {"code": "AM22"},
    "regions:organisation": _organisation,
    # The demo coordinator coordinates AM22, so every coordinator and admin in the matrix may add here.
    "regions:organisation-create": lambda world: {"code": "AM22"},
}


def _owned_organisations(world: DemoWorld, outsiders: object) -> list:
    """The college's KvK number and members: not for learners, other organisations' people or other regions."""
    from tests.web.object_access import Probe
    from wendbaar.regions.models import Organisation

    college = world.organisations["Demo College (mbo)"]
    others = ("learner", "employer", "fund", "other-coordinator", "other-employer")
    url = f"/api/v1/organisations/{college.uuid}"

    def unchanged() -> bool:
        return Organisation.objects.get(pk=college.pk).name == "Demo College (mbo)"

    return [
        Probe("organisation API", "GET", url, others, secret=college.kvk),
        Probe("organisation list", "GET", "/api/v1/organisations", others, secret=college.kvk, listing=True),
        Probe("organisation page", "GET", f"/regio/organisatie/{college.uuid}/", others, secret=college.kvk),
        Probe("organisation change", "PATCH", url, ("other-coordinator",), body={"name": "Gekaapt"},
              unchanged=unchanged),
        Probe("organisation delete", "DELETE", url, ("other-coordinator",), unchanged=unchanged),
    ]


OWNED = [_owned_organisations]
