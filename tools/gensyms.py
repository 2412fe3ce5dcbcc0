#!/usr/bin/env python3
"""Generate the kernel's symbol table (the .ksyms section) as assembly.

Usage: gensyms.py [NM_OUTPUT]   (no argument: an empty table, for the first link)

Reads `nm -n` output of the first link, keeps the text symbols (functions),
and writes, to standard output, the arrays kernel/ksyms.c searches:
ksyms_count, ksyms_addrs (ascending), ksyms_name_offsets, ksyms_names.
"""
import sys


def text_symbols(lines):
    """(address, name) of every text symbol, ascending, one name per address."""
    seen = {}
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or parts[1] not in ("T", "t"):
            continue
        addr, name = int(parts[0], 16), parts[2]
        # Prefer a real function name over local labels at the same address.
        if addr not in seen or (seen[addr].startswith(".") and not name.startswith(".")):
            seen[addr] = name
    return sorted(seen.items())


def main():
    syms = []
    if len(sys.argv) > 1:
        with open(sys.argv[1]) as f:
            syms = text_symbols(f)
    out = ['\t.section .ksyms, "a"', "\t.align 4",
           "\t.global ksyms_count, ksyms_addrs, ksyms_name_offsets, ksyms_names",
           "ksyms_count:", "\t.long %d" % len(syms), "ksyms_addrs:"]
    out += ["\t.long 0x%08x" % a for a, _ in syms]
    out.append("ksyms_name_offsets:")
    offset = 0
    for _, name in syms:
        out.append("\t.long %d" % offset)
        offset += len(name) + 1
    out.append("ksyms_names:")
    out += ['\t.asciz "%s"' % name for _, name in syms]
    if not syms:
        out.append("\t.byte 0")
    print("\n".join(out))


if __name__ == "__main__":
    main()
