/*
 * A handler that returns from a guest's trap to its home space with a
 * frame the CPU refuses (cs 0x7d33, a selector with nothing behind it):
 * the return fails in ring 3, SIGILL (ILL_BADSTK) comes to the same
 * handler, and the process exits from there.  A thousand times over, in
 * children: afterwards the kernel's free memory and heap blocks are
 * exactly what they were.  (The fuzzer's guest kernel did this by
 * accident, through a bug of its own, and the host then had 16 heap
 * blocks and 20 kB fewer; that was the guest fuzzer's files, left on the
 * host's /tmp when the guest died mid-batch, not this path.)
 */
#include "altmm_guest.h"

__asm__(GUEST_MACROS GUEST_COMMON);

static struct guest g;

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	if (sig == SIGSYS) {
		uc->uc_mm = -1;                 /* home, with a bad code selector */
		uc->uc_mcontext.cs = 0x7d33;
		return;
	}
	if (sig == SIGILL && si->si_code == ILL_BADSTK && uc->uc_mcontext.trapno == 32)
		_exit(42);
	_exit(3);
}

static int child(void *arg)
{
	(void)arg;
	guest_run(&g, GC(gc_sys), NULL);
	return 1;                               /* never: the handler exits */
}

int main(void)
{
	require_altmm();
	altmm_setup();
	guest_new(&g, gc_start, gc_end - gc_start);
	CHECK_EQ(run_child(child, NULL), 42 << 8);     /* warm */
	/* Heap blocks first: reading them touches a buffer of their own. */
	long blocks = kheap_blocks(), kb = mem_free_kb();
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(run_child(child, NULL), 42 << 8);
	CHECK_EQ(kheap_blocks(), blocks);
	CHECK_EQ(mem_free_kb(), kb);
	guest_free(&g);
	printf("altmm_badret: 1000 refused returns home, nothing left behind\n");
	return 0;
}
