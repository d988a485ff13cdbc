"""python manage.py rotate_cpr_keys

Key rotation: put the new Fernet key first in CPR_ENCRYPTION_KEYS (keep the
old ones after it), run this command, then remove the old keys.
"""

from django.core.management.base import BaseCommand

from portal.patients.services import patient_data_rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored CPR number, and other data kept under the same keys, "
        "with the first key in CPR_ENCRYPTION_KEYS."
    )

    def handle(self, *args, **options):
        for label, count in patient_data_rotate_keys().items():
            self.stdout.write(f"Krypterede {count} {label} igen med den nyeste nøgle.")
