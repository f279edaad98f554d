from django.apps import AppConfig


class WendbaarConfig(AppConfig):
    """The project itself, as an app, so project-wide commands (settings docs, OpenAPI) have a home."""

    name = "wendbaar"
    verbose_name = "Wendbaar"
