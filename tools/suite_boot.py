"""The suite's checks of the kernel itself: self-tests, memory sizes,
initrds (large and damaged), deliberate failures, the monitor and the
shell over the serial port, busybox, glibc, GRUB and Bochs."""
import hashlib
import os
import re
import subprocess
import sys

import harness
import suite_host
from suitelib import BUILD, ROOT, check, expect_lines, expect_status, one, run_init

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
    expect_lines(run, [r"^uml-guest: 256 MiB, init /bin/sh$", r"^uml$", r"^runtests$",
                       r"^the test said 0$", r"^after \^C 130$", r"^back with 7$",
                       r"^reboot: power off requested by poweroff\[\d+\]$"], problems)
    if "KERNEL PANIC" in run.output:
        problems.append("the host kernel panicked")
    return one("uml from the shell: the guest's shell; ls | cat, a test, ^C, exit 7 back to the host",
               run, problems)


# --- real programs: Debian's busybox and a glibc program, unchanged ---------------

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
