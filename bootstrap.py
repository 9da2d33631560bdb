#!/usr/bin/env python3
"""Set up reviewbench in a local virtual environment and run the example or the tests.

Needs only Python 3.11+ with pip:

    python3 bootstrap.py run     # install, then run the example review end to end
    python3 bootstrap.py test    # install with test dependencies, check the import layers, run the tests

The environment lives in ``.venv/``, pinned by ``constraints.txt`` so that outputs are
byte-identical everywhere, and is reinstalled only when ``pyproject.toml`` or
``constraints.txt`` changes. Extra arguments are passed on (``python3 bootstrap.py test -k dedupe``).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if sys.platform == "win32" else "bin")
PYTHON = BIN / ("python.exe" if sys.platform == "win32" else "python")


def ensure_environment(extras: str) -> None:
    """Create ``.venv`` and install reviewbench (with ``extras``) unless already current."""
    if sys.version_info < (3, 11):
        sys.exit(f"reviewbench needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    constraints = ROOT / "constraints.txt"
    pinned = constraints.read_bytes() if constraints.exists() else b""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + pinned + extras.encode()).hexdigest()
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text().strip() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("creating .venv ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # Debian/Ubuntu ship ensurepip separately
            sys.exit(f"could not create a virtual environment ({exc}); on Debian or Ubuntu run: apt-get install python3-venv")
    print(f"installing reviewbench{extras} and its dependencies (a few minutes the first time) ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    pin = ["-c", str(constraints)] if pinned else []
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", *pin, "-e", f".{extras}"], cwd=ROOT, check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "setup"}:
        print(__doc__)
        return 1
    command, rest = argv[0], argv[1:]
    ensure_environment("[test]")
    if command == "setup":
        return 0
    if command == "run":
        return subprocess.run([str(BIN / "reviewbench"), "run", "--project", str(ROOT), *rest], cwd=ROOT).returncode
    # The layers of the package (pyproject.toml's [tool.importlinter]) are part of the test.
    layers = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT).returncode
    tests = subprocess.run([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT).returncode
    return tests or layers


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
