"""A collaboration directory page with its people, for the directory tests."""

from content.models import CollaborationDirectoryPage, HospitalConsultant, KapBoardMember, PracticeConsultant
from portal.accounts.roles import Role
from tests.accounts.factories import (
    DepartmentFactory,
    HospitalFactory,
    KapUnitFactory,
    MembershipFactory,
    UserFactory,
)

from .factories import home


def practice_consultant_user(**fields):
    """A user holding the practice consultant role in a KAP unit."""
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation=KapUnitFactory(), role=Role.PRACTICE_CONSULTANT)
    return user


def directory_page(*, consultants=(), board=(), hospital_consultants=(), kap_unit=None, **fields):
    """A published directory under the home page; the lists are of unsaved entries."""
    page = CollaborationDirectoryPage(
        title=fields.pop("title", "Praksiskonsulenter"),
        slug=fields.pop("slug", "praksiskonsulenter"),
        kap_unit=kap_unit,
        **fields,
    )
    page.consultants = list(consultants)
    page.board_members = list(board)
    page.hospital_consultants = list(hospital_consultants)
    home().add_child(instance=page)
    page.save_revision().publish()
    return page


def consultant(name="", *, department=None, area=None, user=None, **fields) -> PracticeConsultant:
    return PracticeConsultant(
        name=name, department=department or DepartmentFactory(), area=area, user=user, **fields
    )


def board_member(name, represents=KapBoardMember.Represents.REGION, **fields) -> KapBoardMember:
    return KapBoardMember(name=name, represents=represents, **fields)


def hospital_consultant(name, *, hospital=None, responsibility=HospitalConsultant.PRACTICE, **fields):
    return HospitalConsultant(
        name=name, hospital=hospital or HospitalFactory(), responsibility=responsibility, **fields
    )
