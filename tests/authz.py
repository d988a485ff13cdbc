"""A reusable authorisation-matrix harness.

Given users by role, objects and actions, it checks *every* cell: the cells
listed in ``allowed`` must be allowed, every other cell must be denied (deny by
default). All wrong cells are reported together, as a table.

A superuser is always in the matrix (as ``"superuser"``, unless the caller
brings one under that name): object rules bind administrators too, so every
module must say which cells a superuser may have, and gets every other cell
checked as denied.

Later modules plug in their own objects::

    assert_authorisation_matrix(
        users={"gp": gp, "other_gp": other_gp, "specialist": specialist},
        objects={"thread": thread},
        actions={"view": perm("correspondence.view_thread"), "open": http_ok(client, lambda t: t.url)},
        allowed={("gp", "thread", "view"), ...},
    )
"""

from collections.abc import Callable
from itertools import product

from tests.accounts.login import verified_login


def perm(name: str) -> Callable:
    return lambda user, obj: user.has_perm(name, obj)


def http_ok(client_factory: Callable, url_for: Callable, *, denied_status: int = 404) -> Callable:
    """Allowed means 200; denied must be exactly ``denied_status`` (404, never leaking existence)."""

    def action(user, obj):
        client = client_factory()
        verified_login(client, user)  # past the second factor, so only the rules decide
        status = client.get(url_for(obj)).status_code
        if status not in (200, denied_status):
            raise AssertionError(f"{url_for(obj)} gave {status}, expected 200 or {denied_status}")
        return status == 200

    return action


SUPERUSER = "superuser"


def _with_superuser(users: dict) -> dict:
    if SUPERUSER in users:
        return users
    from tests.accounts.factories import UserFactory

    return {**users, SUPERUSER: UserFactory(is_superuser=True, is_staff=True, first_name="Super")}


def assert_authorisation_matrix(*, users: dict, objects: dict, actions: dict, allowed: set) -> int:
    users = _with_superuser(users)
    unknown = {
        cell for cell in allowed if cell[0] not in users or cell[1] not in objects or cell[2] not in actions
    }
    assert not unknown, f"allowed names cells that do not exist: {unknown}"
    wrong = []
    for (role, user), (name, obj), (action, check) in product(
        users.items(), objects.items(), actions.items()
    ):
        expected = (role, name, action) in allowed
        if bool(check(user, obj)) != expected:
            wrong.append(f"{role:>22} {action:>10} {name:<20} expected {'ALLOW' if expected else 'deny'}")
    assert not wrong, "authorisation matrix cells wrong:\n" + "\n".join(wrong)
    return len(users) * len(objects) * len(actions)
