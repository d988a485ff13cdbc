"""A logging filter that masks anything shaped like a CPR number.

Installed on the console handler in ``settings.LOGGING``. It formats the
message with its arguments first, so a CPR number hidden in an argument (an
object's repr, an exception, a dict) is caught as well, and it masks the
traceback text too. A ten-digit number that is not a CPR number (an order
number, say) is masked as well: a false alarm costs nothing, a leak does.

Kept free of Django models: logging is configured before the apps load.
"""

import logging
import re

CPR_PATTERN = re.compile(r"\b(\d{6})-?(\d{4})\b")


def redact_cpr(text: str) -> str:
    return CPR_PATTERN.sub(lambda match: f"{match.group(1)}-XXXX", text)


class CprRedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a filter must never break the code that logs
            # Dropping the arguments keeps logging's own error report from printing them.
            message, record.args = str(record.msg), None
        # The record is shared with every other handler: it is changed only when
        # there is something to mask, so that ordinary records keep their args.
        if CPR_PATTERN.search(message):
            record.msg = redact_cpr(message)
            record.args = None
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            if CPR_PATTERN.search(text):
                record.exc_text = text
        if record.exc_text:
            record.exc_text = redact_cpr(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_cpr(record.stack_info)
        return True
