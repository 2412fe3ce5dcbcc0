"""The suite's checks of user space: the user tests on this kernel, the
ALTMM=0 kernel, a slow clock, Linux and the guest kernel; the soaks; the
guest kernel's own checks; the system-call fuzzer."""
import os
import re
import shutil
import subprocess
import sys

import harness
from suitelib import (BUILD, GUEST_LACKS, ROOT, guest_may_skip, check, expect_lines, expect_no_failed_tests,
                      expect_status, one, run_init, tests_initramfs, user_results)
from suite_boot import glibc_demo_problems

@check("user")
def user_tests_on_kernel():
    initrd = tests_initramfs()
    run = harness.boot("init=/init", "user", initrd=initrd, timeout=300)
    results = user_results(run.output, "kernel", run.log)
    problems = []
    failed = sum(1 for r in results if r[1] is False)
    expect_status(run, harness.STATUS_FAILURE if failed else harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^tests done: passed=\d+ failed=%d skipped=\d+$" % failed], problems)
    if not results:
        problems.append("no test reported")
    return results + one("kernel: the user-space test run completes", run, problems)


@check("noaltmm")
def user_tests_without_altmm():
    """The kernel built with ALTMM=0 passes every test but altmm's own."""
    kernel = os.path.join(ROOT, "build-noaltmm", "kernel.elf")
    if not os.path.exists(kernel):
        return [("ALTMM=0 kernel", False, "build-noaltmm/kernel.elf missing: make ALTMM=0", None)]
    initrd = tests_initramfs()
    run = harness.boot("init=/init", "noaltmm", initrd=initrd, timeout=300, kernel=kernel)
    results = user_results(run.output, "ALTMM=0", run.log)
    problems = []
    failed = sum(1 for r in results if r[1] is False)
    expect_status(run, harness.STATUS_FAILURE if failed else harness.STATUS_SUCCESS, problems)
    for name, ok, why, log in results:
        if "altmm" in name and ok is not None:
            problems.append("%s ran on a kernel without altmm" % name)
    if not results:
        problems.append("no test reported")
    return results + one("ALTMM=0: the user-space test run completes", run, problems)


@check("slow-clock")
def user_tests_slow_clock():
    """The user tests, here and in the guest, with QEMU's clock tied to the
    instruction count at 1 us per instruction (-icount shift=10): timer
    ticks come every ~10,000 instructions, as on a host so busy that the
    machine crawls.  A test that assumed how much gets done between two
    ticks, or in a sleep, fails here every time instead of once a month
    in CI."""
    results = []
    slow = ["-icount", "shift=10"]
    initrd = tests_initramfs()
    run = harness.boot("init=/init", "slow-clock", initrd=initrd, timeout=300, extra=slow)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^tests done: passed=\d+ failed=0 skipped=0$"], problems)
    expect_no_failed_tests(run, problems)
    results += one("slow clock: every user test passes with a tick every ~10,000 instructions",
                   run, problems)
    std = os.path.join(BUILD, "run-slow-clock-guest.cpio")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkinitrd.py"), "-o", std,
                    "--standard"], check=True)
    # mem=16M: the oom and bigmem tests touch the guest's memory, all or
    # half of it, which at the 256 MiB default takes minutes at this clock.
    run = harness.boot("init=/bin/uml -- mem=16M -- /bin/runtests", "slow-clock-guest", initrd=std,
                       timeout=300, extra=slow)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^tests done: passed=\d+ failed=\d+ skipped=\d+$"], problems)
    expect_no_failed_tests(run, problems, GUEST_LACKS)
    results += one("slow clock: the user tests inside the guest too", run, problems)
    return results


SOAK_ROUNDS = 10


