"""Running manage.py in a process of its own, as an operator would, for the tests of
settings and commands that a test process cannot show (start-up refusals, backups)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, environ: dict, without=(), timeout=None) -> subprocess.CompletedProcess:
    """``manage.py args`` with this process's environment, less the names in ``without``,
    plus ``environ``; its output captured as text, its exit status not checked."""
    env = {k: v for k, v in os.environ.items() if k not in without}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
