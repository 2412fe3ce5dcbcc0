#!/usr/bin/env python3
"""Take one file out of a Debian i386 package, without installing it.

    tools/i386pkg.py PACKAGE MEMBER DEST [MEMBER DEST]...

Downloads PACKAGE:i386 with `apt-get download` (adding the i386
architecture to dpkg and running `apt-get update` first if apt does not know
the package yet), unpacks it with `dpkg-deb -x` in a scratch directory, and
copies MEMBER (a path inside the package, e.g. bin/busybox; a glob is
allowed) to DEST, and each further MEMBER to its DEST from the same
download.  Does nothing if every DEST exists.  Used for Debian's i386
Linux kernel (the oracle) and busybox-static (a real program for the
tests); this machine cannot run them, QEMU can.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def log(msg):
    print("i386pkg: %s" % msg, file=sys.stderr, flush=True)


def apt_knows(package):
    out = subprocess.run(["apt-cache", "show", package + ":i386"],
                         capture_output=True, text=True)
    return out.returncode == 0 and "Package:" in out.stdout


def ensure_known(package):
    """Make apt know PACKAGE:i386: add the architecture and update if needed."""
    if apt_knows(package):
        return
    archs = subprocess.run(["dpkg", "--print-foreign-architectures"],
                           capture_output=True, text=True).stdout.split()
    if "i386" not in archs:
        log("adding the i386 architecture to dpkg")
        subprocess.run(["dpkg", "--add-architecture", "i386"], check=True)
    log("apt-get update")
    # It may report an error for one index (a mirror mid-sync) and still work.
    subprocess.run(["apt-get", "update"], stdout=subprocess.DEVNULL)
    if not apt_knows(package):
        sys.exit("i386pkg: apt knows no package %s:i386" % package)


def fetch(package, member, dest, *more):
    """Copy MEMBER of PACKAGE:i386 to DEST (and each further member, dest
    pair of MORE); returns DEST."""
    pairs = [(member, dest)] + list(zip(more[0::2], more[1::2]))
    pairs = [(m, d) for m, d in pairs if not os.path.exists(d)]
    if not pairs:
        return dest
    ensure_known(package)
    with tempfile.TemporaryDirectory() as tmp:
        log("downloading %s:i386" % package)
        # apt's sandbox user cannot write to a root-only temp dir; allow it.
        os.chmod(tmp, 0o755)
        subprocess.run(["apt-get", "download", package + ":i386"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        debs = glob.glob(os.path.join(tmp, "*.deb"))
        if len(debs) != 1:
            sys.exit("i386pkg: expected one .deb for %s, got %s" % (package, debs))
        extract = os.path.join(tmp, "x")
        subprocess.run(["dpkg-deb", "-x", debs[0], extract], check=True)
        for member, dest in pairs:
            found = sorted(glob.glob(os.path.join(extract, member)))
            if not found:
                sys.exit("i386pkg: %s has no %s" % (package, member))
            os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
            # A symbolic link in the package: its target's bytes.
            shutil.copyfile(os.path.realpath(found[-1]), dest + ".tmp")
            os.chmod(dest + ".tmp", 0o755)
            os.replace(dest + ".tmp", dest)
            log("%s ready (from %s:i386)" % (dest, package))
    return dest


if __name__ == "__main__":
    if len(sys.argv) < 4 or len(sys.argv) % 2:
        sys.exit(__doc__)
    fetch(*sys.argv[1:])
