#!/usr/bin/env python3
"""Where the instructions of one kernel path go: a single-step profile.

Boots the kernel under QEMU with its gdb stub, lets it run to the Nth time
the kernel function START is entered (optionally only when the 32-bit
argument of that call points at a trap frame whose eax is EAX, or whose
eip is in the function EIP of the program), then
single-steps until START is entered again so, and prints how many
instructions each function took, kernel and user, in the order first met.

User addresses are named from two ELF files: the program whose address
space START was entered from (--prog), and any other (--other, e.g. the
guest kernel uml): which one is told apart by CR3.

    tools/stepprof.py --init '/bin/uml -- /bin/bench' \\
        --start altmm_foreign_syscall --eax 64 \\
        --prog build/user/bin/bench --other build/user/bin/uml

It is slow (one gdb round trip per instruction): keep the path short.
"""
import argparse
import bisect
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

EAXOFF = 28  # offsetof(struct trapframe, eax): <kernel/trap.h>
EIPOFF = 56  # offsetof(struct trapframe, eip)

GDB_SCRIPT = r'''
import gdb, json
out = open(OUT, "w")
gdb.execute("set pagination off")
gdb.execute("target remote 127.0.0.1:%d" % PORT)
gdb.execute("break *%#x" % START)
def reg(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xffffffff
def frame_word(off):
    esp = reg("esp")
    inf = gdb.selected_inferior()
    tf = int.from_bytes(inf.read_memory(esp + 4, 4).tobytes(), "little")
    return int.from_bytes(inf.read_memory(tf + off, 4).tobytes(), "little")
def wanted():
    return ((EAX is None or frame_word(EAXOFF) == EAX) and
            (EIP is None or EIP[0] <= frame_word(EIPOFF) < EIP[1]))
hits = 0
while True:
    gdb.execute("continue", to_string=True)
    if wanted():
        hits += 1
        if hits >= SKIP:
            break
gdb.execute("delete")
home = reg("cr3")
out.write("cr3 %x\n" % home)
ends = 0
for _ in range(LIMIT):
    pc = reg("eip")
    out.write("%x %x\n" % (pc, reg("cr3")))
    gdb.execute("stepi", to_string=True)
    if reg("eip") == START and wanted():
        break
out.close()
gdb.execute("kill")
'''


def symbols(elf):
    """Sorted (address, name) of the functions in elf."""
    nm = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def namer(syms):
    addrs = [a for a, _ in syms]

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?%x" % pc
    return name


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--init", required=True, help="init= and its arguments")
    ap.add_argument("--start", required=True, help="kernel function that starts and ends the path")
    ap.add_argument("--eax", type=int, help="only calls whose trap frame (argument 1) has this eax")
    ap.add_argument("--eip", help="only calls whose trap frame's eip is in this function of --prog")
    ap.add_argument("--skip", type=int, default=3, help="profile after this many matching calls")
    ap.add_argument("--prog", required=True, help="ELF of the program START is entered from")
    ap.add_argument("--other", help="ELF of the program in any other address space")
    ap.add_argument("--limit", type=int, default=20000)
    ap.add_argument("--port", type=int, default=1236)
    args = ap.parse_args()
    if not shutil.which("gdb"):
        sys.exit("stepprof: needs gdb (sudo apt-get install gdb)")

    kname = namer(symbols(harness.KERNEL))
    eip = None
    if args.eip:
        psyms = symbols(args.prog)
        i = [n for _, n in psyms].index(args.eip)
        eip = (psyms[i][0], psyms[i + 1][0])
    kstart = dict((n, a) for a, n in symbols(harness.KERNEL))[args.start]
    initrd = os.path.join(harness.ROOT, "build", "stepprof.cpio")
    subprocess.run([sys.executable, os.path.join(harness.ROOT, "tools", "mkinitrd.py"),
                    "-o", initrd, "--standard"], check=True)
    init, _, rest = args.init.partition(" -- ")
    cmdline = "exit=qemu init=" + init + ((" -- " + rest) if rest else "")
    cmd = harness.qemu_command(cmdline, initrd=initrd,
                               extra=["-S", "-gdb", "tcp:127.0.0.1:%d" % args.port])
    qemu = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace")
        script = os.path.join(tmp, "prof.py")
        with open(script, "w") as f:
            f.write("OUT=%r\nPORT=%d\nSTART=%d\nEAX=%r\nEIP=%r\nSKIP=%d\nLIMIT=%d\n"
                    "EAXOFF=%d\nEIPOFF=%d\n" % (trace, args.port, kstart, args.eax, eip, args.skip,
                                               args.limit, EAXOFF, EIPOFF))
            f.write(GDB_SCRIPT)
        subprocess.run(["gdb", "-q", "-batch", "-x", script], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=600)
        qemu.kill()
        lines = open(trace).read().split("\n")
    home = int(lines[0].split()[1], 16)
    pname = namer(symbols(args.prog))
    oname = namer(symbols(args.other)) if args.other else (lambda pc: "?%x" % pc)
    counts, order, total = {}, [], 0
    for line in lines[1:]:
        if not line:
            continue
        pc, cr3 = (int(x, 16) for x in line.split())
        if pc >= 0xC0000000:
            key = "kernel " + kname(pc)
        elif cr3 == home:
            key = os.path.basename(args.prog) + " " + pname(pc)
        else:
            key = os.path.basename(args.other or "other") + " " + oname(pc)
        if key not in counts:
            counts[key] = 0
            order.append(key)
        counts[key] += 1
        total += 1
    for key in order:
        print("%6d  %s" % (counts[key], key))
    print("%6d  total" % total)


if __name__ == "__main__":
    main()
