"""Public pages baked to static HTML for the web server in front (issue 16).

The knowledge pages, the section listings (with the filters one click away) and the home page
are rendered as an anonymous visitor and written under ``settings.BAKE_ROOT``; nginx
(``ops/nginx``) serves them as files and hands everything else to Django. Nothing per user is
ever baked: pages are rendered without a session, paths under ``settings.NEVER_BAKED_PREFIXES``
are refused, and the header's login state is fetched by the browser afterwards
(``/konto/status.json``). Publishing, unpublishing, moving and deleting a page re-bake it and
the listings and home page that show it, in one task after the change commits
(``content.baking.signals``); ``manage.py bake`` bakes everything.

Empty ``BAKE_ROOT`` (the default of ``make run``): nothing is baked and Django serves it all.
"""

from .bake import bake_all, bake_pages, enabled
from .targets import BakeRefused, Target

__all__ = ["BakeRefused", "Target", "bake_all", "bake_pages", "enabled"]
