"""The suite's view of `make test-host` (tests/host/, docs/09-mm-on-the-host.md):
kernel/mm and the signal-frame code built as a program of this machine, under
AddressSanitizer and UndefinedBehaviorSanitizer, against a fake machine.

build/host/mmtest prints `PASS name` or `FAIL name: why` per test (the
model-based fuzzer is one of them, with fixed seeds), then
`host tests: N passed, N failed`.  Each test becomes one result of the
suite; a run that ends any other way (a sanitizer report, a kernel panic
in the fake, a crash) is one more failed result, with the log.
"""
import os
import re
import subprocess

TIMEOUT = 300   # seconds; the run takes a few


def results(root, log_dir):
    exe = os.path.join(root, "build", "host", "mmtest")
    if not os.path.exists(exe):
        return [("mm-host: build/host/mmtest", False, "not built (make test builds it; or make test-host)",
                 None)]
    os.makedirs(log_dir, exist_ok=True)
    log = os.path.join(log_dir, "mm-host.log")
    try:
        p = subprocess.run([exe], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=TIMEOUT)
        out, status = p.stdout.decode(errors="replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, status = (e.stdout or b"").decode(errors="replace"), None
    with open(log, "w") as f:
        f.write(out)
    res = []
    for m in re.finditer(r"^(PASS|FAIL) (\S+?)(?:: (.*))?$", out, re.M):
        res.append(("mm-host: " + m.group(2), m.group(1) == "PASS", m.group(3) or "", log))
    failed = sum(1 for r in res if not r[1])
    summary = re.search(r"^host tests: (\d+) passed, (\d+) failed$", out, re.M)
    complete = (status == 0 if failed == 0 else status == 1) and bool(res) and bool(summary) \
        and int(summary.group(1)) == len(res) - failed and int(summary.group(2)) == failed
    why = "" if complete else (
        "timed out after %d s" % TIMEOUT if status is None else
        "exit status %d, %d results, summary %s (a sanitizer report or a panic? see the log)"
        % (status, len(res), "missing" if not summary else repr(summary.group(0))))
    return res + [("mm-host: the run completes", complete, why, log)]
