/*
 * ring3.h: is a process still where a program belongs, and what may it
 * hold?  For the tests that forge frames (sig_forge_*, altmm_forge).
 *
 *   check_ring3()              still ring 3 with IOPL 0: cs has RPL 3,
 *                              eflags has IF and no IOPL, NT or VM, and cli
 *                              and inb each fault with the #GP Linux
 *                              reports (SIGSEGV, SI_KERNEL, si_addr 0,
 *                              trap 13, error code 0)
 *   lar_rights(sel)            the CPU's view of a selector from ring 3
 *                              (lar): its access rights, or -1 if ring 3
 *                              cannot see it
 *   cs_usable, ss_usable       can a return to ring 3 use sel | 3 as its
 *                              code / stack segment?
 *   data_after(v, seen)        what a data segment register forged to v
 *                              holds after the return to ring 3: v if ring
 *                              3 may load it, else 0; for the null selector
 *                              with RPL 1-3 either (seen says which: the
 *                              CPU decides, QEMU keeps it in fs and gs)
 */
#ifndef RING3_H
#define RING3_H

#include "sigcheck.h"
#include <stdint.h>

#define FIX_EFLAGS SIGRETURN_EFLAGS     /* what sigreturn takes from a frame (Linux's) */

static inline uint16_t user_cs(void)
{
	uint16_t cs;
	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	return cs;
}

static inline uint16_t user_ss(void)
{
	uint16_t ss;
	__asm__ volatile("movw %%ss, %0" : "=r"(ss));
	return ss;
}

static inline uint32_t read_eflags(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline long lar_rights(uint32_t sel)
{
	uint32_t rights;
	uint8_t ok;
	__asm__ volatile("larl %2, %0; setz %1" : "=r"(rights), "=q"(ok) : "r"(sel) : "cc");
	return ok ? (long)(rights & 0x00f0ff00) : -1;
}

/* Access-rights bits (lar's word: the descriptor's bits 8-23). */
#define AR_TYPE_CODE    0x0800          /* code (else data) */
#define AR_TYPE_RW      0x0200          /* code: readable; data: writable */
#define AR_S            0x1000          /* code or data (not a system descriptor) */
#define AR_DPL3         0x6000
#define AR_P            0x8000

/* ---- still ring 3, IOPL 0 ---- */

static volatile int gp_count, gp_bad;

/* A #GP from cli or inb: note it, and step over the instruction. */
static void gp_handler(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	const uint8_t *ip = (const uint8_t *)sc->eip;
	(void)sig;
	if (sc->trapno != 13 || si->si_code != SI_KERNEL || sc->err != 0 || si->si_addr != NULL)
		gp_bad++;
	gp_count++;
	if (ip[0] == 0xfa)                      /* cli */
		sc->eip += 1;
	else if (ip[0] == 0xe4)                 /* inb $imm8, %al */
		sc->eip += 2;
	else
		_exit(97);                      /* a fault we did not expect */
}

static inline void check_ring3(void)
{
	uint16_t cs = user_cs();
	uint32_t fl = read_eflags();
	CHECK_EQ(cs & 3, 3);
	CHECK_EQ(fl & (X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM | X86_EFLAGS_IF), X86_EFLAGS_IF);
	struct sigaction old;
	struct sigaction sa = { .sa_sigaction = gp_handler, .sa_flags = SA_SIGINFO };
	CHECK_OK(sigaction(SIGSEGV, &sa, &old));
	gp_count = gp_bad = 0;
	__asm__ volatile("cli" ::: "memory");
	CHECK_EQ(gp_count, 1);
	__asm__ volatile("inb $0x80, %%al" ::: "eax", "memory");
	CHECK_EQ(gp_count, 2);
	CHECK_EQ(gp_bad, 0);
	CHECK_OK(sigaction(SIGSEGV, &old, NULL));
}


static inline int cs_usable(uint32_t sel)
{
	long ar = lar_rights(sel | 3);
	return ar >= 0 && (ar & (AR_S | AR_TYPE_CODE | AR_P)) == (AR_S | AR_TYPE_CODE | AR_P);
}

static inline int ss_usable(uint32_t sel)
{
	long ar = lar_rights(sel | 3);
	return ar >= 0 && (ar & (AR_S | AR_TYPE_CODE | AR_TYPE_RW | AR_P | AR_DPL3)) ==
	       (AR_S | AR_TYPE_RW | AR_P | AR_DPL3);
}

static inline int data_usable(uint32_t sel)
{
	long ar = lar_rights(sel);
	return ar >= 0 && (ar & (AR_S | AR_P)) == (AR_S | AR_P) &&
	       (!(ar & AR_TYPE_CODE) || (ar & AR_TYPE_RW));
}

static inline uint32_t data_after(uint32_t v, uint32_t seen)
{
	if ((v & 0xfffc) == 0 && (v & 3))
		return seen == v ? v : 0;
	return data_usable(v) ? v : 0;
}

#endif
