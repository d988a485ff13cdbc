"""Which roles write in threads and which distribute an inbox."""

from portal.accounts.roles import Role

# Always a named clinician writes; never "the department".
CLINICIAN_ROLES = frozenset({Role.GP, Role.HOSPITAL_SPECIALIST, Role.TRAINEE})
# Medical secretaries triage: they see the inbox, assign and re-route, but do not write.
DISTRIBUTOR_ROLES = frozenset({Role.MEDICAL_SECRETARY})
