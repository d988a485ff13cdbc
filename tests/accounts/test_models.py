"""Users log in by e-mail; organisations and memberships keep their shape."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from portal.accounts.models import Membership, Organisation, Specialty
from portal.accounts.roles import Role

from .factories import DepartmentFactory, HospitalFactory, MembershipFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_custom_user_model_is_active_and_logs_in_by_email():
    User = get_user_model()
    assert User._meta.label == "accounts.User"
    user = User.objects.create_user(
        "Hanne.Berg@Praksis.DK", "korrekt-hest-batteri-42", first_name="Hanne", last_name="Berg"
    )
    assert user.email == "hanne.berg@praksis.dk"
    request = RequestFactory().post("/admin/login/")  # django-axes needs the request to check lockouts
    assert authenticate(request, username="hanne.berg@praksis.dk", password="korrekt-hest-batteri-42") == user
    assert str(user) == "Hanne Berg"


def test_two_users_cannot_share_an_email():
    UserFactory(email="a@samspil.test")
    with pytest.raises(ValidationError):
        get_user_model().objects.create_user("A@samspil.test", "x" * 12, first_name="A", last_name="B")


def test_the_specialties_are_data_including_the_focused_stay_ones():
    assert Specialty.objects.count() >= 39
    focused = set(Specialty.objects.filter(focused_stay=True).values_list("slug", flat=True))
    named = ["akutmedicin", "psykiatri", "boerne-og-ungdomspsykiatri", "paediatri",
             "gynaekologi-og-obstetrik",
             "ortopaedisk-kirurgi", "neurologi", "urologi", "kirurgi", "oto-rhino-laryngologi",
             "dermato-venerologi", "kardiologi", "geriatri"]  # fmt: skip
    assert set(named) <= focused
    assert Specialty.objects.filter(group="Intern medicin").count() == 9
    assert not Specialty.objects.get(slug="almen-medicin").focused_stay


def test_a_practice_needs_a_six_digit_yder_number():
    practice = Organisation(kind=Organisation.Kind.GENERAL_PRACTICE, name="Lægehuset")
    with pytest.raises(ValidationError) as exc:
        practice.full_clean()
    assert "yder_number" in exc.value.message_dict
    practice.yder_number = "12345"
    with pytest.raises(ValidationError):
        practice.full_clean()
    practice.yder_number = "123456"
    practice.full_clean()


def test_a_department_belongs_to_a_hospital_and_has_a_specialty():
    practice = PracticeFactory()
    department = Organisation(kind=Organisation.Kind.DEPARTMENT, name="Geriatri", parent=practice)
    with pytest.raises(ValidationError) as exc:
        department.full_clean()
    assert {"parent", "specialty"} <= set(exc.value.message_dict)


def test_the_database_also_refuses_a_department_without_hospital():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=Organisation.Kind.DEPARTMENT, name="Løs afdeling")


def test_a_department_is_in_its_hospitals_health_council_area():
    department = DepartmentFactory()
    assert department.area == department.parent.health_council_area
    assert str(department) == f"{department.name}, {department.parent.name}"


@pytest.mark.parametrize(
    ("role", "org_factory", "valid"),
    [
        (Role.GP, PracticeFactory, True),
        (Role.GP, DepartmentFactory, False),
        (Role.HOSPITAL_SPECIALIST, DepartmentFactory, True),
        (Role.HOSPITAL_SPECIALIST, PracticeFactory, False),
        (Role.TRAINEE, DepartmentFactory, True),
        (Role.MEDICAL_SECRETARY, PracticeFactory, True),
        (Role.PRACTICE_CONSULTANT, PracticeFactory, False),
    ],
)
def test_a_role_is_held_in_the_right_kind_of_organisation(role, org_factory, valid):
    membership = Membership(user=UserFactory(), organisation=org_factory(), role=role)
    if valid:
        membership.full_clean()
    else:
        with pytest.raises(ValidationError):
            membership.full_clean()


def test_only_a_hospital_specialist_can_be_a_conference_specialist():
    with pytest.raises(ValidationError):
        Membership(
            user=UserFactory(), organisation=PracticeFactory(), role=Role.GP, is_conference_specialist=True
        ).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role=Role.GP, is_conference_specialist=True)
    MembershipFactory(
        organisation=DepartmentFactory(), role=Role.HOSPITAL_SPECIALIST, is_conference_specialist=True
    )


def test_has_role():
    membership = MembershipFactory(organisation=HospitalFactory(), role=Role.TRAINING_COORDINATOR)
    assert membership.user.has_role(Role.TRAINING_COORDINATOR)
    assert not membership.user.has_role(Role.GP)
