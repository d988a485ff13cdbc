from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "portal.correspondence"
    label = "correspondence"
    verbose_name = _("Correspondence")

    def ready(self):
        from django.db.models.signals import post_save

        from portal.patients.services import key_rotation_register

        from . import projection, services
        from .models import Participant, Thread

        # Dead letters keep the received bundle, CPR number included, under the CPR keys.
        key_rotation_register(label="ikke leverede MedCom-beskeder", rotate=services.dead_letters_rotate_keys)

        post_save.connect(projection._on_thread_saved, sender=Thread, dispatch_uid="inbox_thread_saved")
        post_save.connect(
            projection._on_participant_saved, sender=Participant, dispatch_uid="inbox_participant"
        )
