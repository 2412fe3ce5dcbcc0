#!/bin/sh
# Debug the kernel: QEMU stopped before the first instruction with its gdb
# stub on localhost:1234, and gdb attached with the kernel's symbols.
# Usage: tools/gdb.sh KERNEL [CMDLINE]
# The kernel's console stays on COM1, written to build/gdb-serial.log.
set -eu
kernel=$1
cmdline=${2:-}
port=1234
log=build/gdb-serial.log

qemu-system-i386 -m 128 -no-reboot -display none -serial "file:$log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$kernel" -append "exit=qemu $cmdline" -S -gdb "tcp:127.0.0.1:$port" &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT INT TERM

echo "QEMU is waiting for gdb on 127.0.0.1:$port (console output: $log)."
if command -v gdb >/dev/null 2>&1 && [ -t 0 ]; then
	# The kernel is linked at 0xC0100000 but starts with paging off at the
	# physical _start: break at kmain, which runs in the higher half.
	gdb -q "$kernel" -ex "target remote 127.0.0.1:$port" -ex "break kmain" -ex "continue"
else
	echo "Attach from another terminal with:"
	echo "  gdb -q $kernel -ex 'target remote 127.0.0.1:$port' -ex 'break kmain' -ex continue"
	echo "Press Enter to stop QEMU."
	read -r _ || true
fi
