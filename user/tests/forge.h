/*
 * forge.h: what the sig_forge_* tests share.
 *
 * A forgery: raise SIGUSR1; its handler (a plain one, returning through
 * sigreturn, or an SA_SIGINFO one, returning through rt_sigreturn) hands
 * the sigcontext in its frame to the test's forge_edit(), which changes
 * what it likes; the handler returns and the kernel takes the frame back.
 *
 *   forge_install(rt)          SIGUSR1's handler: plain (rt 0) or rt (1)
 *   forge_raise(&r)            the forgery; r: the selectors and eflags
 *                              right after the return (see below)
 *   check_ring3()              still ring 3 with IOPL 0: cs is the user
 *                              code segment, eflags has IF and no IOPL, NT
 *                              or VM, and cli and inb each fault with the
 *                              #GP Linux reports (SIGSEGV, SI_KERNEL, trap
 *                              13, error code 0)
 *   lar_rights(sel)            the CPU's view of a selector from ring 3
 *                              (lar): its access rights, or -1 if ring 3
 *                              cannot see it
 */
#ifndef FORGE_H
#define FORGE_H

#include "sigcheck.h"
#include <stdint.h>

#define FIX_EFLAGS SIGRETURN_EFLAGS     /* what sigreturn takes from a frame (Linux's) */

/*
 * forge_raise(out): tgkill(getpid(), gettid(), SIGUSR1), then, before
 * anything else, push eflags and every segment register (ds may be null
 * now: memory is touched through the stack segment only), then reload ds
 * and es from ss, clear DF and store the pushed words in *out.  Last,
 * eflags are restored without DF, TF and AC, which a forgery may have set.
 */
struct forge_regs { uint32_t ss, cs, gs, fs, es, ds, eflags; };
void forge_raise_at(struct forge_regs *out, int pid, int tid);
extern const char forge_return[];       /* where the return from the handler lands */
__asm__(".text\n"
	"forge_raise_at:\n"
	"	pushl %ebx\n"
	"	movl 12(%esp), %ebx\n	movl 16(%esp), %ecx\n	movl $10, %edx\n"
	"	movl $270, %eax\n"                      /* tgkill */
	"	int $0x80\n"
	"forge_return:\n"
	"	pushfl\n	pushl %ds\n	pushl %es\n	pushl %fs\n	pushl %gs\n	pushl %cs\n	pushl %ss\n"
	"	movl %ss, %eax\n	movl %eax, %ds\n	movl %eax, %es\n	cld\n"
	"	movl 36(%esp), %ebx\n"
	"	popl 0(%ebx)\n	popl 4(%ebx)\n	popl 8(%ebx)\n	popl 12(%ebx)\n"
	"	popl 16(%ebx)\n	popl 20(%ebx)\n	popl 24(%ebx)\n"
	"	pushl 24(%ebx)\n	andl $~0x40500, (%esp)\n	popfl\n"
	"	popl %ebx\n"
	"	ret\n");

static inline void forge_raise(struct forge_regs *out)
{
	forge_raise_at(out, getpid(), gettid());
	out->ss &= 0xffff; out->cs &= 0xffff; out->gs &= 0xffff;
	out->fs &= 0xffff; out->es &= 0xffff; out->ds &= 0xffff;
}

static void forge_edit(struct sigcontext *sc);  /* the test's */
static volatile int forge_calls;

static void forge_rt(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	forge_calls++;
	forge_edit(&((ucontext_t *)ucv)->uc_mcontext);
}

static void forge_plain(int sig)
{
	/* The frame starts at our return address (sig_frame.c explains the asm). */
	struct sigframe *f = (struct sigframe *)((char *)__builtin_frame_address(0) + 4);
	__asm__("" : "+r"(f));
	(void)sig;
	forge_calls++;
	forge_edit(&f->sc);
}

static inline void forge_install(int rt)
{
	if (rt)
		catch_info(SIGUSR1, forge_rt, 0);
	else
		catch_plain(SIGUSR1, forge_plain, 0);
}

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

#endif
