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
