from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sejahtera.registry"
    label = "registry"
