#!/usr/bin/env python3
"""The whole test suite (`make test`).

Prints one line per test, `PASS name` or `FAIL name: why (log: path)`, and
last `N passed, N failed`; exits 1 if anything failed.  Each check boots the
kernel headless (tools/harness.py) and asserts exact outcomes: the exit
status the kernel chose, and the lines it printed.

Usage: suite.py [-k SUBSTRING]   (run only checks whose name contains it)
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import suite_host  # noqa: E402

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

@check("mm-host")
def mm_on_the_host():
    return suite_host.results(ROOT, harness.LOG_DIR)


# --- in-kernel self-tests ----------------------------------------------------

def selftest_names(manual=False):
    """Names of the kernel's self-tests, read from its symbol table."""
    prefix = "selftest_manual_entry_" if manual else "selftest_entry_"
    with open(os.path.join(BUILD, "kernel.sym")) as f:
        return sorted(m.group(1) for m in re.finditer(r" %s(\w+)$" % prefix, f.read(), re.M))


def selftest_results(run, label):
    """One result per self-test the kernel has, from the lines it printed."""
    results = []
    printed = dict(re.findall(r"^selftest (\w+): (PASS|FAIL.*)$", run.output, re.M))
    names = selftest_names()
    if not names:
        return [(label, False, "no self-tests found in build/kernel.sym", None)]
    for name in names:
        line = printed.get(name)
        if line == "PASS":
            results.append(("%s %s" % (label, name), True, "", run.log))
        else:
            why = line or "never reported (%s)" % run.verdict
            results.append(("%s %s" % (label, name), False, why, run.log))
    problems = []
    failed = sum(1 for r in results if not r[1])
    expect_status(run, harness.STATUS_FAILURE if failed else harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^selftests done: passed=%d failed=%d$" % (len(names) - failed, failed)],
                 problems)
    results += one("%s: run ends with the kernel's verdict" % label, run, problems)
    return results


@check("selftest")
def selftests_qemu():
    return selftest_results(harness.boot("selftest=all", "selftest"), "selftest")


@check("memory-32M")
def selftests_small_memory():
    run = harness.boot("selftest=all", "memory-32M", memory_mb=32)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^  00100000-01fdffff usable$"], problems)
    return one("boot with 32 MiB: memory map and self-tests", run, problems)


@check("memory-1G")
def selftests_large_memory():
    results = []
    run = harness.boot("selftest=all", "memory-1G", memory_mb=1024, timeout=60)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^page allocator: 26\d{4} pages \(10\d{5} KiB\) managed",
                       r"^  262016 KiB of it above 768 MiB: high memory, for user and file pages"],
                 problems)
    if "is not used" in run.output:
        problems.append("some RAM is not used")
    results += one("boot with 1 GiB: all of it managed, 256 MiB as high memory; self-tests pass",
                   run, problems)
    # Half of it written, shared with a child copy-on-write, read back:
    # high-memory pages, zeroed and copied through the kmap window.
    run = run_init("memory-1G-bigmem", "/tests/bigmem", timeout=120, memory_mb=1024)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^bigmem: \d+ pages \(50\d MiB\), HighTotal 262016 kB$",
                       r"^init exited with status 0$"], problems)
    results += one("1 GiB: bigmem fills half of memory, high memory included", run, problems)
    return results


@check("memory-16M")
def small_memory():
    """The smallest machine QEMU boots (16 MiB) runs init with the
    standard initrd: unpacking gives the archive's pages back as it goes."""
    run = run_init("memory-16M", "/bin/sh",
                   ["-c", "/bin/busybox head -2 /proc/meminfo; /tests/fork_wait && "
                    "/tests/mmap_anon && /tests/pipes && echo all three passed"], memory_mb=16)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^  00100000-00fdffff usable$", r"^MemTotal: +14\d{3} kB$",
                       r"^all three passed$", r"^init exited with status 0$"], problems)
    return one("boot with 16 MiB: the standard initrd, the shell and three tests", run, problems)


