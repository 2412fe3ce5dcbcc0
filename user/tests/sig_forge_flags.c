/*
 * Forged eflags, through sigreturn (plain frames) and rt_sigreturn: each
 * of the 32 bits set, and each cleared, in the frame's eflags; all of
 * them at once; none; each IOPL with IF clear.
 *
 * What Linux takes from the frame is FIX_EFLAGS (forge.h): the arithmetic
 * flags, DF, TF, AC and RF.  Every other bit keeps the value it had when
 * the handler returned: IOPL 0, IF set, NT, VM, VIF, VIP clear, ID as the
 * program had it, bit 1 set, the reserved bits clear.  So after each
 * forgery, eflags as pushfl shows them (which never shows RF or VM) must
 * be exactly (forged & FIX_EFLAGS) | (before & ~FIX_EFLAGS), minus RF.
 * TF set means one instruction (the pushfl) runs, then a single-step
 * SIGTRAP: TRAP_TRACE, trap 1, at the next instruction.  After every
 * forgery, check_ring3(): cli and inb still fault.
 */
#include "forge.h"

static enum { SET, CLEAR, ASSIGN } how;
static uint32_t bits;

static void forge_edit(struct sigcontext *sc)
{
	if (how == SET)
		sc->eflags |= bits;
	else if (how == CLEAR)
		sc->eflags &= ~bits;
	else
		sc->eflags = bits;
}

static volatile int traps, trap_bad;
static void single_step(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	(void)sig;
	traps++;
	/* One instruction after the return: the pushfl. */
	if (si->si_code != TRAP_TRACE || sc->trapno != 1 || sc->eip != (uint32_t)forge_return + 1)
		trap_bad++;
	sc->eflags &= ~X86_EFLAGS_TF;
}

static void one(int h, uint32_t b)
{
	struct forge_regs out;
	how = h;
	bits = b;
	traps = trap_bad = 0;
	/* eflags as the handler will have them when it returns: the flags
	 * the kernel does not take from a frame are the same everywhere in
	 * this program (the arithmetic ones are forge_raise_at's, but those
	 * the frame always supplies). */
	uint32_t before = read_eflags() & ~FIX_EFLAGS;
	forge_calls = 0;
	forge_raise(&out);
	CHECK_EQ(forge_calls, 1);
	/* What the frame held: forge_raise_at's eflags at the int $0x80,
	 * whose arithmetic flags are those of the tgkill's setup; rebuild
	 * them from what came back, only the forged bits being known. */
	uint32_t frame_fix;
	if (h == ASSIGN)
		frame_fix = b & FIX_EFLAGS;
	else
		frame_fix = (out.eflags & FIX_EFLAGS & ~b) | (h == SET ? b & FIX_EFLAGS : 0);
	uint32_t want = (frame_fix | before) & ~(X86_EFLAGS_RF | X86_EFLAGS_VM);
	if (out.eflags != want)
		printf("%s %#x: eflags %#x, expected %#x\n", h == SET ? "set" : h == CLEAR ? "clear" : "assign",
		       b, out.eflags, want);
	CHECK_EQ(out.eflags, want);
	CHECK_EQ(traps, (frame_fix & X86_EFLAGS_TF) ? 1 : 0);
	CHECK_EQ(trap_bad, 0);
	check_ring3();
}

static int sweep(void *arg)
{
	int rt = (intptr_t)arg;
	printf("%s\n", rt ? "rt_sigreturn" : "sigreturn");
	catch_info(SIGTRAP, single_step, 0);
	forge_install(rt);
	for (int bit = 0; bit < 32; bit++) {
		one(SET, 1u << bit);
		one(CLEAR, 1u << bit);
	}
	one(ASSIGN, 0);
	one(ASSIGN, 0xffffffff);
	one(ASSIGN, 0xffffffff & ~X86_EFLAGS_TF);
	for (uint32_t iopl = 1; iopl <= 3; iopl++) {
		one(ASSIGN, iopl << 12 | 2);
		one(SET, iopl << 12);
	}
	one(ASSIGN, X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM | X86_EFLAGS_AC | 2);
	return 0;
}

int main(void)
{
	set_mask(0);
	watchdog(60);
	CHECK_EQ(read_eflags() & (X86_EFLAGS_IOPL | X86_EFLAGS_IF | 2), X86_EFLAGS_IF | 2);
	for (int rt = 0; rt < 2; rt++)
		CHECK_EQ(run_child(sweep, (void *)(intptr_t)rt), 0);
	return 0;
}
