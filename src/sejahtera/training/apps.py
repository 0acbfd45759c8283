from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "sejahtera.training"
    verbose_name = _("Vocational training (BLK) and internships")