@check("initrd-40M")
def large_initrd():
    """An initrd of 40 MB: it ends far above the 16 MiB that boot.S maps,
    where the kernel's page tables used to have to be."""
    import hashlib
    import random
    big = os.path.join(BUILD, "initrd-40M.bin")
    data = random.Random(40).randbytes(34 << 20)
    with open(big, "wb") as f:
        f.write(data)
    run = run_init("initrd-40M", "/bin/busybox", ["md5sum", "/tmp/big.bin"],
                   extra=["tmp/big.bin=" + big], timeout=60)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^initrd: \d{8} bytes at ", r"^%s  /tmp/big.bin$" % hashlib.md5(data).hexdigest(),
                       r"^init exited with status 0$"], problems)
    m = re.search(r"^initrd: (\d+) bytes at ([0-9a-f]+)$", run.output, re.M)
    if m and int(m.group(1)) + int(m.group(2), 16) <= 16 << 20:
        problems.append("the initrd did not reach above 16 MiB")
    return one("a 40 MB initrd (34 MiB of it one file) unpacks whole", run, problems)


# --- the harness notices failures -------------------------------------------

@check("canary")
def failing_selftest_is_reported():
    run = harness.boot("selftest=canary_fail", "canary")
    problems = []
    if "canary_fail" not in selftest_names(manual=True):
        problems.append("the kernel has no manual self-test canary_fail")
    expect_status(run, harness.STATUS_FAILURE, problems)
    expect_lines(run, [r"^selftest canary_fail: FAIL: kernel/selftest\.c:\d+: 1 \+ 1 == 3$",
                       r"^selftests done: passed=0 failed=1$"], problems)
    return one("a failing self-test makes the run fail and is named", run, problems)


@check("unknown-selftest")
def unknown_selftest_is_a_failure():
    run = harness.boot("selftest=no_such_test", "unknown-selftest")
    problems = []
    expect_status(run, harness.STATUS_FAILURE, problems)
    expect_lines(run, [r"^selftest no_such_test: FAIL: no such test$"], problems)
    return one("asking for a self-test that does not exist is a failure", run, problems)


@check("panic")
def panic_exits_with_backtrace():
    run = harness.boot("crash=panic", "panic", timeout=20)
    problems = []
    expect_status(run, harness.STATUS_PANIC, problems)
    expect_lines(run, [r"^KERNEL PANIC: deliberate panic \(crash=panic\)$",
                       r"^eax=[0-9a-f]{8} ebx=[0-9a-f]{8}",
                       r"^backtrace:$",
                       r"^  \[<c01[0-9a-f]{5}>\] crash_if_asked\+0x[0-9a-f]+$",
                       r"^  \[<c01[0-9a-f]{5}>\] kmain\+0x[0-9a-f]+$"], problems)
    if run.seconds > 15:
        problems.append("took %.1f s to end" % run.seconds)
    return one("panic prints registers and a symbolic backtrace and exits at once", run, problems)


@check("pagefault")
def page_fault_is_fatal_and_reported():
    run = harness.boot("crash=pagefault", "pagefault", timeout=20)
    problems = []
    expect_status(run, harness.STATUS_PANIC, problems)
    expect_lines(run, [r"^KERNEL PANIC: unexpected trap: page fault at eip c01[0-9a-f]{5}$",
                       r"^trap 14 \(page fault\), error code 0x2$",
                       r"^cr0=[0-9a-f]{8} cr2=00000010 ",
                       r"^  \[<c01[0-9a-f]{5}>\] crash_if_asked\+0x[0-9a-f]+$"], problems)
    return one("a kernel page fault dumps registers (cr2, error code) and a backtrace", run, problems)


@check("divide")
def divide_error_is_fatal_and_reported():
    run = harness.boot("crash=divide", "divide", timeout=20)
    problems = []
    expect_status(run, harness.STATUS_PANIC, problems)
    expect_lines(run, [r"^trap 0 \(divide error\), error code 0x0$",
                       r"^  \[<c01[0-9a-f]{5}>\] crash_if_asked\+0x[0-9a-f]+$"], problems)
    return one("a divide error in the kernel is reported with a backtrace", run, problems)


