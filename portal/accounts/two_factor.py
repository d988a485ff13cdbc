"""Who must use two-factor authentication, and the devices that provide it.

TOTP (an authenticator app) is the factor; ten single-use recovery codes are
the way back in when the phone is lost. Both are django-otp devices.
"""

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role

# Every role: each can reach patient data or change what others read. Training coordinators
# plan named trainees' stays in named practices; practice consultants (PKO) see the
# practices' quality data; both act on others' behalf (README, "Two-factor per role").
ROLES_REQUIRING_TWO_FACTOR = {
    Role.GP,
    Role.HOSPITAL_SPECIALIST,
    Role.MEDICAL_SECRETARY,
    Role.TRAINEE,
    Role.EDITOR,
    Role.TRAINING_COORDINATOR,
    Role.PRACTICE_CONSULTANT,
    Role.ADMINISTRATOR,
}
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Godkendelsesapp"
RECOVERY_DEVICE_NAME = "Gendannelseskoder"


def two_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    # Editing in the Wagtail admin is editorial power, whatever the membership says.
    if user.has_perm("wagtailadmin.access_admin"):
        return True
    return user.memberships.filter(role__in=ROLES_REQUIRING_TWO_FACTOR).exists()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(user) -> TOTPDevice:
    """The unconfirmed device being enrolled; a fresh secret if none is pending."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> list[str]:
    """Confirm the enrolled device and issue new recovery codes (shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def verify_token(user, token: str):
    """The device that accepts ``token`` (TOTP or a recovery code), or None."""
    token = "".join(ch for ch in str(token) if ch.isascii() and ch.isdigit())[:10]
    if not token:
        return None
    if len(token) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    if len(token) == 10:
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None
