from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "sejahtera.welfare"
    label = "welfare"
    verbose_name = _("Welfare ranking")

    def ready(self):
        from sejahtera.registry.signals import families_changed

        families_changed.connect(_rescore, dispatch_uid="welfare_rescore_changed")


def _rescore(sender, family_ids=None, **kwargs):
    from sejahtera.welfare.tasks import request_rescoring

    request_rescoring()