# --- the console -------------------------------------------------------------

@check("monitor")
def monitor_over_serial():
    script = [("kmon> ", "help\r"), ("kmon> ", "uptime\r"), ("kmon> ", "bogus\r"),
              ("kmon> ", "mem\r"), ("kmon> ", "halt\r")]
    run = harness.boot("", "monitor", script=script)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^  uptime   timer ticks since boot$",
                       r"^up \d+ ticks \(\d+\.\d\d s at 100 Hz\)$",
                       r"^bogus: unknown command \(try 'help'\)$",
                       r"^heap: \d+ pages mapped, \d+ bytes in \d+ live blocks, \d+ free blocks$",
                       r"^halted$"], problems)
    return one("the monitor reads commands typed on COM1", run, problems)


@check("shell")
def shell_over_serial():
    """What `make run` gives: init starts the shell on the console."""
    script = [("/# ", "echo hello | cat\r"), ("/# ", "ls /bin\r"), ("/# ", "cd /tmp\r"),
              ("/tmp# ", "echo x > f; cat f; rm f; cat f\r"), ("/tmp# ", "ps\r"),
              ("/tmp# ", "poweroff\r")]
    run = harness.boot("", "shell", initrd=os.path.join(BUILD, "initrd.cpio"), script=script)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^starting /bin/init as pid 1$", r"^hello$", r"^poweroff$", r"^x$",
                       r"^cat: f: No such file or directory$",
                       r"^ +1 +0 S init$", r"^ +\d+ +1 S sh$", r"^ +\d+ +\d+ R ps$",
                       r"^reboot: power off requested by poweroff\[\d+\]$"], problems)
    return one("init starts the shell on the console; pipes, files, ps, poweroff", run, problems)


@check("shell-limits")
def shell_after_limits():
    """The limits on processes and descriptors hit from the shell (the
    tests set threads-max, pid_max and RLIMIT_NOFILE low, fork and open
    until EAGAIN and EMFILE, and put them back): the shell goes on."""
    script = [("/# ", "/tests/proc_limits; echo proc_limits said $?\r"),
              ("/# ", "/tests/fd_limits; echo fd_limits said $?\r"),
              ("/# ", "echo 300 > /proc/sys/kernel/pid_max; cat /proc/sys/kernel/pid_max\r"),
              ("/# ", "echo 4000 > /proc/sys/kernel/pid_max; cat /proc/sys/kernel/pid_max\r"),
              ("/# ", "echo 32768 > /proc/sys/kernel/pid_max; ls /bin | cat\r"),
              ("/# ", "ps\r"), ("/# ", "poweroff\r")]
    run = harness.boot("", "shell-limits", initrd=os.path.join(BUILD, "initrd.cpio"),
                       script=script, timeout=60)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^proc_limits said 0$", r"^fd_limits said 0$", r"^32768$", r"^4000$",
                       r"^runtests$", r"^ +1 +0 S init$", r"^ +\d+ +\d+ R ps$",
                       r"^reboot: power off requested by poweroff\[\d+\]$"], problems)
    if "KERNEL PANIC" in run.output:
        problems.append("the kernel panicked")
    return one("the shell after threads-max, pid_max and RLIMIT_NOFILE were hit; pid_max set from it",
               run, problems)


