"""The roles a person can hold in an organisation.

Roles live on memberships, not on users: the same doctor can be a GP in her
practice and a practice consultant (PKO) in the KAP unit.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GP = "gp", _("General practitioner")
    HOSPITAL_SPECIALIST = "hospital_specialist", _("Hospital specialist")
    MEDICAL_SECRETARY = "medical_secretary", _("Medical secretary")
    EDITOR = "editor", _("Editor")
    TRAINING_COORDINATOR = "training_coordinator", _("Training coordinator")
    TRAINEE = "trainee", _("Specialist trainee")
    PRACTICE_CONSULTANT = "practice_consultant", _("Practice consultant (PKO)")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which kinds of organisation a role can be held in. A role outside its
# kinds is a data error caught by Membership.clean().
ROLE_ORGANISATION_KINDS = {
    Role.GP: {"general_practice"},
    Role.HOSPITAL_SPECIALIST: {"department"},
    Role.MEDICAL_SECRETARY: {"general_practice", "department"},
    Role.EDITOR: {"secretariat", "kap_unit"},
    Role.TRAINING_COORDINATOR: {"secretariat", "hospital", "department"},
    Role.TRAINEE: {"department"},
    Role.PRACTICE_CONSULTANT: {"kap_unit"},
    Role.ADMINISTRATOR: {"secretariat"},
}


# The roles that stand for a named clinician: they write, confer and refer. Never "the department".
CLINICIAN_ROLES = frozenset({Role.GP, Role.HOSPITAL_SPECIALIST, Role.TRAINEE})
# Medical secretaries distribute an organisation's work: they see it, assign and re-route, but do
# not write clinically.
DISTRIBUTOR_ROLES = frozenset({Role.MEDICAL_SECRETARY})
