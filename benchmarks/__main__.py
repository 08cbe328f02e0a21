"""`python -m benchmarks [NAME ...] [-- ARGS]`: run the benchmark modules (all by default)."""

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main() -> None:
    argv = sys.argv[1:]
    names, args = argv, []
    if "--" in argv:
        names, args = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    modules = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    wanted = set(names) | {f"bench_{name}" for name in names}
    chosen = [name for name in modules if not names or name in wanted]
    for name in chosen:
        print(f"\n## {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").main(args)
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
