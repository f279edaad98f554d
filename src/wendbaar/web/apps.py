from pathlib import Path

from django.apps import AppConfig
from django.conf import settings

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


class WebConfig(AppConfig):
    name = "wendbaar.web"

    def ready(self) -> None:
        # Our templates for allauth ("allauth/layouts/base.html", "allauth/elements/…") must win over
        # allauth's own, but INSTALLED_APPS lists allauth first. Until settings put wendbaar.web before
        # allauth (asked of the lead), search this folder first; a no-op once the order is right.
        apps = list(settings.INSTALLED_APPS)
        if "allauth" in apps and apps.index("allauth") < apps.index("wendbaar.web"):
            for engine in settings.TEMPLATES:
                dirs = engine.setdefault("DIRS", [])
                if TEMPLATES_DIR not in dirs and str(TEMPLATES_DIR) not in dirs:
                    dirs.insert(0, TEMPLATES_DIR)
