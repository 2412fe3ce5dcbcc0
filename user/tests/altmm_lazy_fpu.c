/*
 * The lean frame: a guest that has not used the FPU since it was entered
 * traps out with no FPU state in its frame (uc_mcontext.fpstate == 0), and
 * its registers are still its own when the handler returns into it, even
 * if the handler used the FPU in between (the kernel puts the guest's
 * registers aside on the handler's first FPU instruction).
 *
 *   entry 1: st0 = 12345, xmm1 = a pattern, then int $0x80 #1:
 *            the guest used the FPU: a full frame (fpstate != 0)
 *   entry 2: int $0x80 #2 at once: no FPU use since entry, fpstate == 0;
 *            the handler wrecks st0 and xmm1 and returns
 *   entry 3: the guest stores st0 and xmm1, int $0x80 #3: home
 */
#include "sigcheck.h"
#include <altmm.h>
#include "altmm_guest.h"

#define STR2(x) #x
#define STR(x) STR2(x)
#define D(off) STR(0x10001000 + off)   /* a G_DATA address in the guest's asm */

#define W_FPU_IN    0x10
#define W_XMM_IN    0x20
#define W_ST0       0x40
#define W_XMM1      0x50

extern const char l_start[], l_end[];
__asm__(GUEST_MACROS
	".section .rodata\n"
	"l_start:\n"
	"	fildl " D(W_FPU_IN) "\n"
	"	movups " D(W_XMM_IN) ", %xmm1\n"
	"	movl $1, %eax\n	int $0x80\n"
	"	movl $2, %eax\n	int $0x80\n"
	"	fistpl " D(W_ST0) "\n"
	"	movups %xmm1, " D(W_XMM1) "\n"
	"	movl $3, %eax\n	int $0x80\n"
	"l_end:\n"
	".text\n");

static struct guest g;
static uint32_t fpstate_seen[3];

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	CHECK_EQ(sig, SIGSYS);
	int call = si->si_syscall;
	CHECK(call >= 1 && call <= 3);
	fpstate_seen[call - 1] = uc->uc_mcontext.fpstate;
	if (call == 2)	/* the guest's registers must not notice this */
		__asm__ volatile("fninit\n	fld1\n	fldz\n	xorps %%xmm1, %%xmm1" ::: "memory");
	if (call == 3)
		go_home(uc);
}

int main(void)
{
	static const uint32_t xmm_in[4] = { 0x0f1e2d3c, 0x4b5a6978, 0x8796a5b4, 0xc3d2e1f0 };
	require_altmm();
	pid_t dog = watchdog_child(120);
	altmm_setup();
	guest_new(&g, l_start, l_end - l_start);
	g.data[W_FPU_IN / 4] = 12345;
	memcpy((void *)&g.data[W_XMM_IN / 4], xmm_in, 16);
	guest_run(&g, G_CODE, NULL);
	CHECK(fpstate_seen[0] != 0);	/* used the FPU: its state is in the frame */
	CHECK_EQ(fpstate_seen[1], 0);	/* did not: the lean frame */
	CHECK(fpstate_seen[2] != 0);	/* used it again (fistpl, movups) */
	CHECK_EQ(g.data[W_ST0 / 4], 12345);
	CHECK(!memcmp((void *)&g.data[W_XMM1 / 4], xmm_in, 16));
	guest_free(&g);
	kicker_stop(dog);
	return 0;
}