def soak_results(label, run, allowed=()):
    """A soak run's verdict: every round passes (but for the tests in
    allowed, which may fail in each), and runtests's own comparison of free
    memory and heap blocks (after round 1, after the last) says "soak: PASS"."""
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    dones = re.findall(r"^tests done: passed=\d+ failed=(\d+) skipped=\d+$", run.output, re.M)
    if len(dones) != SOAK_ROUNDS or any(int(f) > len(allowed) for f in dones):
        problems.append("expected %d rounds with nothing failed, got %s"
                        % (SOAK_ROUNDS, ", ".join("failed=" + f for f in dones) or "none"))
    expect_no_failed_tests(run, problems, allowed)
    expect_lines(run, [r"^soak: after round 1: \d+ kB free, \d+ heap blocks; "
                       r"after round %d: \d+ kB, \d+$" % SOAK_ROUNDS, r"^soak: PASS$"], problems)
    return one("soak (%s): the user suite %d times in one boot, memory as after round 1"
               % (label, SOAK_ROUNDS), run, problems)


@check("soak")
def user_tests_soak():
    """The whole user suite SOAK_ROUNDS times in one boot (runtests --rounds)."""
    run = harness.boot("init=/init -- --rounds %d" % SOAK_ROUNDS, "soak",
                       initrd=tests_initramfs(), timeout=600)
    return soak_results("kernel", run)


@check("soak-guest")
def user_tests_soak_guest():
    """The same inside the guest kernel."""
    run = run_init("soak-guest", "/bin/uml",   # mem=16M: ten rounds of oom (slow-clock says why)
                   ["mem=16M", "--", "/bin/runtests", "--rounds", str(SOAK_ROUNDS)], timeout=600)
    return soak_results("uml-guest", run, GUEST_LACKS)


@check("linux")
def user_tests_on_linux():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "oracle.py"), "--timeout", "300"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = os.path.join(harness.LOG_DIR, "linux.log")
    os.makedirs(harness.LOG_DIR, exist_ok=True)
    with open(log, "w") as f:
        f.write(proc.stdout)
    results = user_results(proc.stdout, "linux", log)
    done = re.search(r"^tests done: .*failed=0 ", proc.stdout + " ", re.M)
    ok = proc.returncode == 0 and bool(results) and bool(done)
    return results + [("linux: the oracle run completes", ok,
                       "" if ok else "oracle.py exited %d" % proc.returncode, log)]


