from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sejahtera.web"
    label = "web"
