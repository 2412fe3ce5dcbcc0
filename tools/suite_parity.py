"""Guest parity, checked from the sources: the guest kernel (uml-guest/)
offers its processes exactly the system calls the host kernel (kernel/)
offers its own, but for altmm's.

    tools/suite_parity.py [TREE]    print the differences of TREE (default:
                                    this one); exit 1 if there are any

The host's calls are its `SYSCALL(name, fn)` registrations (kernel/**/*.c),
the guest's the `case __NR_name:` labels of its dispatcher
(uml-guest/syscall.c).  A call on one side only is a failure, named.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suitelib import ROOT, check  # noqa: E402

# The calls of the host's own altmm ABI (docs/06): address spaces as
# objects and the switch into them.  The guest is built on them (it is an
# altmm program of the host) but does not offer them to its processes:
# its processes' address spaces are its own page tables, not host objects
# they could be handed, so the guest must not have these, and the host
# has them without the guest being behind.
GUEST_MUST_NOT_HAVE = {
    "mm_batch": "altmm: edits of a host address space object",
    "mm_mmap": "altmm: maps into a host address space object",
    "mm_mprotect": "altmm: protects in a host address space object",
    "mm_munmap": "altmm: unmaps from a host address space object",
    "sigaltmm": "altmm: switches to a host address space object",
}


def host_calls(tree):
    """The names the host kernel registers with SYSCALL(name, fn)."""
    names = set()
    for top, _, files in os.walk(os.path.join(tree, "kernel")):
        for f in files:
            if f.endswith(".c"):
                with open(os.path.join(top, f)) as src:
                    names.update(re.findall(r"^\s*SYSCALL\(\s*(\w+)\s*,", src.read(), re.M))
    return names


def guest_calls(tree):
    """The names the guest's dispatcher has a case for."""
    with open(os.path.join(tree, "uml-guest", "syscall.c")) as src:
        return set(re.findall(r"\bcase\s+__NR_(\w+)\s*:", src.read()))


def differences(tree):
    """One line per difference, sorted: what is wrong, naming the call."""
    host, guest = host_calls(tree), guest_calls(tree)
    problems = []
    for name in sorted(host - guest - set(GUEST_MUST_NOT_HAVE)):
        problems.append("the host has %s, the guest lacks it" % name)
    for name in sorted(guest - host):
        problems.append("the guest has %s, the host lacks it" % name)
    for name in sorted(guest & set(GUEST_MUST_NOT_HAVE)):
        problems.append("the guest offers %s, which it must not (%s)"
                        % (name, GUEST_MUST_NOT_HAVE[name]))
    for name in sorted(set(GUEST_MUST_NOT_HAVE) - host):
        problems.append("%s is on the must-not list but the host has no such call" % name)
    if not host or not guest:
        problems.append("no calls found (host %d, guest %d): the patterns no longer match"
                        % (len(host), len(guest)))
    return problems


@check("guest-syscalls")
def guest_syscalls():
    """The two dispatch tables agree, altmm's own calls aside."""
    problems = differences(ROOT)
    n = len(guest_calls(ROOT))
    return [("guest-syscalls: the guest has the host's %d system calls but altmm's %d" %
             (n, len(GUEST_MUST_NOT_HAVE)), not problems, "; ".join(problems), None)]


if __name__ == "__main__":
    found = differences(sys.argv[1] if len(sys.argv) > 1 else ROOT)
    for line in found:
        print(line)
    print("%d differences" % len(found))
    sys.exit(1 if found else 0)
