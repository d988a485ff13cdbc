"""python manage.py rotate_cpr_keys

Key rotation: put the new Fernet key first in CPR_ENCRYPTION_KEYS (keep the
old ones after it), run this command, then remove the old keys.
"""

from django.core.management.base import BaseCommand

from portal.patients.services import patient_references_rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt every stored CPR number with the first key in CPR_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        count = patient_references_rotate_keys()
        self.stdout.write(f"Krypterede {count} CPR-numre igen med den nyeste nøgle.")
