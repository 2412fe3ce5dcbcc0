#!/usr/bin/env python3
"""make bench: instruction counts of the kernel's basic paths.

Boots /bin/bench (user/bin/bench.c) as pid 1 under QEMU with
`-icount shift=0`, where every instruction advances the time-stamp counter
by exactly one, so rdtsc deltas are instruction counts and repeat exactly
from run to run.  Runs it RUNS times on this kernel and once per run on
Debian's i386 Linux kernel in the same QEMU (the same binary), takes the
median of each, and prints a table with the ratio to Linux.

    tools/bench.py [--runs N] [--no-linux]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import oracle  # noqa: E402

ICOUNT = ["-icount", "shift=0"]
ORDER = ["null_syscall", "signal_round_trip", "page_fault", "fork_exit_wait", "pipe_round_trip"]


def parse(output):
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^bench (\w+): (\d+) instructions", output, re.M)}


def run_ours(i):
    initrd = os.path.join(harness.ROOT, "build", "bench.cpio")
    if not os.path.exists(initrd):
        subprocess.run([sys.executable, os.path.join(harness.ROOT, "tools", "mkinitrd.py"),
                        "-o", initrd, "--standard"], check=True)
    run = harness.boot("init=/bin/bench", "bench-%d" % i, initrd=initrd, timeout=300,
                       extra=ICOUNT)
    if not run.ok():
        sys.exit("bench: the run on this kernel failed: %s (log %s)" % (run.verdict, run.log))
    return parse(run.output)


def run_linux(i):
    vmlinuz = oracle.fetch()
    initrd = os.path.join(harness.ROOT, "build", "bench-linux.cpio")
    bench = os.path.join(harness.ROOT, "build", "user", "bin", "bench")
    subprocess.run([sys.executable, os.path.join(harness.ROOT, "tools", "mkinitrd.py"), "-o", initrd,
                    "--dir", "proc", "--dir", "tmp", "--dev", "dev/console:c:5:1:600",
                    "init=" + bench], check=True)
    cmd = ["qemu-system-i386", "-kernel", vmlinuz, "-initrd", initrd, "-append", oracle.APPEND,
           "-m", "256", "-display", "none", "-serial", "stdio", "-monitor", "none",
           "-no-reboot"] + ICOUNT
    run = harness.run_qemu(cmd, "bench-linux-%d" % i, timeout=300)
    return parse(run.output)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-linux", action="store_true")
    args = ap.parse_args()
    for stale in ("bench.cpio",):
        p = os.path.join(harness.ROOT, "build", stale)
        if os.path.exists(p):
            os.remove(p)
    ours = [run_ours(i) for i in range(args.runs)]
    linux = [] if args.no_linux else [run_linux(i) for i in range(args.runs)]

    def median(runs, name):
        vals = [r[name] for r in runs if name in r]
        return int(statistics.median(vals)) if vals else None

    print("%-20s %14s %14s %8s" % ("benchmark", "altmm kernel", "Linux 6.1", "ratio"))
    for name in ORDER:
        a, b = median(ours, name), median(linux, name)
        spread = {r.get(name) for r in ours}
        note = "" if len(spread) == 1 else "  (runs differ: %s)" % sorted(spread)
        ratio = "%.2f" % (a / b) if a and b else "-"
        print("%-20s %14s %14s %8s%s" % (name, a if a is not None else "-",
                                         b if b is not None else "-", ratio, note))
    print("instructions per operation, QEMU -icount shift=0, median of %d runs" % args.runs)


if __name__ == "__main__":
    main()