@check("uml")
def uml_guest():
    """uml-guest (docs/07-uml-guest.md): a kernel that is itself a program of
    this one runs programs of its own, each in a host address space of its
    own, entered through signal frames."""
    results = []
    run = run_init("uml-echo", "/bin/uml", ["--", "/bin/echo", "hello from the guest"])
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^uml-guest: 256 MiB, init /bin/echo$", r"^hello from the guest$",
                       r"^init exited with status 0$"], problems)
    results += one("uml-guest: /bin/echo inside the guest", run, problems)

    # Start-up errors: on a kernel without altmm (no /proc/self/mm, no
    # /proc/new-mm), one line saying so and uml's status 1.  (Bad mem=, a
    # memory size the host will not give and a missing init: the test
    # altmm_uml_start, natively.)
    kernel = os.path.join(ROOT, "build-noaltmm", "kernel.elf")
    if os.path.exists(kernel):
        run = harness.boot("init=/bin/uml -- /bin/echo hi", "uml-noaltmm", timeout=30,
                           initrd=os.path.join(BUILD, "initrd.cpio"), kernel=kernel)
        problems = []
        expect_status(run, harness.STATUS_FAILURE, problems)
        expect_lines(run, [r"^uml-guest: cannot start: no /proc/self/mm \(No such file or directory\): "
                           r"this kernel has no altmm \(built with ALTMM=0\?\)$",
                           r"^init exited with status 1$"], problems)
        if len(re.findall(r"^uml-guest:", run.output, re.M)) != 1 or re.search(r"^hi$", run.output, re.M):
            problems.append("expected exactly one uml-guest line and no output from the guest")
        results += one("uml-guest: without altmm, uml says so in one line and exits 1", run, problems)
    else:
        results.append(("uml-guest: without altmm", False,
                        "build-noaltmm/kernel.elf missing: make ALTMM=0", None))

    # The guest's init is our shell: fork, exec, a pipe, wait4's status of a
    # child, and init's own exit status out through uml's.
    script = ("/bin/echo from a child | /bin/cat; /bin/sh -c 'exit 5'; "
              "echo the child said $?; exit 3")
    run = run_init("uml-spawn", "/bin/uml", ["--", "/bin/sh", "-c", script])
    problems = []
    expect_status(run, harness.STATUS_FAILURE, problems)  # init's status 3 is not 0
    expect_lines(run, [r"^from a child$", r"^the child said 5$", r"^init exited with status 3$"],
                 problems)
    if "KERNEL PANIC" in run.output:
        problems.append("the host kernel panicked")
    results += one("uml-guest: fork, exec, a pipe and wait4 inside the guest", run, problems)

    # Real programs, unchanged, inside the guest: Debian's busybox (its
    # shell forks and execs itself for the pipe) and a static glibc program.
    if os.path.exists(os.path.join(BUILD, "i386", "busybox")):
        run = run_init("uml-busybox", "/bin/uml",
                       ["--", "/bin/busybox", "sh", "-c",
                        "echo hi; ls -l /; cat /etc/motd | wc -l; exit 4"])
        problems = []
        expect_status(run, harness.STATUS_FAILURE, problems)  # init's status 4 is not 0
        expect_lines(run, [r"^hi$", r"^drwxr-xr-x +\d+ root +root .* bin$", r"^3$",
                           r"^init exited with status 4$"], problems)
        results += one("uml-guest: Debian's busybox sh -c (ls -l, a pipe, exit 4) inside the guest",
                       run, problems)
    else:
        results.append(("uml-guest: busybox inside the guest", False,
                        "build/i386/busybox is missing: make fetch-busybox", None))
    if os.path.exists(os.path.join(BUILD, "user", "glibc", "glibc_demo")):
        run = run_init("uml-glibc", "/bin/uml", ["--", "/bin/glibc_demo"])
        results += one("uml-guest: a static glibc program inside the guest", run,
                       glibc_demo_problems(run))
    else:
        results.append(("uml-guest: a glibc program inside the guest", False,
                        "build/user/glibc/glibc_demo was not built (needs i686-linux-gnu-gcc)", None))

    # The user-space tests inside the guest.  What the guest does not have
    # yet is a skip, with the reason; any other failure is a failure.
    lacks = GUEST_LACKS
    # mem=64M, not the 256 MiB default: oom and bigmem touch all or half of
    # it (about 100 s at 256 MiB, a quarter of that here).
    run = run_init("uml-user", "/bin/uml", ["mem=64M", "--", "/bin/runtests"], timeout=300)
    for name, ok, why, log in user_results(run.output, "uml-guest", run.log):
        test = name.split()[-1]
        if ok is False and test in lacks:
            ok, why = None, lacks[test]
        elif ok is None and not guest_may_skip(test):   # the parity rule
            ok, why = False, "skips inside the guest (%s), and only altmm's own tests may" % why
        results.append((name, ok, why, log))
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)  # runtests powers the guest off
    expect_lines(run, [r"^tests done: passed=\d+ failed=\d+ skipped=\d+$"], problems)
    results += one("uml-guest: the user-space test run inside the guest completes", run, problems)

    # The guest's own tests (uml-guest/tests/): misbehaving guest processes
    # stay inside the guest.  Each runs under the guest's shell, which
    # prints its status and then runs one more program: the guest (and the
    # host under it) goes on, and init's status 0 comes out through uml's.
    # The escape test reads uml's own process table, at its address in uml.
    nm_tool = "i686-linux-gnu-nm" if shutil.which("i686-linux-gnu-nm") else "nm"
    nm = subprocess.run([nm_tool, os.path.join(BUILD, "user", "bin", "uml")],
                        stdout=subprocess.PIPE, text=True).stdout
    procs = re.search(r"^([0-9a-f]+) [bBdD] procs$", nm, re.M)
    guest_tests = [
        ("forkbomb", "a fork bomb gets EAGAIN from the guest, which reaps it and forks again",
         # 254: threads-max of a 16 MiB guest (256, from its memory) less the
         # shell and the bomb; a fixed table once stopped it at 62.
         [], [r"^forkbomb: (254) children, then fork failed: Resource temporarily unavailable; "
              r"reaped \1 \(0 bad\)$",
              r"^forkbomb: fork after the bomb: ok$"]),
        ("hog", "a memory hog is killed by the guest, whose memory comes back",
         [], [r"^uml-guest: out of memory: pid \d+ \(guesttest-hog\) killed, \d+ KiB resident$",
              r"^hog: killed by SIGKILL$", r"^hog: 4 MiB afterwards: ok$"]),
        ("escape", "sysenter, int $0x81, hlt, inb, kernel and uml addresses, frames naming "
         "uml's space or the host kernel: SIGSEGV from the guest; frames naming host "
         "descriptors stay put; buffers there EFAULT; no /proc/new-mm, no altmm calls",
         ["0x" + procs.group(1)] if procs else [],
         [r"^escape: %s: SIGSEGV$" % re.escape(p) for p in
          ("sysenter", "int $0x81", "hlt", "inb", "store to 0xc0001000", "read of uml's memory",
           "write to uml's memory", "frame into uml's space", "frame into the host kernel")]
         + [r"^escape: /proc/new-mm does not open$", r"^escape: /proc/self/mm does not open$",
            r"^escape: frames naming descriptors 0-31 stay in the process$",
            r"^escape: system calls 1000-1015 are ENOSYS$",
            r"^escape: buffers in uml's memory and the host kernel are EFAULT$",
            r"^escape: 14 of 14 held$"]),
        ("spin", "a process that never yields is preempted: another one runs and finishes "
         "while it spins", [], [r"^spin: the worker ran while the spinner spun: ok$"]),
    ]
    for name, what, args, lines in guest_tests:
        script = "/bin/guesttest-%s %s; echo %s said $?; /bin/echo the guest goes on" % (
            name, " ".join(args), name)
        # The hog and the bomb in a 16 MiB guest: they use all of its
        # memory (processes are bounded by it), which the host must hold.
        mem = ["mem=16M"] if name in ("hog", "forkbomb") else []
        run = run_init("uml-guesttest-" + name, "/bin/uml", mem + ["--", "/bin/sh", "-c", script],
                       timeout=120)
        problems = [] if args or name != "escape" else ["no symbol procs in build/user/bin/uml"]
        expect_status(run, harness.STATUS_SUCCESS, problems)
        expect_lines(run, lines + [r"^%s said 0$" % name, r"^the guest goes on$",
                                   r"^init exited with status 0$"], problems)
        if "KERNEL PANIC" in run.output:
            problems.append("the host kernel panicked")
        results += one("uml-guest: guesttest-%s: %s" % (name, what), run, problems)
    return results


