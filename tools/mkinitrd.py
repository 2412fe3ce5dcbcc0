#!/usr/bin/env python3
"""Write a cpio "newc" archive: the initrd format of Linux's initramfs and
of our kernel.

    tools/mkinitrd.py -o OUT [--dir PATH]... [--dev PATH:c:MAJOR:MINOR:MODE]...
                      [ARCHIVE-PATH=HOST-FILE]...

ARCHIVE-PATH=HOST-FILE puts a copy of HOST-FILE at ARCHIVE-PATH (mode 0755
if the host file is executable, else 0644).  --standard adds the root file
system the kernel boots with (what `make` puts in build/initrd.cpio): the
programs in /bin (ours, and busybox and the glibc example when built),
Debian's glibc and dynamically linked programs (build/i386/root/, fetched
by make) at their Debian paths, the
tests in /tests, /etc/motd, /etc/passwd, /etc/group, the device nodes, and empty
/tmp (mode 1777), /root (0700) and /proc;
files given explicitly take the place of standard ones of the same name.  Parent directories are created
implicitly (mode 0755).  --dir adds an empty directory, --dev a device node
('c' character or 'b' block; MODE in octal, e.g. 600).

The newc format: every entry is a 110-byte ASCII header ("070701" and
thirteen 8-digit hex fields), the NUL-terminated name, padding to a multiple
of 4 bytes, the file data, padding to a multiple of 4 again.  The archive
ends with an entry named "TRAILER!!!".  Entries here have uid/gid 0 and
mtime 0, so the same inputs always give the same bytes.

ELF programs built here (under build/) go in without their debug sections
(objcopy --strip-debug; symbols stay): the debug information is most of
their size, a 13 MB initrd becomes 5 MB, and gdb reads it from the files
in build/ anyway.  Other host files go in byte for byte.
"""
import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile

S_IFDIR, S_IFREG, S_IFCHR, S_IFBLK = 0o040000, 0o100000, 0o020000, 0o060000


def pad4(n):
    return (4 - n % 4) % 4


class Archive:
    def __init__(self):
        self.out = bytearray()
        self.ino = 0
        self.seen = {}          # archive path -> kind ('dir' or 'file'), for implicit dirs

    def entry(self, name, mode, data=b"", nlink=1, rdev=(0, 0)):
        self.ino += 1
        namebytes = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(namebytes), 0]
        header = b"070701" + b"".join(b"%08X" % f for f in fields)
        assert len(header) == 110
        self.out += header + namebytes + b"\0" * pad4(len(header) + len(namebytes))
        self.out += data + b"\0" * pad4(len(data))

    def parents(self, path):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            self.directory("/".join(parts[:i]))

    def directory(self, path, mode=0o755):
        path = clean(path)
        if not path or path == ".":
            return
        if self.seen.get(path) == "dir":
            return
        if path in self.seen:
            sys.exit(f"mkinitrd: {path} is both a file and a directory")
        self.parents(path)
        self.seen[path] = "dir"
        self.entry(path, S_IFDIR | mode, nlink=2)

    def file(self, path, data, mode):
        path = clean(path)
        if path in self.seen:
            sys.exit(f"mkinitrd: {path} given twice")
        self.parents(path)
        self.seen[path] = "file"
        self.entry(path, S_IFREG | mode, data)

    def device(self, path, kind, major, minor, mode):
        path = clean(path)
        self.parents(path)
        self.seen[path] = "dev"
        self.entry(path, (S_IFCHR if kind == "c" else S_IFBLK) | mode, rdev=(major, minor))

    def finish(self):
        self.entry("TRAILER!!!", 0, nlink=1)
        return bytes(self.out)


def clean(path):
    """Archive names are relative: "/bin/sh" and "bin/sh" are both "bin/sh"."""
    return os.path.normpath(path.strip("/")) if path.strip("/") else ""


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
STANDARD_DEVS = ["dev/console:c:5:1:600", "dev/tty:c:5:0:666",
                 "dev/null:c:1:3:666", "dev/zero:c:1:5:666"]


def standard_files():
    """(archive path, host file) of the standard root file system."""
    files = [("etc/%s" % n, os.path.join(ROOT, "user", "etc", n)) for n in ("motd", "passwd", "group")]
    for where, host_dir in (("bin", "user/bin"), ("bin", "user/glibc"), ("tests", "user/tests")):
        d = os.path.join(BUILD, host_dir)
        if os.path.isdir(d):
            files += [("%s/%s" % (where, n), os.path.join(d, n)) for n in sorted(os.listdir(d))]
    busybox = os.path.join(BUILD, "i386", "busybox")
    if os.path.exists(busybox):
        files.append(("bin/busybox", busybox))
    # Debian's dynamically linked programs and glibc, at their own paths.
    debian = os.path.join(BUILD, "i386", "root")
    for top, dirs, names in sorted(os.walk(debian)):
        dirs.sort()
        for n in sorted(names):
            host = os.path.join(top, n)
            files.append((os.path.relpath(host, debian), host))
    return files


def objcopy():
    for tool in ("i686-elf-objcopy", "i686-linux-gnu-objcopy", "objcopy"):
        if shutil.which(tool):
            return tool
    return None


def contents(host):
    """The bytes that go into the archive for HOST (see the module doc)."""
    with open(host, "rb") as f:
        data = f.read()
    inside_build = os.path.abspath(host).startswith(BUILD + os.sep)
    tool = objcopy()
    if not (inside_build and data[:4] == b"\x7fELF" and b".debug_info" in data and tool):
        return data
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "stripped")
        subprocess.run([tool, "--strip-debug", host, out], check=True)
        with open(out, "rb") as f:
            return f.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", required=True, help="archive to write")
    ap.add_argument("--dir", action="append", default=[], metavar="PATH")
    ap.add_argument("--dev", action="append", default=[], metavar="PATH:c:MAJOR:MINOR:MODE")
    ap.add_argument("--standard", action="store_true", help="the standard root file system")
    ap.add_argument("files", nargs="*", metavar="ARCHIVE-PATH=HOST-FILE")
    args = ap.parse_args()

    if args.standard:
        args.dir += ["tmp", "proc", "root"]
        args.dev += STANDARD_DEVS
        given = {clean(spec.split("=", 1)[0]) for spec in args.files}
        args.files += ["%s=%s" % (path, host) for path, host in standard_files()
                       if path not in given]

    a = Archive()
    # /tmp is for everyone, sticky, and /root root's own, as on Linux systems.
    special = {"tmp": 0o1777, "root": 0o700} if args.standard else {}
    for d in args.dir:
        a.directory(d, special.get(clean(d), 0o755))
    for spec in args.dev:
        try:
            path, kind, major, minor, mode = spec.rsplit(":", 4)
            if kind not in ("c", "b"):
                raise ValueError
            a.device(path, kind, int(major), int(minor), int(mode, 8))
        except ValueError:
            sys.exit(f"mkinitrd: bad --dev {spec!r} (want PATH:c:MAJOR:MINOR:MODE)")
    for spec in args.files:
        if "=" not in spec:
            sys.exit(f"mkinitrd: bad argument {spec!r} (want ARCHIVE-PATH=HOST-FILE)")
        path, host = spec.split("=", 1)
        data = contents(host)
        mode = 0o755 if os.stat(host).st_mode & stat.S_IXUSR else 0o644
        a.file(path, data, mode)

    tmp = "%s.tmp.%d" % (args.output, os.getpid())     # two writers never share one
    with open(tmp, "wb") as f:
        f.write(a.finish())
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
