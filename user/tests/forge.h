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
 *
 * ring3.h has the checks that the process is still where it belongs.
 */
#ifndef FORGE_H
#define FORGE_H

#include "ring3.h"

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

#endif
