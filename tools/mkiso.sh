#!/bin/sh
# tools/mkiso.sh -- build a small GRUB (i386-pc, BIOS) rescue ISO that boots
# a multiboot v1 kernel, for QEMU (-cdrom) and Bochs.
#
# usage: tools/mkiso.sh KERNEL OUT.iso [CMDLINE] [MODULE...]
#
# The ISO holds /boot/kernel.elf, each MODULE as /boot/<basename>, and a
# grub.cfg with no menu delay, GRUB's console on both screen and COM1 (so
# GRUB's own output goes to the serial log too, before the kernel's), and one
# entry "altmm kernel":  multiboot /boot/kernel.elf CMDLINE
#                        module /boot/<basename> <basename>   (per MODULE)
# Only the GRUB modules this needs are installed, so the ISO is about 0.3 MB
# plus the kernel instead of ~10 MB.  If GRUB cannot boot the kernel it says
# so on COM1 and ends QEMU or Bochs itself, so a test fails in seconds.
# Prints nothing on success; on failure prints grub-mkrescue's messages and
# exits non-zero.
set -eu

usage() { echo "usage: $0 KERNEL OUT.iso [CMDLINE] [MODULE...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
kernel=$1; out=$2; shift 2
cmdline=${1-}; [ $# -gt 0 ] && shift

grubdir=/usr/lib/grub/i386-pc
[ -f "$kernel" ] || { echo "$0: no kernel file: $kernel" >&2; exit 1; }
[ -d "$grubdir" ] || { echo "$0: $grubdir missing (install grub-pc-bin)" >&2; exit 1; }
for m in "$@"; do
    [ -f "$m" ] || { echo "$0: no module file: $m" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkiso.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
mkdir -p "$tmp/iso/boot/grub"
cp "$kernel" "$tmp/iso/boot/kernel.elf"

{
    echo 'set timeout=0'
    echo 'set default=0'
    echo 'serial --unit=0 --speed=115200'
    echo 'terminal_input serial console'
    echo 'terminal_output serial console'
    echo 'menuentry "altmm kernel" {'
    echo "    multiboot /boot/kernel.elf $cmdline"
    for m in "$@"; do
        b=$(basename "$m")
        cp "$m" "$tmp/iso/boot/$b"
        echo "    module /boot/$b $b"
    done
    echo '    boot'
    # Only reached when GRUB could not load or start the kernel: say so and
    # end the emulator at once (QEMU isa-debug-exit: status 255; Bochs: the
    # "Shutdown" port) instead of waiting at GRUB's menu for a key.
    echo '    echo "mkiso: GRUB could not boot the kernel"'
    echo '    outb 0xf4 0x7f'
    for c in 0x53 0x68 0x75 0x74 0x64 0x6f 0x77 0x6e; do
        echo "    outb 0x8900 $c"
    done
    echo '}'
} > "$tmp/iso/boot/grub/grub.cfg"

# grub-mkrescue (and the xorriso it runs) chatter on stderr even on success:
# keep it for the failure case only.  -no-pad (to xorriso) drops 300 KB of
# padding that only old CD drives needed.
if ! grub-mkrescue -d "$grubdir" -o "$out" \
        --install-modules="normal multiboot serial terminal echo iorw iso9660 biosdisk" \
        --locales= --fonts= --themes= --compress=xz \
        "$tmp/iso" -no-pad >"$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    echo "$0: grub-mkrescue failed" >&2
    rm -f "$out"
    exit 1
fi
