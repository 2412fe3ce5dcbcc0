#!/usr/bin/env python3
"""tools/bochs.py -- boot an ISO in Bochs 2.7 (Debian 12's build).

Headless check (for `make test`):
    tools/bochs.py ISO --expect STRING [--expect STRING ...] \
                       [--timeout SECONDS] [--log PATH]
  Boots ISO as a cdrom with COM1 written to PATH and passes (exit 0) when
  every STRING is in that log AND Bochs ended by itself, because the kernel
  wrote "Shutdown" to port 0x8900 (its cmdline holds exit=bochs), before the
  timeout.  Otherwise exits 1 with one line saying why.  The log is kept.

Interactive (for `make bochs`):
    tools/bochs.py ISO --interactive [--log PATH]
  With an X display and Debian's bochs-x installed: Bochs's own window.
  Otherwise the `term` display, relayed to this terminal; Ctrl-a x quits.

Facts this relies on (checked on Debian 12, Bochs 2.7):
- The build has no `nogui` display and has the debugger compiled in, so it
  stops at a prompt: `-rc` gives it "c" (run) then "quit".
- With the debugger compiled in, the `term` display draws the screen on a
  fresh pty of its own (/dev/ptmx) and prints its name on stderr.  Nobody
  reads that pty, so once a few dozen KB of screen updates pile up Bochs
  blocks for ever in write().  We therefore open the pty and drain it.
  ncurses needs a known TERM (unset TERM: "Error opening terminal"), so we
  set TERM=dumb.  No tty or stdin is needed otherwise.
- Bochs catches SIGTERM and carries on, so a timeout uses SIGKILL.
- The guest writing "Shutdown" to port 0x8900 ends Bochs with status 1 and
  the message "Shutdown port: shutdown requested".
"""
import argparse
import glob
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGABIOS = "/usr/share/vgabios/vgabios.bin"
PLUGINS = "/usr/lib/x86_64-linux-gnu/bochs/plugins"


def bochsrc(iso, com1, logfile, display, headless):
    lines = [
        "megs: 128",
        "romimage: file=" + BIOS,
        "vgaromimage: file=" + VGABIOS,
        "ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14",
        "ata0-master: type=cdrom, path=%s, status=inserted" % iso,
        "boot: cdrom",
        "com1: enabled=1, mode=file, dev=" + com1,
        "display_library: " + display,
        "log: " + logfile,           # not ./bochsout.txt
        "clock: sync=none",          # virtual time = instructions / ips
        "cpu: ips=50000000",
        "sound: driver=dummy",       # no ALSA chatter on stderr
    ]
    if headless:
        # a triple fault stops Bochs with a message instead of rebooting
        # into GRUB again and again until the timeout
        lines.append("cpu: reset_on_triple_fault=0")
    return "\n".join(lines) + "\n"


def drain(path):
    """Read (and drop) the term display's output until Bochs closes it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return
    try:
        while os.read(fd, 65536):
            pass
    except OSError:                  # EIO once Bochs has gone
        pass
    finally:
        os.close(fd)


def start(tmp, iso, com1, display, headless, rc_cmds, env):
    rc = os.path.join(tmp, "rc")
    with open(rc, "w") as f:
        f.write(rc_cmds)
    conf = os.path.join(tmp, "bochsrc")
    with open(conf, "w") as f:
        f.write(bochsrc(os.path.abspath(iso), os.path.abspath(com1),
                        os.path.join(tmp, "bochs.log"), display, headless))
    out = open(os.path.join(tmp, "out"), "wb")
    # cwd=tmp: whatever else Bochs writes lands in the temp dir
    p = subprocess.Popen(["bochs", "-q", "-f", conf, "-rc", rc], cwd=tmp,
                         stdin=subprocess.DEVNULL, stdout=out,
                         stderr=subprocess.STDOUT, env=env,
                         start_new_session=True)
    out.close()
    return p


def find_screen(tmp, p, wait=10.0):
    """The pty Bochs's term display draws on, from its stderr."""
    end = time.time() + wait
    while time.time() < end:
        with open(os.path.join(tmp, "out"), "rb") as f:
            m = re.search(rb'connected to screen "([^"]+)"', f.read())
        if m:
            return m.group(1).decode()
        if p.poll() is not None:
            return None
        time.sleep(0.02)
    return None


def kill(p):
    if p.poll() is not None:
        return
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def exit_message(tmp):
    with open(os.path.join(tmp, "out"), "rb") as f:
        text = f.read().decode("utf-8", "replace")
    m = re.search(r"Bochs is exiting with the following message:\s*\n(.*)", text)
    if m:
        return m.group(1).strip()
    for line in reversed(text.splitlines()):
        if line.strip() and not line.startswith("="):
            return line.strip()
    return ""


