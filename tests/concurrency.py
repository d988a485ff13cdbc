"""Racing workers for concurrency tests: threads with their own connections on PostgreSQL.

SQLite's in-memory test database cannot serve concurrent writers, so there the same workers
run one after another (the assertions are the same); CI runs PostgreSQL.
"""

import threading

from django.db import connection, connections


def race(work, count: int) -> list:
    """Run ``work(i)`` for i in range(count): concurrently on a server database, else in turn."""
    results = [None] * count
    if connection.vendor == "sqlite":
        for i in range(count):
            results[i] = work(i)
        return results
    start = threading.Barrier(count)

    def run(i):
        try:
            start.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
