"""The API under /api/v1/: each app contributes its routes; the OpenAPI document is public."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from wendbaar.api_conventions import Router
from wendbaar.radar.api import register as register_radar
from wendbaar.regions.api import register as register_regions
from wendbaar.skills.api import register as register_skills

router = Router()
# Each app registers its viewsets on the router and returns any extra (non-viewset) paths.
extra_paths = [*register_regions(router), *register_skills(router), *register_radar(router)]

urlpatterns = [
    *extra_paths,
    path(
        "openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[], authentication_classes=[]), name="openapi"
    ),
    path("", include(router.urls)),
]