def headless(args):
    log = args.log or "bochs-com1.log"
    os.makedirs(os.path.dirname(os.path.abspath(log)), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bochs.") as tmp:
        open(log, "wb").close()
        env = dict(os.environ, TERM="dumb")
        t0 = time.time()
        p = start(tmp, args.iso, log, "term", True, "c\nquit\n", env)
        screen = find_screen(tmp, p)
        if screen:
            threading.Thread(target=drain, args=(screen,),
                             daemon=True).start()
        try:
            status = p.wait(timeout=max(0.0, args.timeout - (time.time() - t0)))
            timed_out = False
        except subprocess.TimeoutExpired:
            status, timed_out = None, True
        finally:                      # also on Ctrl-C or SIGTERM
            kill(p)
        secs = time.time() - t0
        with open(log, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        missing = [s for s in args.expect if s not in text]
        why = exit_message(tmp)
        if timed_out:
            reason = "timed out after %.0f s" % args.timeout
        elif "Shutdown port: shutdown requested" not in why:
            reason = "Bochs stopped (status %d): %s" % (status, why)
        else:
            reason = None
        if missing:
            reason = "; ".join(filter(None, [
                "missing %s" % ", ".join(repr(s) for s in missing), reason]))
        if reason:
            print("bochs: FAIL: %s (COM1 log: %s)" % (reason, log))
            return 1
        print("bochs: PASS in %.1f s" % secs)
        return 0


def relay(p, screen):
    """Show the term display on this terminal; keys go to the guest.
    Returns True when the user typed Ctrl-a x."""
    import termios
    import tty
    fd = os.open(screen, os.O_RDWR | os.O_NOCTTY)
    stdin = sys.stdin.fileno()
    saved = termios.tcgetattr(stdin)
    tty.setraw(stdin)
    escape = False
    try:
        while True:
            r, _, _ = select.select([fd, stdin], [], [], 0.2)
            if fd in r:
                try:
                    data = os.read(fd, 65536)
                except OSError:       # EIO: Bochs has gone
                    data = b""
                if not data:
                    return False
                os.write(sys.stdout.fileno(), data)
            elif p.poll() is not None:
                return False
            if stdin in r:
                for b in os.read(stdin, 1024):
                    if escape:
                        escape = False
                        if b in b"xX":
                            return True
                        if b != 1:    # Ctrl-a Ctrl-a sends one Ctrl-a
                            os.write(fd, b"\x01")
                    elif b == 1:      # Ctrl-a
                        escape = True
                        continue
                    os.write(fd, bytes([b]))
    finally:
        termios.tcsetattr(stdin, termios.TCSAFLUSH, saved)
        os.close(fd)


def interactive(args):
    log = args.log or os.path.join(tempfile.gettempdir(), "bochs-com1.log")
    open(log, "wb").close()
    have_x = os.environ.get("DISPLAY") and glob.glob(PLUGINS + "/libbx_x*.so*")
    with tempfile.TemporaryDirectory(prefix="bochs.") as tmp:
        p = None
        if have_x:
            print("Bochs window: close it (or Ctrl-C here) to quit.")
            p = start(tmp, args.iso, log, "x", False, "c\nquit\n", os.environ)
            try:
                p.wait()
            except KeyboardInterrupt:
                kill(p)
        else:
            if not sys.stdin.isatty():
                print("bochs: --interactive needs a terminal", file=sys.stderr)
                return 1
            size = os.get_terminal_size()
            env = dict(os.environ, TERM=os.environ.get("TERM") or "vt100",
                       LINES=str(size.lines), COLUMNS=str(size.columns))
            print("Bochs (term display): Ctrl-a x quits.  Starting...")
            p = start(tmp, args.iso, log, "term", False, "c\nquit\n", env)
            try:
                screen = find_screen(tmp, p)
                quit = relay(p, screen) if screen else False
                if not quit:          # it is on its way out: let it finish
                    p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            finally:
                kill(p)
            # Bochs leaves without restoring the terminal: attributes off,
            # cursor on, back from the alternate screen
            sys.stdout.write("\033[0m\033[?25h\033[?1049l\n")
            if quit:
                print("bochs: quit (Ctrl-a x)")
        if p is not None and p.returncode != -signal.SIGKILL:
            print("bochs: %s" % exit_message(tmp))
        print("bochs: COM1 output is in %s" % log)
    return 0


def main():
    # SIGTERM (e.g. from a test runner's timeout) unwinds like Ctrl-C, so
    # Bochs (in a session of its own) is killed and the temp dir removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    ap = argparse.ArgumentParser(description="Boot an ISO in Bochs 2.7.")
    ap.add_argument("iso")
    ap.add_argument("--expect", action="append", default=[],
                    help="string that must appear on COM1 (repeatable)")
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds before Bochs is killed (default 120)")
    ap.add_argument("--log", help="where COM1 output goes")
    ap.add_argument("--interactive", action="store_true",
                    help="a Bochs session to watch and type into")
    args = ap.parse_args()
    if not shutil.which("bochs"):
        print("bochs: FAIL: bochs is not installed (run: sh tools/deps.sh)")
        return 1
    if not os.path.isfile(args.iso):
        print("bochs: FAIL: no such ISO: %s" % args.iso)
        return 1
    if args.interactive:
        return interactive(args)
    if not args.expect:
        ap.error("give --expect STRING (or --interactive)")
    return headless(args)


if __name__ == "__main__":
    sys.exit(main())
