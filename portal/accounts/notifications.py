"""Who is told what by e-mail: the user's own choice for e-mails that only inform.

An e-mail that needs the recipient (a question to answer, a request to accept, a deadline) is
always sent. One that only tells what happened goes to those who have not switched such e-mails
off on Min konto (``User.informational_emails``).
"""

from collections.abc import Iterable


def informational(users: Iterable) -> list:
    """Of ``users``, those who want e-mails that only inform (None entries dropped)."""
    return [user for user in users if user is not None and user.informational_emails]
