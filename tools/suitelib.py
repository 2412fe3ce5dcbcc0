"""What every check of the suite (tools/suite.py) shares: the registry of
checks, the verdict helpers, and the ways to boot a user program or the
user tests."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = harness.ROOT
BUILD = os.path.join(ROOT, "build")
CHECKS = []


def check(name):
    """Register a check: a function returning a list of (name, ok, why, log);
    ok is True (passed), False (failed) or None (skipped, why says why)."""
    def register(fn):
        CHECKS.append((name, fn))
        return fn
    return register


def one(name, run, problems):
    """A single result: it passes when the list of problems is empty."""
    return [(name, not problems, "; ".join(problems), run.log if run else None)]


def expect_status(run, status, problems):
    if run.timed_out or run.status != status:
        problems.append("expected %s, got %s" % (harness.STATUS_NAMES[status], run.verdict))


def expect_lines(run, patterns, problems):
    for p in patterns:
        if not re.search(p, run.output, re.MULTILINE):
            problems.append("no output matching %r" % p)


# --- kernel/mm and the signal frames as a host program (tools/suite_host.py) --


# The user tests the guest kernel does not pass yet, with the reason: in
# every run of the user tests inside the guest a failure of one of these is
# a skip (issue 15; altmm's own tests skip by themselves, as on Linux).
GUEST_LACKS = {
}

# The only user tests that may skip inside the guest (issue 15's parity
# rule): a skip of any other test there is a failure.  altmm's own tests
# (every altmm_* test) test the host kernel's ABI, which the guest does
# not offer its processes (a guest process's address space is the
# guest's page tables, not a host object); the two others are about the
# host kernel itself and skip on Linux too.
GUEST_MAY_SKIP = {
    "ourkernel": "it checks the altmm kernel's own identity (uname, /proc/kheap...)",
    "syscall_garbage": "it throws random arguments at every call, which on any kernel but "
                       "the altmm one could change the machine (reboot, sethostname...)",
}


def guest_may_skip(test):
    """Why TEST may skip inside the guest, or None."""
    if test.startswith("altmm_"):
        return "altmm's own ABI, which the guest does not offer its processes"
    return GUEST_MAY_SKIP.get(test)


def expect_no_failed_tests(run, problems, allowed=()):
    """runtests's `test NAME: FAIL` lines, named in one problem (but those
    in allowed: GUEST_LACKS for a run inside the guest)."""
    failed = sorted(set(re.findall(r"^test (\S+): FAIL", run.output, re.M)) - set(allowed))
    if failed:
        problems.append("failed: " + " ".join(failed))


def run_init(name, program, args=(), timeout=30, memory_mb=128, extra=()):
    """Boot the standard initrd (plus EXTRA, mkinitrd's PATH=HOST-FILE
    arguments) with PROGRAM as pid 1 (tools/run.py does the same)."""
    initrd = os.path.join(BUILD, "run-%s.cpio" % name)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkinitrd.py"), "-o", initrd,
                    "--standard"] + list(extra), check=True)
    quoted = " ".join('"%s"' % a if " " in a else a for a in args)
    cmdline = "init=%s" % program + (" -- " + quoted if args else "")
    return harness.boot(cmdline, name, initrd=initrd, timeout=timeout, memory_mb=memory_mb)


_TESTS_INITRAMFS = []


def tests_initramfs():
    """The archive of runtests and every test (as the oracle boots it), built
    once per suite run: checks running side by side share it."""
    if not _TESTS_INITRAMFS:
        import oracle
        _TESTS_INITRAMFS.append(oracle.build_initramfs([], os.path.join(BUILD, "suite-tests.cpio")))
    return _TESTS_INITRAMFS[0]


def user_results(output, label, log):
    """One result per `test NAME: ...` line that runtests printed."""
    results = []
    for name, verdict in re.findall(r"^test (\S+): (.*)$", output, re.M):
        if verdict == "PASS":
            results.append(("%s %s" % (label, name), True, "", log))
        elif verdict.startswith("SKIP"):
            results.append(("%s %s" % (label, name), None, verdict[5:].strip(), log))
        else:
            results.append(("%s %s" % (label, name), False, verdict, log))
    return results
