"""Which roles write in threads and which distribute an inbox: the shared sets from accounts."""

from portal.accounts.roles import CLINICIAN_ROLES, DISTRIBUTOR_ROLES

__all__ = ["CLINICIAN_ROLES", "DISTRIBUTOR_ROLES"]
