"""Logging a test client in as a user who has passed the second factor."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_login(client, user):
    """``force_login`` plus a confirmed TOTP device marked as verified in the session."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="Test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