@check("uml-shell")
def uml_from_the_shell():
    """What `make run` then `uml` gives: the guest kernel's shell on the
    console, its exit status back in the host's shell."""
    script = [("/# ", "uml\r"), ("uml-guest: ", ""), ("/# ", "ls /bin | cat\r"),
              ("/# ", "/tests/fork_wait; echo the test said $?\r"),
              ("/# ", "cat\r"), ("cat\r\n", "ping\r"), ("ping\r\nping\r\n", "\x03"),
              ("/# ", "echo after ^C $?\r"),
              ("/# ", "exit 7\r"), ("/# ", "echo back with $?\r"), ("/# ", "poweroff\r")]
    run = harness.boot("", "uml-shell", initrd=os.path.join(BUILD, "initrd.cpio"), script=script,
                       timeout=60)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^uml-guest: 16 MiB, init /bin/sh$", r"^uml$", r"^runtests$",
                       r"^the test said 0$", r"^after \^C 130$", r"^back with 7$",
                       r"^reboot: power off requested by poweroff\[\d+\]$"], problems)
    if "KERNEL PANIC" in run.output:
        problems.append("the host kernel panicked")
    return one("uml from the shell: the guest's shell; ls | cat, a test, ^C, exit 7 back to the host",
               run, problems)


# --- real programs: Debian's busybox and a glibc program, unchanged ---------------

def run_init(name, program, args=(), timeout=30, memory_mb=128, extra=()):
    """Boot the standard initrd (plus EXTRA, mkinitrd's PATH=HOST-FILE
    arguments) with PROGRAM as pid 1 (tools/run.py does the same)."""
    initrd = os.path.join(BUILD, "run-%s.cpio" % name)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkinitrd.py"), "-o", initrd,
                    "--standard"] + list(extra), check=True)
    quoted = " ".join('"%s"' % a if " " in a else a for a in args)
    cmdline = "init=%s" % program + (" -- " + quoted if args else "")
    return harness.boot(cmdline, name, initrd=initrd, timeout=timeout, memory_mb=memory_mb)


def cpio_entries(data):
    """(header offset, name, data offset, file size) of each newc entry."""
    out, off = [], 0
    while off + 110 <= len(data) and data[off:off + 6] in (b"070701", b"070702"):
        size, namesize = int(data[off + 54:off + 62], 16), int(data[off + 94:off + 102], 16)
        name = data[off + 110:off + 110 + namesize - 1].decode()
        data_off = (off + 110 + namesize + 3) & ~3
        out.append((off, name, data_off, size))
        if name == "TRAILER!!!":
            break
        off = (data_off + size + 3) & ~3
    return out


