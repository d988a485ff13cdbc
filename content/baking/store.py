"""The bake directory: atomic writes, a gzip twin for nginx's gzip_static, and pruning.

Every file is written to a temporary name in its own directory and renamed over the old one,
so nginx serves either the old page or the new one, never half of one. A page whose bytes did
not change is not rewritten: its ETag (nginx's, from size and time) stays, and browsers keep
getting 304.
"""

import gzip
import os
import tempfile
from pathlib import Path

from django.conf import settings

from .targets import Target

FILE_MODE = 0o644  # the web server's user reads what the application's user writes


def root() -> Path:
    return Path(settings.BAKE_ROOT).resolve()


def file_for(target: Target) -> Path:
    base = root()
    path = (base / target.relative_file()).resolve()
    if base not in path.parents:  # Target already refuses "..": this is the second lock
        raise ValueError(f"{target.url} would be written outside the bake directory")
    return path


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".bake-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(target: Target, content: bytes) -> bool:
    """Write the page and its gzip twin; False when the bytes on disk were already these."""
    path = file_for(target)
    try:
        if path.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    # The twin first: for the moment between the two renames a gzip-asking client gets the
    # new page while others still get the old one, never a twin older than its page.
    _write_atomically(path.with_name(path.name + ".gz"), gzip.compress(content, compresslevel=9, mtime=0))
    _write_atomically(path, content)
    return True


def remove(target: Target) -> None:
    path = file_for(target)
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".gz").unlink(missing_ok=True)


def baked_files() -> list[Path]:
    base = root()
    if not base.exists():
        return []
    return [p for p in base.rglob("*") if p.is_file()]


def prune(keep: set[Target]) -> int:
    """Delete every file that is not the page or twin of a target in ``keep`` (an unpublished,
    moved, deleted or newly restricted page; a filter value no longer offered; a stray temporary
    file) and the directories left empty. Returns the number of files deleted."""
    base = root()
    wanted = set()
    for target in keep:
        path = file_for(target)
        wanted.update({path, path.with_name(path.name + ".gz")})
    removed = 0
    for path in baked_files():
        if path.resolve() not in wanted:
            path.unlink(missing_ok=True)
            removed += 1
    directories = sorted((p for p in base.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True)
    for directory in directories:
        try:
            directory.rmdir()  # only when empty
        except OSError:
            pass
    return removed
