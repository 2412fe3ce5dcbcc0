#!/usr/bin/env python3
"""Boot the kernel headless once and report its verdict as the exit status.

    tools/run.py [--cmdline "selftest=all"] [--timeout 30] [--memory 128]
                 [--kernel build/kernel.elf] [--log NAME] [--quiet]
                 [--add ARCHIVE-PATH=HOST-FILE]... [--init PATH [-- ARGS...]]

`exit=qemu` is added to the command line, so the kernel ends the run itself.
The kernel's output is copied to this terminal as it arrives (unless
--quiet) and kept in build/test-logs/NAME.log.

Without --init or --add, no initrd is given: the kernel runs what the
command line asks (self-tests) and its monitor.  With them, the run boots
the standard root file system (tools/mkinitrd.py --standard) plus the added
files, and starts PATH as pid 1 with ARGS; this is how one program runs in
isolation:

    tools/run.py --add bin/hello=./hello --init /bin/hello -- one two

Exit status: with --init, the program's own exit status (128 + N if it was
killed by signal N); otherwise 0 when the kernel reported success.  Any
other ending (test failure, panic, timeout, QEMU ending on its own) is 1
(or 125 with --init), with the verdict on the last line.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def build_initrd(adds, log_name):
    path = os.path.join(harness.ROOT, "build", "run-%s.cpio" % log_name)
    subprocess.run([sys.executable, os.path.join(harness.ROOT, "tools", "mkinitrd.py"),
                    "-o", path, "--standard"] + adds, check=True)
    return path


def main():
    argv = sys.argv[1:]
    init_args = []
    if "--" in argv:
        at = argv.index("--")
        argv, init_args = argv[:at], argv[at + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmdline", default="", help="kernel command line (exit=qemu is added)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds before the run is killed")
    ap.add_argument("--memory", type=int, default=128, help="RAM in MiB")
    ap.add_argument("--kernel", default=harness.KERNEL)
    ap.add_argument("--log", default="run", help="log name under build/test-logs/")
    ap.add_argument("--quiet", action="store_true", help="do not copy the output here")
    ap.add_argument("--add", action="append", default=[], metavar="ARCHIVE-PATH=HOST-FILE",
                    help="add a file to the initrd")
    ap.add_argument("--init", help="the first program to run")
    args = ap.parse_args(argv)
    if not os.path.exists(args.kernel):
        sys.exit("%s does not exist: run `make` first" % args.kernel)
    if init_args and not args.init:
        sys.exit("arguments after -- are for --init PROGRAM")

    cmdline = args.cmdline
    initrd = None
    if args.init or args.add:
        initrd = build_initrd(args.add, args.log)
    if args.init:
        cmdline += " init=%s" % args.init
        if init_args:
            cmdline += " -- " + " ".join('"%s"' % a if " " in a else a for a in init_args)
    run = harness.boot(cmdline.strip(), args.log, timeout=args.timeout, kernel=args.kernel,
                       memory_mb=args.memory, initrd=initrd, echo=not args.quiet)
    print("\nverdict: %s (QEMU status %s, %.1f s; log %s)"
          % (run.verdict, run.status, run.seconds, run.log))
    if args.init:
        m = re.search(r"^init (exited with status|was killed by signal) (\d+)$", run.output, re.M)
        if not m or run.status not in (harness.STATUS_SUCCESS, harness.STATUS_FAILURE):
            sys.exit(125)
        n = int(m.group(2))
        sys.exit(n if m.group(1).startswith("exited") else 128 + n)
    sys.exit(0 if run.ok() else 1)


if __name__ == "__main__":
    main()
