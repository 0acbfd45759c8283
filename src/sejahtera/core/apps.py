from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sejahtera.core"
    label = "core"
