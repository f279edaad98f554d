from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wendbaar.web"
