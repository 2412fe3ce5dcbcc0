"""Boot the kernel headless in QEMU and get its verdict.

The kernel's side of the protocol (include/kernel/machine.h): with `exit=qemu`
on its command line it ends the run by writing a code to the isa-debug-exit
port, and QEMU exits with status (code << 1) | 1:

    33  success: everything asked for passed
    35  failure: a self-test failed
    37  panic or unexpected exception

Any other status (0, 1, a signal, our timeout) means the run did not end the
way the kernel ends runs, and is never a pass.

Python 3 standard library only.
"""
import os
import selectors
import signal
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "kernel.elf")
LOG_DIR = os.path.join(ROOT, "build", "test-logs")

STATUS_SUCCESS = 33
STATUS_FAILURE = 35
STATUS_PANIC = 37
STATUS_NAMES = {STATUS_SUCCESS: "success", STATUS_FAILURE: "test failure",
                STATUS_PANIC: "kernel panic"}


class Run:
    """The outcome of one QEMU run."""

    def __init__(self, status, output, timed_out, seconds, log):
        self.status = status          # QEMU's exit status, None on timeout
        self.output = output          # everything the kernel printed (serial)
        self.timed_out = timed_out
        self.seconds = seconds
        self.log = log                # path of the kept log

    @property
    def verdict(self):
        if self.timed_out:
            return "timeout after %.0f s" % self.seconds
        return STATUS_NAMES.get(self.status, "QEMU ended with status %s, not the kernel" % self.status)

    def ok(self):
        return not self.timed_out and self.status == STATUS_SUCCESS


def qemu_command(cmdline, kernel=KERNEL, initrd=None, memory_mb=128, cdrom=None, extra=()):
    cmd = ["qemu-system-i386", "-m", str(memory_mb), "-display", "none",
           "-serial", "stdio", "-monitor", "none", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if cdrom:
        cmd += ["-cdrom", cdrom, "-boot", "d"]
    else:
        cmd += ["-kernel", kernel, "-append", cmdline]
        if initrd:
            cmd += ["-initrd", initrd]
    return cmd + list(extra)


def run_qemu(cmd, log_name, timeout=30, script=(), echo=False):
    """Run QEMU with its serial port on a pipe; return a Run.

    script: (expected, to_send) pairs.  Each to_send is typed on the serial
    port once `expected` has appeared in the output after the previous
    step: this is how tests drive the console.  `expected` is a string or a
    compiled regular expression; to_send is a string, or a function of the
    match (for a regex) giving the string, to answer what the kernel said.
    echo: copy the output to our stdout as it arrives.
    """
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, log_name + ".log")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    out = bytearray()
    steps = list(script)
    searched_from = 0
    timed_out = False
    while True:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            timed_out = True
            break
        if not sel.select(min(left, 0.5)):
            if proc.poll() is not None:
                break
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        out += chunk
        if echo:
            os.write(1, chunk)
        while steps:
            expected, send = steps[0]
            text = out.decode("utf-8", "replace")
            if isinstance(expected, str):
                at = text.find(expected, searched_from)
                match, end = None, at + len(expected)
            else:
                match = expected.search(text, searched_from)
                at, end = (match.start(), match.end()) if match else (-1, 0)
            if at < 0:
                break
            searched_from = end
            steps.pop(0)
            if callable(send):
                send = send(match)
            proc.stdin.write(send.encode())
            proc.stdin.flush()
    if timed_out:
        os.killpg(proc.pid, signal.SIGKILL)
    status = proc.wait()
    seconds = time.monotonic() - start
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    with open(log, "w") as f:
        f.write("# command: %s\n" % " ".join(cmd))
        f.write("# status: %s, %.1f s\n" % ("timeout" if timed_out else status, seconds))
        f.write(text)
    return Run(None if timed_out else status, text, timed_out, seconds, log)


def boot(cmdline, log_name, timeout=30, **kw):
    """Boot the kernel with `exit=qemu` added to cmdline."""
    script = kw.pop("script", ())
    echo = kw.pop("echo", False)
    return run_qemu(qemu_command("exit=qemu " + cmdline, **kw), log_name, timeout, script, echo)
