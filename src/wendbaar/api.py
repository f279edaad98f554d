"""The API under /api/v1/: each app contributes its routes; the OpenAPI document is public."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from wendbaar.api_conventions import Router
from wendbaar.careers.api import register as register_careers
from wendbaar.catalogue.api import register as register_catalogue
from wendbaar.demand.api import register as register_demand
from wendbaar.enrolment.api import register as register_enrolment
from wendbaar.funding.api import register as register_funding
from wendbaar.hub.api import register as register_hub
from wendbaar.passport.api import register as register_passport
from wendbaar.radar.api import register as register_radar
from wendbaar.regions.api import register as register_regions
from wendbaar.skills.api import register as register_skills

router = Router()
# Each app registers its viewsets on the router and returns any extra (non-viewset) paths.
extra_paths = [
    *register_regions(router),
    *register_skills(router),
    *register_radar(router),
    *register_catalogue(router),
    *register_demand(router),
    *register_passport(router),
    *register_careers(router),
    *register_funding(router),
    *register_enrolment(router),
    *register_hub(router),
]

urlpatterns = [
    *extra_paths,
    path(
        "openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[], authentication_classes=[]), name="openapi"
    ),
    path("", include(router.urls)),
]
