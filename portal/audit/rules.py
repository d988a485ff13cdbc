"""Who may read the access log: only superusers (the portal's administrators in the admin).

Reading a patient's log is itself logged (see ``services.access_log_record_insight``).
"""

import rules

rules.add_perm("audit.view_accesslogentry", rules.is_superuser)
rules.add_perm("audit.export_accesslogentry", rules.is_superuser)
