"""Import MedCom CareCommunication bundles (FHIR R4 JSON or XML, told apart by their content).

    python manage.py import_carecommunication FILE...
    python manage.py import_carecommunication --retry-dead-letters

Each file is one transaction: imported, skipped as a duplicate, kept as undelivered (addressed to
an organisation the portal does not serve: an administrator sees it under "Undelivered MedCom
messages" and can retry it), or refused with its reason (and nothing written). The exit status
is non-zero when any file was not delivered, so a scheduled import can alert on it. Output is in
Danish and never shows a CPR number or message text.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.correspondence.medcom.importing import (
    DEAD_LETTERED,
    DUPLICATE,
    IMPORTED,
    carecommunication_import,
    dead_letter_retry,
)
from portal.correspondence.models import DeadLetter

#: Larger files are refused unread: MedCom's largest example (with a PDF) is about 320 kB.
MAX_BYTES = 20 * 1024 * 1024


def read_capped(path: Path, limit: int | None = None) -> bytes | None:
    """The file's bytes, or None when it is larger than ``limit`` (never more than limit + 1 read)."""
    limit = MAX_BYTES if limit is None else limit
    with path.open("rb") as f:
        data = f.read(limit + 1)
    return None if len(data) > limit else data


class Command(BaseCommand):
    help = "Import MedCom CareCommunication message bundles (JSON or XML) as correspondence threads."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE", help="Bundle files, FHIR JSON or XML.")
        parser.add_argument(
            "--retry-dead-letters",
            action="store_true",
            help="Try to deliver every waiting undelivered message again (after organisations were set up).",
        )

    def handle(self, *args, files, retry_dead_letters=False, **options):
        if not files and not retry_dead_letters:
            raise CommandError("Angiv filer eller --retry-dead-letters.")
        counts = {"imported": 0, "duplicate": 0, "dead_lettered": 0, "refused": 0}
        if retry_dead_letters:
            self._retry(counts)
        for name in files:
            path = Path(name)
            reason = None
            try:
                if not path.is_file():
                    reason = "filen findes ikke eller er ikke en almindelig fil."
                else:
                    data = read_capped(path)
                    if data is None:
                        reason = f"filen er større end {MAX_BYTES:,} bytes og læses ikke.".replace(",", ".")
            except OSError as exc:
                reason = f"filen kan ikke læses ({exc.__class__.__name__})."
            if reason is None:
                outcome = carecommunication_import(data)
                if outcome.status == IMPORTED:
                    counts["imported"] += 1
                    self.stdout.write(f"Importeret: {path.name}", self.style.SUCCESS)
                    continue
                if outcome.status == DUPLICATE:
                    counts["duplicate"] += 1
                    self.stdout.write(f"Dublet, sprunget over: {path.name}")
                    continue
                if outcome.status == DEAD_LETTERED:
                    counts["dead_lettered"] += 1
                    self.stderr.write(f"Ikke leveret, lagt til administrator: {path.name}: {outcome.reason}")
                    continue
                reason = outcome.reason
            counts["refused"] += 1
            self.stderr.write(f"Afvist: {path.name}: {reason}")
        self._summary(counts)

    def _retry(self, counts: dict) -> None:
        waiting = DeadLetter.objects.filter(status=DeadLetter.Status.WAITING).order_by("received_at")
        for dead_letter in waiting:
            outcome = dead_letter_retry(dead_letter=dead_letter)
            label = f"ikke leveret besked {dead_letter.pk} ({dead_letter.receiver_sor})"
            if outcome.status in (IMPORTED, DUPLICATE):
                counts["imported" if outcome.status == IMPORTED else "duplicate"] += 1
                self.stdout.write(f"Leveret: {label}", self.style.SUCCESS)
            elif outcome.status == DEAD_LETTERED:
                counts["dead_lettered"] += 1
                self.stderr.write(f"Stadig ikke leveret: {label}: {outcome.reason}")
            else:
                counts["refused"] += 1
                self.stderr.write(f"Afvist: {label}: {outcome.reason}")

    def _summary(self, counts: dict) -> None:
        self.stdout.write(
            f"Importeret: {counts['imported']}, dubletter: {counts['duplicate']}, "
            f"ikke leveret: {counts['dead_lettered']}, afvist: {counts['refused']}"
        )
        undelivered = counts["dead_lettered"] + counts["refused"]
        if undelivered:
            raise CommandError(
                f"{undelivered} besked(er) ikke leveret: {counts['dead_lettered']} lagt til administrator, "
                f"{counts['refused']} afvist.",
                returncode=2,
            )
