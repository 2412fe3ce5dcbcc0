#!/usr/bin/env python3
"""make bench: instruction counts of the kernel's basic paths.

Boots /bin/bench (user/bin/bench.c) as pid 1 under QEMU with
`-icount shift=0`, where every instruction advances the time-stamp counter
by exactly one, so rdtsc deltas are instruction counts and repeat exactly
from run to run.  Runs it RUNS times on this kernel, inside the guest kernel (uml-guest)
on this kernel, on the same kernel
built with ALTMM=0 (build-noaltmm/, when it exists: `make ALTMM=0`), and
on Debian's i386 Linux kernel in the same QEMU (the same binary), takes
the median of each, and prints a table.

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
ORDER = ["null_syscall", "signal_round_trip", "page_fault", "fork_exit_wait", "pipe_round_trip",
         "context_switch",
         "workload_mix",
         "in_mm_signal_round_trip", "guest_syscall_round_trip", "guest_fault_round_trip"]
NOALTMM_KERNEL = os.path.join(harness.ROOT, "build-noaltmm", "kernel.elf")


def parse(output):
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^bench (\w+): (\d+) instructions", output, re.M)}


def run_ours(i, kernel=harness.KERNEL, tag="bench", init="/bin/bench"):
    initrd = os.path.join(harness.ROOT, "build", "bench.cpio")
    if not os.path.exists(initrd):
        subprocess.run([sys.executable, os.path.join(harness.ROOT, "tools", "mkinitrd.py"),
                        "-o", initrd, "--standard"], check=True)
    run = harness.boot("init=" + init, "%s-%d" % (tag, i), initrd=initrd, timeout=300,
                       kernel=kernel, extra=ICOUNT)
    if not run.ok():
        sys.exit("bench: the run on this kernel failed: %s (log %s)" % (run.verdict, run.log))
    return parse(run.output)


def run_linux(i):
    vmlinuz = oracle.fetch()
    initrd = os.path.join(harness.ROOT, "build", "bench-linux.cpio")
    bench = os.path.join(harness.ROOT, "build", "user", "bin", "bench")
    subprocess.run([sys.executable, os.path.join(harness.ROOT, "tools", "mkinitrd.py"), "-o", initrd,
                    "--dir", "proc", "--dir", "tmp", "--dev", "dev/console:c:5:1:600",
                    "--dev", "dev/null:c:1:3:666",
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
    noaltmm = ([run_ours(i, NOALTMM_KERNEL, "bench-noaltmm") for i in range(args.runs)]
               if os.path.exists(NOALTMM_KERNEL) else [])
    linux = [] if args.no_linux else [run_linux(i) for i in range(args.runs)]
    # The same program inside the guest kernel (uml-guest), on this kernel.
    guest = [run_ours(i, tag="bench-uml", init="/bin/uml -- /bin/bench") for i in range(args.runs)]

    def median(runs, name):
        vals = [r[name] for r in runs if name in r]
        return int(statistics.median(vals)) if vals else None

    def show(v):
        return v if v is not None else "-"

    print("%-26s %10s %10s %10s %10s %10s %9s" % ("benchmark", "ALTMM=1", "ALTMM=0", "Linux 6.1",
                                                  "vs Linux", "in guest", "guest/n."))
    for name in ORDER:
        a, z, b, g = median(ours, name), median(noaltmm, name), median(linux, name), median(guest, name)
        spread = {r.get(name) for r in ours}
        note = "" if len(spread) == 1 else "  (runs differ: %s)" % sorted(spread)
        ratio = "%.2f" % (a / b) if a and b else "-"
        gratio = "%.1f" % (g / a) if a and g else "-"
        print("%-26s %10s %10s %10s %10s %10s %9s%s" % (name, show(a), show(z), show(b), ratio,
                                                     show(g), gratio, note))
    print("instructions per operation, QEMU -icount shift=0, median of %d runs;" % args.runs)
    print("guest rows: one trap from a guest space to its SA_IN_MM handler and back (altmm only);")
    print("in guest: the same program run inside uml-guest (/bin/uml -- /bin/bench)")


if __name__ == "__main__":
    main()
