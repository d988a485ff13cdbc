"""A kept bundle holds a CPR number: it is encrypted under the CPR keys and rotated with them."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from portal.correspondence.medcom.importing import carecommunication_import
from portal.correspondence.services import dead_letter_bundle

from .test_carecommunication import TEST_CPR
from .test_import import UNSERVED_SOR, _addressed_to

pytestmark = pytest.mark.django_db


def test_the_kept_bundle_is_not_stored_in_clear():
    letter = carecommunication_import(_addressed_to(UNSERVED_SOR)).dead_letter
    letter.refresh_from_db()
    assert TEST_CPR.replace("-", "") not in letter.bundle_encrypted
    assert TEST_CPR.replace("-", "").encode() in dead_letter_bundle(letter)


def test_rotate_cpr_keys_re_encrypts_kept_bundles_so_the_old_key_can_go(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CPR_ENCRYPTION_KEYS = [old_key]
    letter = carecommunication_import(_addressed_to(UNSERVED_SOR)).dead_letter
    bundle = dead_letter_bundle(letter)

    settings.CPR_ENCRYPTION_KEYS = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_cpr_keys", stdout=out)
    assert "Krypterede 1 ikke leverede MedCom-beskeder" in out.getvalue()

    settings.CPR_ENCRYPTION_KEYS = [new_key]
    letter.refresh_from_db()
    assert dead_letter_bundle(letter) == bundle
    settings.CPR_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(InvalidToken):
        dead_letter_bundle(letter)