@check("enosys-log")
def enosys_logged_once():
    """Calls the kernel lacks are said once per number, and once for all
    numbers past the table, natively and in the guest: 350 calls of seven
    numbers, one (500) in Linux's table, give two lines, not 350."""
    results = []
    for label, program, args in (("native", "/tests/enosys_range", []),
                                 ("guest", "/bin/uml", ["--", "/tests/enosys_range"])):
        run = run_init("enosys-log-" + label, program, args)
        problems = []
        expect_status(run, harness.STATUS_SUCCESS, problems)
        expect_lines(run, [r"^enosys_range: 350 calls, all ENOSYS$", r"^init exited with status 0$"],
                     problems)
        said = re.findall(r"^.*enosys_range\[\d+\]: system call (\d+) .*not implemented.*$",
                          run.output, re.M)
        if sorted(said) != ["2000", "500"]:
            problems.append("expected one line for 500 and one for 2000, got %s" % said)
        results += one("%s: a missing system call is logged once; numbers past the table once in all"
                       % label, run, problems)
    return results


# --- the system-call fuzzer (user/bin/fuzz.c, docs/08-bad-input.md) ----------------

FUZZ_CALLS = 200000
FUZZ_SEED_NATIVE = 11
FUZZ_SEED_GUEST = 13


