"""Run the matching benchmarks: ``python -m matching.bench [topic ...]``.

Each topic is a module ``matching.bench.<topic>`` with a ``main(argv)`` function; with no
topic every module in this package runs in turn.
"""

import importlib
import pkgutil
import sys

import matching.bench as package


def main(argv: list[str]) -> int:
    """Run the named benchmark topics (all of them when none is named)."""
    topics = [a for a in argv if not a.startswith("-")]
    options = [a for a in argv if a.startswith("-")]
    if not topics:
        topics = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    for topic in topics:
        print(f"== {topic}", flush=True)
        importlib.import_module(f"matching.bench.{topic}").main(options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