@check("initrd-damaged")
def damaged_initrd():
    """A damaged initrd is refused with what was wrong and where, and the
    kernel goes on to its monitor (no init from half an archive), which
    answers: `halt` ends the machine.  Three damages: cut short in the
    middle of a file, bad magic at the start, a file size past the end."""
    std = os.path.join(BUILD, "run-initrd-damaged.cpio")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkinitrd.py"), "-o", std,
                    "--standard"], check=True)
    with open(std, "rb") as f:
        good = f.read()
    entries = cpio_entries(good)
    biggest = max(entries, key=lambda e: e[3])
    hdr, _, data_off, size = biggest
    second = entries[1][0]
    huge = good[:second + 54] + b"7FFFFFFF" + good[second + 62:]
    cases = [
        ("cut short in a file's data", good[:data_off + size // 2],
         "file data past the end at offset %d" % hdr),
        ("bad magic", b"XXXXXX" + good[6:], r"bad magic \(not a cpio newc archive\) at offset 0"),
        ("a file size past the end", huge, "file data past the end at offset %d" % second),
    ]
    results = []
    for i, (what, data, message) in enumerate(cases):
        path = os.path.join(BUILD, "run-initrd-damaged-%d.cpio" % i)
        with open(path, "wb") as f:
            f.write(data)
        run = harness.boot("", "initrd-damaged-%d" % i, initrd=path,
                           script=[("kmon> ", "halt\r")])
        problems = []
        expect_status(run, harness.STATUS_SUCCESS, problems)
        expect_lines(run, [r"^initrd: %d bytes at [0-9a-f]+$" % len(data),
                           r"^initrd: malformed archive: %s; unpacking stopped$" % message,
                           r"^initrd: refused \(error -22\); the root file system may be incomplete$",
                           r"^halted$"], problems)
        if "KERNEL PANIC" in run.output or re.search(r"^starting .* as pid 1$", run.output, re.M):
            problems.append("a panic, or init started from a damaged initrd")
        results += one("a damaged initrd (%s) is refused, and the monitor answers" % what,
                       run, problems)
    return results


@check("busybox")
def busybox_sh_c():
    if not os.path.exists(os.path.join(BUILD, "i386", "busybox")):
        return [("busybox sh -c", False, "build/i386/busybox is missing: make fetch-busybox", None)]
    run = run_init("busybox", "/bin/busybox",
                   ["sh", "-c", "echo hi; ls -l /; cat /etc/motd | wc -l; exit 4"])
    problems = []
    expect_status(run, harness.STATUS_FAILURE, problems)  # init's status 4 is not 0
    expect_lines(run, [r"^hi$", r"^drwxr-xr-x +\d+ 0 +0 .* bin$", r"^drwxr-xr-x +\d+ 0 +0 .* tmp$",
                       r"^3$", r"^init exited with status 4$"], problems)
    return one("Debian's busybox: sh -c 'echo hi; ls -l /; cat /etc/motd | wc -l; exit 4'",
               run, problems)


@check("busybox-interactive")
def busybox_interactive():
    if not os.path.exists(os.path.join(BUILD, "i386", "busybox")):
        return [("busybox sh on the console", False, "build/i386/busybox is missing", None)]
    script = [("/# ", "busybox sh\r"), ("/ # ", "echo in busybox $((6*7))\r"),
              ("/ # ", "busybox cat /etc/motd | busybox wc -l\r"), ("/ # ", "exit\r"),
              ("/# ", "poweroff\r")]
    run = harness.boot("", "busybox-interactive", initrd=os.path.join(BUILD, "initrd.cpio"),
                       script=script)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^BusyBox v1\.\d+", r"^in busybox 42\r?$", r"^3\r?$"], problems)
    return one("busybox sh, interactive on the console, started from our shell", run, problems)


@check("glibc")
def glibc_program():
    if not os.path.exists(os.path.join(BUILD, "user", "glibc", "glibc_demo")):
        return [("a static glibc program", False,
                 "build/user/glibc/glibc_demo was not built (needs i686-linux-gnu-gcc)", None)]
    run = run_init("glibc", "/bin/glibc_demo")
    return one("a static glibc program built with i686-linux-gnu-gcc runs unchanged", run,
               glibc_demo_problems(run))


def glibc_demo_problems(run):
    """What is wrong with a run of glibc_demo as init (here or in the guest)."""
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^glibc_demo: fork and waitpid: ok$", r"^glibc_demo: all good$",
                       r"^init exited with status 0$"], problems)
    if "WRONG" in run.output:
        problems.append("a check printed WRONG")
    return problems


@check("interrupt")
def ctrl_c_and_kill():
    """^C kills the foreground job, not the shell; kill signals a background one."""
    # cat answers a line before the ^C: so it surely runs (a ^C that came
    # first would only flush the typed line, as on Linux).
    script = [("/# ", "cat\r"), ("cat\r\n", "ping\r"), ("ping\r\nping\r\n", "\x03"),
              ("/# ", "echo status $?\r"),
              ("/# ", "busybox sleep 30 &\r"),
              (re.compile(r"\[(\d+)\]"), lambda m: "kill %s\r" % m.group(1)),
              ("/# ", "\r"), ("/# ", "poweroff\r")]
    run = harness.boot("", "interrupt", initrd=os.path.join(BUILD, "initrd.cpio"), script=script)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^status 130$", r"^\[\d+\] done, status 143$"], problems)
    if "init: /bin/sh" in run.output:
        problems.append("the shell died and init restarted it")
    return one("^C kills the foreground cat and not the shell; kill ends a background job",
               run, problems)


# --- boot loaders ------------------------------------------------------------

def make_iso(name, cmdline):
    iso = os.path.join(BUILD, name + ".iso")
    kernel = os.path.join(BUILD, "kernel-grub.elf")  # stripped: see the Makefile
    subprocess.run(["sh", os.path.join(ROOT, "tools", "mkiso.sh"), kernel, iso, cmdline],
                   check=True)
    return iso