def fuzz_problems(run, seed):
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^fuzz: seed %d, %d calls" % (seed, FUZZ_CALLS),
                       r"^fuzz: \d+ calls in \d+ batches",
                       r"^fuzz: memory: MemFree\+Slab (\d+) kB before, \1 kB after; "
                       r"kernel heap blocks (\d+) before, \2 after$",
                       r"^fuzz: PASS \(seed %d\)$" % seed, r"^init exited with status 0$"],
                 problems)
    m = re.search(r"^fuzz: (\d+) calls in", run.output, re.M)
    if m and int(m.group(1)) < FUZZ_CALLS:
        problems.append("only %s calls made" % m.group(1))
    if "KERNEL PANIC" in run.output:
        problems.append("the kernel panicked")
    for line in re.findall(r"^fuzz: (?:batch \d+: MemFree.*|FAIL.*)$", run.output, re.M)[:3]:
        problems.append(line)
    return problems


@check("fuzz")
def fuzz_native_and_guest():
    """Random system calls (fixed seeds: a failure names its seed, and
    `make fuzz SEED=N` runs it again), natively and inside the guest: no
    panic, no hang (the run is bounded), nothing leaked."""
    results = []
    seed = FUZZ_SEED_NATIVE
    run = run_init("fuzz-native", "/bin/fuzz", ["-s", str(seed), "-n", str(FUZZ_CALLS)],
                   timeout=240)
    results += one("fuzz: %d random system calls, seed %d: no panic, hang or leak"
                   % (FUZZ_CALLS, seed), run, fuzz_problems(run, seed))
    seed = FUZZ_SEED_GUEST
    # The guest runs under `fuzz -x`, which compares the host kernel's
    # memory around the whole guest run: the guest's fuzzer checks the
    # guest kernel, this the host under it.
    run = run_init("fuzz-guest", "/bin/fuzz", ["-x", "/bin/uml", "--", "/bin/fuzz", "-s", str(seed),
                                               "-n", str(FUZZ_CALLS)], timeout=300)
    problems = fuzz_problems(run, seed)
    expect_lines(run, [r"^fuzz: host memory around /bin/uml: MemFree\+Slab (\d+) kB before, "
                       r"\1 kB after; kernel heap blocks (\d+) before, \2 after$",
                       r"^fuzz: /bin/uml exited with 0; host PASS$"], problems)
    results += one("fuzz: %d random system calls inside the guest, seed %d: no panic, hang or "
                   "leak in the guest or the host" % (FUZZ_CALLS, seed), run, problems)
    return results


@check("uml-compare")
def uml_compare():
    """The same busybox commands natively and inside the guest
    (tools/guest_compare.sh): every "cmp" line the same in both."""
    script = os.path.join(ROOT, "tools", "guest_compare.sh")
    extra = ["tmp/guest_compare.sh=" + script]
    outputs, results = {}, []
    if not os.path.exists(os.path.join(BUILD, "i386", "busybox")):
        return [("uml-compare", False, "build/i386/busybox is missing: make fetch-busybox", None)]
    for label, program, args in (("native", "/bin/busybox", ["sh", "/tmp/guest_compare.sh"]),
                                 ("guest", "/bin/uml", ["--", "/bin/busybox", "sh",
                                                        "/tmp/guest_compare.sh"])):
        run = run_init("uml-compare-" + label, program, args, extra=extra)
        outputs[label] = (run, re.findall(r"^cmp .*$", run.output, re.M))
    run, native = outputs["native"]
    grun, guest = outputs["guest"]
    problems = []
    expect_status(grun, harness.STATUS_SUCCESS, problems)
    if len(native) != 23:
        problems.append("expected 23 cmp lines natively, got %d" % len(native))
    for a, b in zip(native, guest):
        if a != b:
            problems.append("native %r, guest %r" % (a, b))
    if len(guest) != len(native):
        problems.append("%d cmp lines natively, %d in the guest" % (len(native), len(guest)))
    results += one("uml-guest: busybox commands give the native output inside the guest", grun, problems)
    return results
