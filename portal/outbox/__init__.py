"""The e-mail outbox: notifications that cannot be lost and are never sent twice.

A module that wants to send an e-mail calls ``services.outbox_email_enqueue`` inside the
transaction that writes its own data (a message, a referral). The e-mail is a row in that
transaction: a rollback leaves neither, a commit leaves both. After the commit a django-tasks
task delivers it; a failed send is retried with exponential backoff, and a row whose task was
lost (a crash between commit and enqueue, a worker that died mid-send) is picked up by
``manage.py outbox_drain``.

In production both run: ``manage.py db_worker`` as a service, and ``manage.py outbox_drain``
every minute from cron or a systemd timer. ``OUTBOX_*`` in ``portal/settings/base.py`` tune
the attempts, the backoff and the lease.

E-mails carry a link to the portal, never patient data: a subject or body containing a
CPR number is refused.
"""
