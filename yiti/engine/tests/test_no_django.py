"""The engine must stay usable without Django (CLI, benchmarks, workers)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import yiti.engine


def test_engine_modules_never_import_django():
    names = sorted(
        m.name for m in pkgutil.iter_modules(yiti.engine.__path__, "yiti.engine.")
        if m.name not in ("yiti.engine.__main__",)
    )
    assert "yiti.engine.index" in names and "yiti.engine.experts" in names
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print('DJANGO' if bad else 'CLEAN', bad)\n"
    )
    env_root = Path(yiti.engine.__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=env_root,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(env_root)}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("CLEAN"), out.stdout
