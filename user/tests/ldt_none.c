/*
 * No LDT: a program that never asked for one (and this kernel has no
 * modify_ldt) has none, so every selector with the table bit set faults,
 * as on Linux.  A CPU that was never told otherwise still has the LDT it
 * came out of reset with: base 0, limit 0xffff, which is user memory.  A
 * program could then write descriptors of its choosing there, a call gate
 * into ring 0 among them.
 *
 * So the test builds exactly that, in a page at 0xf000 (inside the first
 * 64 KiB the reset LDT would cover): a flat DPL 3 data segment (index
 * 0x1e00) and a DPL 3 call gate to the kernel's code segment (index
 * 0x1e01) whose target is a payload that would run in ring 0 (it only
 * notes that it did and returns).  Each must fault with SIGSEGV, trap 13,
 * si_code SI_KERNEL:
 *   - loading the data selector into %fs;
 *   - a far call through the gate;
 *   - lar on either selector says "not valid" (no fault: ZF clear).
 */
#include "sigcheck.h"
#include <stdint.h>
#include <sys/mman.h>

#define PAGE_AT  0xf000u
#define DATA_SEL (0x1e00u << 3 | 4 | 3)
#define GATE_SEL (0x1e01u << 3 | 4 | 3)

/* The payload's return: lret (a far return, back to ring 3).  It stores
 * %cs in ebx so that a caller that got here can say where it ran. */
void ring0_payload(void);
__asm__(".text\n"
	"ring0_payload:\n"
	"	movl %cs, %ebx\n"
	"	lret\n");

static void segv(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	(void)sig;
	/* exit 100 when the fault is the #GP Linux gives, 98 otherwise */
	_exit(sc->trapno == 13 && si->si_code == SI_KERNEL ? 100 : 98);
}

static int load_fs(void *arg)
{
	(void)arg;
	catch_info(SIGSEGV, segv, 0);
	__asm__ volatile("movw %w0, %%fs" : : "r"(DATA_SEL));
	return 99;      /* it loaded: the LDT is the page we wrote */
}

static int call_gate(void *arg)
{
	(void)arg;
	catch_info(SIGSEGV, segv, 0);
	uint32_t where = 0;
	struct { uint32_t off; uint16_t sel; } __attribute__((packed)) target = { 0, GATE_SEL };
	__asm__ volatile("lcall *%1" : "+b"(where) : "m"(target) : "memory");
	printf("the call gate ran the payload with cs %#x\n", where);
	return 99;
}

/* lar sel: the access rights if the descriptor is visible, else -1. */
static long lar(uint32_t sel)
{
	uint32_t rights;
	uint8_t ok;
	__asm__ volatile("larl %2, %0; setz %1" : "=r"(rights), "=q"(ok) : "r"(sel) : "cc");
	return ok ? (long)rights : -1;
}

int main(void)
{
	uint16_t cs;
	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	uint32_t kernel_cs = (cs & ~3u) - 0x10;         /* Linux's and ours sit there */

	uint32_t *page = mmap((void *)PAGE_AT, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ((uintptr_t)page, PAGE_AT);
	/* A flat, present, DPL 3, writable data segment. */
	page[0] = 0x0000ffff;
	page[1] = 0x00cff200;
	/* A present DPL 3 32-bit call gate to kernel_cs:ring0_payload. */
	uint32_t target = (uint32_t)ring0_payload;
	page[2] = kernel_cs << 16 | (target & 0xffff);
	page[3] = (target & 0xffff0000) | 0xec00;

	CHECK_EQ(lar(DATA_SEL), -1);
	CHECK_EQ(lar(GATE_SEL), -1);
	CHECK_EQ(run_child(load_fs, NULL), 100 << 8);
	CHECK_EQ(run_child(call_gate, NULL), 100 << 8);
	return 0;
}
