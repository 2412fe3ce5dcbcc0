#!/usr/bin/env python3
"""The whole test suite (`make test`).

Prints one line per test, `PASS name` or `FAIL name: why (log: path)`, and
last `N passed, N failed`; exits 1 if anything failed.  Each check boots the
kernel headless (tools/harness.py) and asserts exact outcomes: the exit
status the kernel chose, and the lines it printed.

The checks live in suite_boot.py (the kernel itself) and suite_user.py (user
space, the guest, the fuzzer); suitelib.py has what they share.

Usage: suite.py [-k SUBSTRING] [-j N]   (only checks whose name contains it)
"""
import argparse
import concurrent.futures
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite_boot  # noqa: E402,F401  (registers its checks)
import suite_user  # noqa: E402,F401
import suite_parity  # noqa: E402,F401
import suite_procfs  # noqa: E402,F401
from suitelib import CHECKS, tests_initramfs  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="run only checks whose name contains this")
    ap.add_argument("-j", type=int, default=2,
                    help="checks run side by side (QEMU boots; default 2, one per core)")
    args = ap.parse_args()
    chosen = [(name, fn) for name, fn in CHECKS if args.k in name]
    if any(name in ("user", "noaltmm", "slow-clock", "soak") for name, _ in chosen):
        tests_initramfs()           # once, before the checks that share it start

    def run(fn):
        try:
            return fn()
        except Exception as e:  # a broken check is a failed check, never a silent one
            return [(fn.__name__, False, "check raised %s: %s" % (type(e).__name__, e), None)]

    passed = failed = skipped = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        futures = [pool.submit(run, fn) for _, fn in chosen]
        for future in futures:      # reported in the order the checks are defined
            for rname, ok, why, log in future.result():
                if ok is None:  # a skip is reported as one, never as a pass
                    skipped += 1
                    print("SKIP %s: %s" % (rname, why), flush=True)
                elif ok:
                    passed += 1
                    print("PASS %s" % rname, flush=True)
                else:
                    failed += 1
                    print("FAIL %s: %s%s" % (rname, why, " (log: %s)" % log if log else ""),
                          flush=True)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
