#!/usr/bin/env python3
"""The Linux oracle: run our user-space tests on Debian's i386 Linux kernel.

    tools/oracle.py --fetch                 get the kernel once (apt), then exit
    tools/oracle.py [--timeout S] [-k NAME]... [-v] [--kernel VMLINUZ]

The second form builds the user programs (make user), packs an initramfs
with /init = runtests, /tests/*, /bin/*, /dev/{console,null,zero}, /tmp and
/proc, boots it in qemu-system-i386 and prints runtests' result lines
("test NAME: ..." and "tests done: ..."); -v prints everything the machine
printed.  Exit status 0 iff "tests done:" appeared with failed=0.

The kernel comes from linux-image-686:i386 (its versioned dependency,
e.g. linux-image-6.1.0-NN-686): downloaded with apt-get download, never
installed, unpacked with dpkg-deb -x under build/oracle/, and its vmlinuz
copied to build/oracle/vmlinuz (tools/i386pkg.py).  --kernel (or $ORACLE_KERNEL) names an
already-extracted vmlinuz instead.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import i386pkg  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
CACHE = os.path.join(BUILD, "oracle")
VMLINUZ = os.path.join(CACHE, "vmlinuz")
META_PACKAGE = "linux-image-686:i386"
DEVICES = ["dev/console:c:5:1:600", "dev/null:c:1:3:666", "dev/zero:c:1:5:666"]
APPEND = "console=ttyS0 rdinit=/init panic=-1 quiet"


def log(msg):
    print(f"oracle: {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def versioned_package():
    """The linux-image-6.1.0-NN-686:i386 that the meta package depends on."""
    out = subprocess.run(["apt-cache", "depends", META_PACKAGE],
                         capture_output=True, text=True).stdout
    m = re.search(r"Depends:\s*(linux-image-\S+-686)(:i386)?\s*$", out, re.M)
    return m.group(1) + ":i386" if m else None


def fetch():
    """Download and unpack the kernel unless build/oracle/vmlinuz exists."""
    if os.path.exists(VMLINUZ):
        return VMLINUZ
    i386pkg.ensure_known(META_PACKAGE.split(":")[0])
    pkg = versioned_package()
    if not pkg:
        sys.exit(f"oracle: cannot find what {META_PACKAGE} depends on (apt-cache depends)")
    return i386pkg.fetch(pkg.split(":")[0], "boot/vmlinuz-*", VMLINUZ)


def build_initramfs(names, out=None):
    """make user, then pack the programs and tests into OUT (by default
    build/oracle/tests.cpio); return the archive path."""
    if subprocess.run(["make", "--no-print-directory", "-C", ROOT, "user"],
                      stdout=sys.stderr).returncode:
        sys.exit("oracle: make user failed")
    lists = subprocess.run(["make", "--no-print-directory", "-s", "-C", ROOT, "user-list"],
                           capture_output=True, text=True, check=True).stdout
    progs = tests = []
    for line in lists.splitlines():
        if line.startswith("progs:"):
            progs = line.split()[1:]
        elif line.startswith("tests:"):
            tests = line.split()[1:]
    tests = {os.path.basename(t): os.path.join(ROOT, t) for t in tests}
    if names:
        missing = [n for n in names if n not in tests]
        if missing:
            sys.exit(f"oracle: no such test: {' '.join(missing)} (have: {' '.join(sorted(tests))})")
        tests = {n: tests[n] for n in names}
    runtests = [p for p in progs if os.path.basename(p) == "runtests"]
    if not runtests:
        sys.exit("oracle: the build made no runtests")
    args = ["init=" + os.path.join(ROOT, runtests[0])]
    args += [f"tests/{t}={tests[t]}" for t in sorted(tests)]
    args += [f"bin/{os.path.basename(p)}={os.path.join(ROOT, p)}" for p in progs]
    uml = os.path.join(BUILD, "user", "bin", "uml")     # the guest kernel: altmm_uml_start starts it
    if os.path.exists(uml) and not any(os.path.basename(p) == "uml" for p in progs):
        args.append("bin/uml=" + uml)
    # Debian's glibc and dynamic programs, where the standard initrd has them.
    debian = os.path.join(BUILD, "i386", "root")
    for top, dirs, files in sorted(os.walk(debian)):
        dirs.sort()
        for n in sorted(files):
            host = os.path.join(top, n)
            args.append(os.path.relpath(host, debian) + "=" + host)
    out = out or os.path.join(CACHE, "tests.cpio")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cmd = [sys.executable, os.path.join(ROOT, "tools", "mkinitrd.py"), "-o", out,
           "--dir", "tmp", "--dir", "proc"]
    for d in DEVICES:
        cmd += ["--dev", d]
    run(cmd + args)
    return out


def boot(kernel, initrd, timeout, verbose):
    """Boot Linux with the initramfs; return everything it printed."""
    cmd = ["qemu-system-i386", "-kernel", kernel, "-initrd", initrd,
           "-append", APPEND, "-display", "none", "-serial", "stdio",
           "-no-reboot", "-m", "256", "-monitor", "none"]
    start = time.time()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    lines = []
    try:
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        buf = b""
        while True:
            left = timeout - (time.time() - start)
            if left <= 0:
                raise subprocess.TimeoutExpired(cmd, timeout)
            if not sel.select(left):
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            *done, buf = buf.split(b"\n")
            for raw in done:
                line = raw.decode("utf-8", "replace").rstrip("\r")
                lines.append(line)
                if verbose:
                    print(line, flush=True)
        if buf:
            lines.append(buf.decode("utf-8", "replace"))
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        log(f"timed out after {timeout} s")
    log(f"QEMU ran {time.time() - start:.1f} s, exit status {proc.returncode}")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fetch", action="store_true", help="only fetch the kernel")
    ap.add_argument("--kernel", default=os.environ.get("ORACLE_KERNEL"),
                    help="an already-extracted vmlinuz")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("-k", dest="names", action="append", default=[], metavar="NAME",
                    help="run only this test (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print all output")
    args = ap.parse_args()

    if args.fetch:
        fetch()
        return 0
    kernel = args.kernel or fetch()
    initrd = build_initramfs(args.names)
    lines = boot(kernel, initrd, args.timeout, args.verbose)

    done = None
    said = []       # what the current test printed, shown only if it fails
    for line in lines:
        if line.startswith("  "):
            said.append(line)
        if line.startswith("test ") or line.startswith("tests done:"):
            if not args.verbose:
                if ": FAIL" in line and said:
                    print("\n".join(said[-20:]))
                print(line)
            said = []
            if line.startswith("tests done:"):
                done = line
        elif re.match(r"^(\[\s*\d+\.\d+\]\s*)?(Kernel panic|BUG:|Oops)", line) and not args.verbose:
            print(line)
    if done is None:
        if not args.verbose:
            log("no 'tests done:' line; the last lines were:")
            for line in lines[-20:]:
                print("  | " + line, file=sys.stderr)
        return 1
    m = re.search(r"failed=(\d+)", done)
    return 0 if m and m.group(1) == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
