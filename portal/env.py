"""The one place that reads the environment.

Every integration is switched on by its own variable; nothing else in the
project calls ``os.environ``. See ``.env.example`` for the full list.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A developer's .env is read if present; real deployments set variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Benchmarks (bench/) send hundreds of searches a minute from one address through the real
# stack. Only bench/ sets this variable: settings.base then raises the search rate limits,
# and settings.production refuses to start with it.
BENCH_RUN_VARIABLE = "SAMSPIL_BENCH_RUN"


def bench_run() -> bool:
    return env.bool(BENCH_RUN_VARIABLE, default=False)
