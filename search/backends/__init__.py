"""Which backend answers a search, and the fallback when the engine is away.

With ``OPENSEARCH_URL`` set, OpenSearch answers; if it is unreachable or
slower than ``OPENSEARCH_TIMEOUT`` seconds, the same request is answered by
the database backend and the result says so (``degraded``). Without
``OPENSEARCH_URL`` the database backend is simply the backend.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from search.query import SearchRequest, SearchResult

from .database import DatabaseBackend

logger = logging.getLogger(__name__)


class EngineUnavailable(Exception):
    """The search engine did not answer in time or at all."""


def database_backend() -> DatabaseBackend:
    return DatabaseBackend()


def engine_backend():
    """The OpenSearch backend, or ``None`` when no engine is configured."""
    if not settings.OPENSEARCH_URL:
        return None
    from .opensearch import OpenSearchBackend

    return OpenSearchBackend.from_settings()


def search(request: SearchRequest) -> SearchResult:
    engine = engine_backend()
    if engine is not None:
        try:
            return engine.search(request)
        except EngineUnavailable as exc:
            logger.warning("search engine unavailable, answering from the database: %s", exc)
            result = database_backend().search(request)
            result.degraded = True
            degraded = _("The search engine is not answering right now, so results may be less precise.")
            result.notice = " ".join(filter(None, [result.notice, degraded]))
            return result
    return database_backend().search(request)


def autocomplete(text: str, *, limit: int = 8) -> list[dict]:
    engine = engine_backend()
    if engine is not None:
        try:
            return engine.autocomplete(text, limit=limit)
        except EngineUnavailable:
            pass
    return database_backend().autocomplete(text, limit=limit)


def all_backends() -> list:
    """Every backend that keeps an index: the database always, the engine when configured."""
    backends = [database_backend()]
    engine = engine_backend()
    if engine is not None:
        backends.append(engine)
    return backends


def health() -> dict:
    """What ``/healthz`` reports for search: a real probe, never an exception.

    ``ok`` with the backend that answers; ``degraded`` when the engine is
    configured but not answering (searches are then served by the database).
    """
    engine = engine_backend()
    if engine is None:
        try:
            return {"status": "ok", "backend": "database", "documents": database_backend().count()}
        except Exception as exc:  # noqa: BLE001 - the health check reports, never raises
            return {"status": "error", "backend": "database", "error": exc.__class__.__name__}
    try:
        return {"status": "ok", "backend": "opensearch", **engine.health()}
    except EngineUnavailable as exc:
        return {"status": "degraded", "backend": "database", "error": str(exc)[:200]}
