#!/usr/bin/env python3
"""Boot the kernel headless once and report its verdict as the exit status.

    tools/run.py [--cmdline "selftest=all"] [--timeout 30] [--memory 128]
                 [--kernel build/kernel.elf] [--log NAME] [--quiet]

`exit=qemu` is added to the command line, so the kernel ends the run itself.
The kernel's output is copied to this terminal as it arrives (unless
--quiet) and kept in build/test-logs/NAME.log.  Exit status: 0 when the
kernel reported success, 1 for anything else (test failure, panic, timeout,
QEMU ending on its own), with the verdict on the last line.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmdline", default="", help="kernel command line (exit=qemu is added)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds before the run is killed")
    ap.add_argument("--memory", type=int, default=128, help="RAM in MiB")
    ap.add_argument("--kernel", default=harness.KERNEL)
    ap.add_argument("--log", default="run", help="log name under build/test-logs/")
    ap.add_argument("--quiet", action="store_true", help="do not copy the output here")
    args = ap.parse_args()
    if not os.path.exists(args.kernel):
        sys.exit("%s does not exist: run `make` first" % args.kernel)
    run = harness.boot(args.cmdline, args.log, timeout=args.timeout, kernel=args.kernel,
                       memory_mb=args.memory, echo=not args.quiet)
    print("\nverdict: %s (QEMU status %s, %.1f s; log %s)"
          % (run.verdict, run.status, run.seconds, run.log))
    sys.exit(0 if run.ok() else 1)


if __name__ == "__main__":
    main()
