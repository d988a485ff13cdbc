"""Fixtures for the search tests: the relevance corpus as real, published pages, and the node."""

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

import pytest

from content.models import Sector, Topic
from portal.accounts.models import Specialty
from tests.content.factories import (
    AuditMaterialPageFactory,
    CasePageFactory,
    FaqPageFactory,
    GuidelinePageFactory,
    ThinkSmartReviewPageFactory,
    markdown_body,
)

from .relevance import DOCUMENTS


def _build(spec: dict):
    kind = spec["factory"]
    common = {"title": spec["title"], "summary": spec["summary"]}
    if kind == "guideline":
        return GuidelinePageFactory(
            **common,
            general_practice_body=markdown_body(spec["gp"]),
            hospital_body=markdown_body(spec["hospital"]) if spec["hospital"] else [],
        )
    if kind == "case":
        return CasePageFactory(**common, body=markdown_body(spec["body"]))
    if kind == "review":
        return ThinkSmartReviewPageFactory(**common, evidence=markdown_body(spec["body"]))
    if kind == "audit":
        return AuditMaterialPageFactory(**common, purpose=spec["body"])
    if kind == "faq":
        items = [
            ("item", {"question": question, "anchor": "", "answer": markdown_body(answer)})
            for question, answer in spec["items"]
        ]
        return FaqPageFactory(**common, items=items)
    raise ValueError(kind)


def publish_page(spec: dict):
    """A page from a relevance-set entry, classified and published as an editor would."""
    page = _build(spec)
    page.specialties.set(Specialty.objects.filter(slug__in=spec["specialties"]))
    page.sectors.set(Sector.objects.filter(slug__in=spec["sectors"]))
    page.topics.set(
        [
            Topic.objects.get_or_create(slug=t, defaults={"name": t.replace("-", " ").capitalize()})[0]
            for t in spec["topics"]
        ]
    )
    page.save_revision().publish()
    return page


def document_count(pages) -> int:
    """Documents the index should hold for ``pages``: one per page, plus one per FAQ item."""
    return sum(1 + len(getattr(page.specific, "questions", list)()) for page in pages)


@pytest.fixture
def corpus(db, django_capture_on_commit_callbacks):
    """The relevance set, published; the index is updated by the publish signals."""
    with django_capture_on_commit_callbacks(execute=True):
        pages = {key: publish_page(spec) for key, spec in DOCUMENTS.items()}
    return pages


# --- The real OpenSearch node ---------------------------------------------------------------
# Started once per session by ops/opensearch/start.sh (on its own port and pid file, so a
# developer's node on 9250 is left alone) and stopped at the end. Without Java 21+ and Maven
# the engine tests skip; under CI=true they fail instead, so CI can never silently stop
# testing the engine.


OPS = Path(__file__).resolve().parents[2] / "ops" / "opensearch"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _java_major(java: Path) -> int:
    try:
        out = subprocess.run(
            [str(java), "-XshowSettings:properties", "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.SubprocessError):
        return 0
    for line in out.splitlines():
        if "java.specification.version" in line:
            return int(line.split("=")[1].strip().split(".")[0])
    return 0


def _jdk21() -> bool:
    homes = [os.environ.get("OPENSEARCH_JAVA_HOME", ""), os.environ.get("JAVA_HOME", "")]
    homes += [str(p) for p in Path("/usr/lib/jvm").glob("*")] if Path("/usr/lib/jvm").is_dir() else []
    return any(
        (Path(h) / "bin" / "javac").exists() and _java_major(Path(h) / "bin" / "java") >= 21
        for h in homes
        if h
    )


def _free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for the test search node")


def _no_engine(reason: str):
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: the search engine tests must run)", pytrace=False)
    pytest.skip(reason)


class SearchNode:
    """One node started by start.sh; ``stop()`` and ``start()`` for outage tests."""

    def __init__(self, name: str, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        # One pid file per pytest process: two runs at once must not share (or stop) a node.
        self.pid_file = OPS / "var" / f"{name}-{os.getpid()}.pid"

    def start(self):
        result = subprocess.run(
            [str(OPS / "start.sh"), "--port", str(self.port), "--pid-file", str(self.pid_file)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"start.sh failed:\n{result.stderr[-3000:]}")

    def stop(self):
        subprocess.run(
            [str(OPS / "stop.sh"), "--pid-file", str(self.pid_file)], capture_output=True, timeout=120
        )
        self.pid_file.with_suffix(".log").unlink(missing_ok=True)


def _start_node(name: str, port_from: int) -> SearchNode:
    if not _jdk21():
        _no_engine("no JDK 21+ found (OpenSearch 3 needs one; see ops/opensearch/README.md)")
    jar = OPS / "target" / "samspil-search-node.jar"
    if not jar.exists() and not shutil.which("mvn"):
        _no_engine("Maven (mvn) is needed to build the test search node")
    node = SearchNode(name, _free_port(port_from))
    try:
        node.start()
    except (RuntimeError, subprocess.SubprocessError) as exc:
        node.stop()
        _no_engine(f"the test search node did not start: {exc}")
    return node


@pytest.fixture(scope="session")
def opensearch_node():
    node = _start_node("pytest-node", 9260)
    yield node
    node.stop()


@pytest.fixture
def engine(settings, opensearch_node):
    """Settings pointing at the session node, with an index (alias) of this test's own."""
    from search.backends import engine_backend
    from search.backends.opensearch import reset_breaker

    settings.OPENSEARCH_URL = opensearch_node.url
    settings.OPENSEARCH_INDEX = f"test-{uuid.uuid4().hex[:10]}"
    reset_breaker()
    backend = engine_backend()
    yield backend
    reset_breaker()
    backend.client.indices.delete(index=f"{settings.OPENSEARCH_INDEX}-*", ignore_unavailable=True)


@pytest.fixture
def engine_corpus(engine, corpus):
    """The relevance set, published while the engine is configured (so indexed there too)."""
    return corpus
