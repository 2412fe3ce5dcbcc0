"""The suite's check of /proc through the tools that read it: Debian's
busybox ps, free, uptime, mount, df and top (one batch screen), run as pid
1 on this kernel and inside the guest kernel, must print their rows with
the figures in place.  (Debian's busybox-static has no pmap applet; the
maps format pmap parses is checked by user/tests/proc_pid.)"""
import os

from suitelib import BUILD, check, expect_lines, expect_status, one, run_init
import harness

# Each command, then a separator line, so a missing row names its command.
SCRIPT = ("sleep 60 & echo =ps; ps; echo =free; free; echo =uptime; uptime; echo =mount; mount; "
          "%s echo =top; top -b -n 1; echo =end; kill $!")

COMMON = [
    r"^PID +USER +COMMAND$",                                # ps
    r"^ +1 root +/bin/busybox sh -c sleep 60 ",             # its cmdline, not [busybox]
    r"^ +\d+ root +(\{exe\} )?sleep 60$",                   # the child, named by its cmdline
    r"^Mem: +\d+ +\d+ +\d+ +0 +\d+ +\d+$",                  # free (sysinfo and meminfo)
    r"^Swap: +0 +0 +0$",
    r"up +\d+ min, +0 users, +load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d$",   # uptime
    r"^proc on /proc type proc \(rw,nosuid,nodev,noexec\)$",                      # mount
    r"^Mem: \d+K used, \d+K free, ",                        # top: meminfo
    r"^CPU: +\d+% usr +\d+% sys .* \d+% idle ",             # /proc/stat
    r"^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$",   # /proc/loadavg
    r"^ +PID +PPID +USER +STAT +VSZ +%VSZ +%CPU +COMMAND$",
    r"^ +1 +0 +root +[RS] +\d+ +\d+% +\d+% /bin/busybox sh -c sleep 60 ",   # stat, statm, cmdline
    r"^ +\d+ +1 +root +S +\d+ +\d+% +\d+% (\{exe\} )?sleep 60$",
    r"^=end$",
]
DF = [r"^Filesystem +1K-blocks +Used +Available +Use% +Mounted on$",
      r"^ramfs +\d+ +\d+ +\d+ +\d+% /$"]


@check("procfs-tools")
def procfs_tools():
    if not os.path.exists(os.path.join(BUILD, "i386", "busybox")):
        return [("procfs: busybox reads /proc", False,
                 "build/i386/busybox is missing: make fetch-busybox", None)]
    results = []
    run = run_init("procfs-tools", "/bin/busybox", ["sh", "-c", SCRIPT % "echo =df; df;"])
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, COMMON + DF, problems)
    results += one("procfs: busybox ps, free, uptime, mount, df and top read /proc", run, problems)

    # Inside the guest: the same rows from the guest's own /proc (df: the
    # host's file system under the guest's hostfs, through its statfs64).
    run = run_init("procfs-tools-uml", "/bin/uml",
                   ["--", "/bin/busybox", "sh", "-c", SCRIPT % "echo =df; df;"], timeout=60)
    problems = []
    expect_status(run, harness.STATUS_SUCCESS, problems)
    expect_lines(run, COMMON + [DF[0], r"^hostfs +\d+ +\d+ +\d+ +\d+% /$",
                                r"^hostfs on / type hostfs \(rw\)$", r"^init exited with status 0$"],
                 problems)
    results += one("procfs: busybox ps, free, uptime, mount, df and top inside the guest", run, problems)
    return results
