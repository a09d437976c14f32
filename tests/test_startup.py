"""Starting the service (or any ``flask`` command) does not load the heavy libraries it may not need."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "sklearn", "scipy", "numba", "ortools", "openpyxl")
SCRIPT = f"""
import json, sys
import wsgi
print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
"""


def test_creating_the_app_imports_no_heavy_library(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'start.db'}"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []
