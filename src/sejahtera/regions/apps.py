from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "sejahtera.regions"
    label = "regions"