@check("grub")
def grub_iso_in_qemu():
    iso = make_iso("test-qemu", "selftest=all exit=qemu")
    run = harness.run_qemu(harness.qemu_command("", cdrom=iso), "grub", timeout=60)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^boot loader: GRUB", r"^selftests done: passed=\d+ failed=0$"], problems)
    return one("GRUB ISO boots in QEMU and the self-tests pass", run, problems)


@check("bochs")
def bochs_boot():
    iso = make_iso("test-bochs", "selftest=all exit=bochs")
    log = os.path.join(harness.LOG_DIR, "bochs.log")
    os.makedirs(harness.LOG_DIR, exist_ok=True)
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bochs.py"), iso,
                           "--expect", "altmm kernel 0.1 (i386, multiboot)",
                           "--expect", "boot loader: GRUB",
                           "--expect", "selftests done: passed=",
                           "--expect", " failed=0",
                           "--timeout", "240", "--log", log],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    why = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return [("Bochs boots the GRUB ISO to the banner and self-tests", proc.returncode == 0,
             why, log)]


# --- user space: the same test programs on this kernel and on Linux --------------

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
    failed = re.findall(r"^test (\S+): FAIL", run.output, re.M)
    if failed:
        problems.append("failed: " + " ".join(failed))
    results += one("slow clock: every user test passes with a tick every ~10,000 instructions",
                   run, problems)
    std = os.path.join(BUILD, "run-slow-clock-guest.cpio")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkinitrd.py"), "-o", std,
                    "--standard"], check=True)
    run = harness.boot("init=/bin/uml -- /bin/runtests", "slow-clock-guest", initrd=std,
                       timeout=300, extra=slow)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, [r"^tests done: passed=\d+ failed=0 skipped=\d+$"], problems)
    failed = re.findall(r"^test (\S+): FAIL", run.output, re.M)
    if failed:
        problems.append("failed: " + " ".join(failed))
    results += one("slow clock: the user tests inside the guest too", run, problems)
    return results


SOAK_ROUNDS = 10


def soak_results(label, run):
    """A soak run's verdict: every round passes, and runtests's own
    comparison of free memory and heap blocks (after round 1, after the
    last) says "soak: PASS"."""
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    dones = re.findall(r"^tests done: passed=\d+ failed=(\d+) skipped=\d+$", run.output, re.M)
    if len(dones) != SOAK_ROUNDS or any(f != "0" for f in dones):
        problems.append("expected %d rounds with nothing failed, got %s"
                        % (SOAK_ROUNDS, ", ".join("failed=" + f for f in dones) or "none"))
    failed = sorted(set(re.findall(r"^test (\S+): FAIL", run.output, re.M)))
    if failed:
        problems.append("failed: " + " ".join(failed))
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
    run = run_init("soak-guest", "/bin/uml", ["--", "/bin/runtests", "--rounds", str(SOAK_ROUNDS)],
                   timeout=600)
    return soak_results("uml-guest", run)


@check("linux")
def user_tests_on_linux():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "oracle.py")],
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
    expect_lines(run, [r"^uml-guest: 16 MiB, init /bin/echo$", r"^hello from the guest$",
                       r"^init exited with status 0$"], problems)
    results += one("uml-guest: /bin/echo inside the guest", run, problems)

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
        expect_lines(run, [r"^hi$", r"^drwxr-xr-x +\d+ 0 +0 .* bin$", r"^3$",
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
    lacks = {}
    run = run_init("uml-user", "/bin/uml", ["--", "/bin/runtests"], timeout=300)
    for name, ok, why, log in user_results(run.output, "uml-guest", run.log):
        if ok is False and name.split()[-1] in lacks:
            ok, why = None, lacks[name.split()[-1]]
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
         [], [r"^forkbomb: (\d+) children, then fork failed: Resource temporarily unavailable; "
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
        run = run_init("uml-guesttest-" + name, "/bin/uml", ["--", "/bin/sh", "-c", script],
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
