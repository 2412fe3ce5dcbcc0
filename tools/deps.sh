#!/bin/sh
# tools/deps.sh -- make sure the Debian packages this project needs are here.
#
# usage: sh tools/deps.sh [--check]
#
# Checks each package with dpkg-query.  If some are missing: as root runs
# apt-get update + apt-get install; otherwise uses `sudo -n` if that works;
# otherwise prints the sudo command to run and exits 1.  --check only reports
# (exit 1 if anything is missing).  Says nothing when all is present.
#
# Not gcc-multilib: on Debian 12 it conflicts with gcc-i686-linux-gnu.
# The cross compiler packages are skipped when i686-elf-gcc is on PATH.
set -eu

check_only=0
case "${1-}" in
    --check) check_only=1 ;;
    "") ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# gcc and libc6-dev: kernel/mm built as a host program (make test-host);
# Debian 12's gcc brings AddressSanitizer and UBSan (libasan8, libubsan1).
pkgs="make python3 gcc libc6-dev qemu-system-x86 grub-pc-bin grub-common xorriso mtools
      bochs bochsbios bochs-term vgabios"
if ! command -v i686-elf-gcc >/dev/null 2>&1; then
    pkgs="gcc-i686-linux-gnu binutils-i686-linux-gnu $pkgs"
fi
# glibc for i386, for the example program built the ordinary way (user/glibc/).
if command -v i686-linux-gnu-gcc >/dev/null 2>&1 || ! command -v i686-elf-gcc >/dev/null 2>&1; then
    pkgs="libc6-dev-i386-cross $pkgs"
fi

missing=
for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "deps: missing packages:$missing"
[ "$check_only" = 1 ] && exit 1

install() {
    # apt-get update exits 100 when one index (e.g. a mirror mid-sync) fails,
    # even though the rest are fine: carry on and let the install decide.
    "$@" apt-get update ||
        echo "deps: apt-get update reported errors; installing anyway" >&2
    "$@" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends $missing
}

if [ "$(id -u)" = 0 ]; then
    install
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    install sudo -n
else
    echo "deps: run:  sudo apt-get install$missing" >&2
    exit 1
fi
