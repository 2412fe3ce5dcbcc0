/*
 * A stack segment that stops being usable while a program runs on it: %ss
 * names a TLS slot (a flat writable one, which ring 3 may load into %ss),
 * and the program empties that slot with set_thread_area.  The return to
 * user mode must then fail as Linux's does, with SIGILL, si_code
 * ILL_BADSTK, trap 32, the frame showing %ss as it was: the iret that
 * would load it faults in the kernel.  A kernel that does not expect that
 * fault panics: any program could bring it down (tls_reload.c is the same
 * for %gs, which the return path loads with a pop instead).
 */
#include "sigcheck.h"
#include <uapi/ldt.h>
#include <uapi/unistd.h>

#define TLS_SEL (GDT_ENTRY_TLS_MIN << 3 | 3)

static uint16_t user_ss;
static volatile int ill_count;
static volatile uint32_t ill_ss, ill_trapno, ill_err, ill_eax;
static volatile int ill_code;

static void badstk(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	(void)sig;
	ill_count++;
	ill_code = si->si_code;
	ill_ss = sc->ss;
	ill_trapno = sc->trapno;
	ill_err = sc->err;
	ill_eax = sc->eax;
	sc->ss = user_ss;               /* repaired: back on the ordinary stack segment */
}

/* set_thread_area(d) made with %ss = sel, restored afterwards. */
static long set_with_ss(struct user_desc *d, uint16_t sel)
{
	long r;
	__asm__ volatile(
		"movw %%ss, %%cx\n	pushl %%ecx\n"
		"movw %w3, %%ss\n"
		"int $0x80\n"
		"popl %%ecx\n	movw %%cx, %%ss\n"
		: "=a"(r) : "a"(__NR_set_thread_area), "b"(d), "r"(sel) : "ecx", "memory");
	return r;
}

static int handled(void *arg)
{
	(void)arg;
	catch_info(SIGILL, badstk, 0);
	struct user_desc flat = { GDT_ENTRY_TLS_MIN, 0, 0xfffff, UD_SEG_32BIT | UD_LIMIT_IN_PAGES };
	CHECK_EQ(raw_syscall6(__NR_set_thread_area, (long)&flat, 0, 0, 0, 0, 0), 0);
	/* The slot works as a stack segment. */
	struct user_desc same = flat;
	CHECK_EQ(set_with_ss(&same, TLS_SEL), 0);
	CHECK_EQ(ill_count, 0);
	/* Now empty it while %ss names it. */
	struct user_desc empty = { GDT_ENTRY_TLS_MIN, 0, 0, UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT };
	CHECK_EQ(set_with_ss(&empty, TLS_SEL), 0);
	CHECK_EQ(ill_count, 1);
	CHECK_EQ(ill_code, ILL_BADSTK);
	CHECK_EQ(ill_trapno, 32);
	CHECK_EQ(ill_err, 0);
	CHECK_EQ(ill_ss, TLS_SEL);
	CHECK_EQ(ill_eax, 0);                   /* the call itself worked */
	return 0;
}

static int unhandled(void *arg)
{
	(void)arg;
	struct user_desc flat = { GDT_ENTRY_TLS_MIN, 0, 0xfffff, UD_SEG_32BIT | UD_LIMIT_IN_PAGES };
	CHECK_EQ(raw_syscall6(__NR_set_thread_area, (long)&flat, 0, 0, 0, 0, 0), 0);
	struct user_desc empty = { GDT_ENTRY_TLS_MIN, 0, 0, UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT };
	set_with_ss(&empty, TLS_SEL);
	return 1;
}

int main(void)
{
	__asm__ volatile("movw %%ss, %0" : "=r"(user_ss));
	CHECK_EQ(run_child(handled, NULL), 0);
	CHECK_EQ(run_child(unhandled, NULL), SIGILL);
	return 0;
}
