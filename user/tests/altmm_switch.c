/*
 * A scheduler, as a user-mode kernel has one: two guest processes, each
 * in its own space, run turn by turn, switched by a timer.  The SIGALRM
 * handler saves the interrupted guest's registers from the frame, puts
 * the other one's in, sets uc_mm to the other space and returns.
 *
 * The two spaces share the code page (memfd page 0) but each has its own
 * data page at G_DATA (memfd pages 1 and 2) and its own stack.  Each
 * guest counts in its data page and checks at every turn of its loop
 * that its registers are its own (edi = its id, read from its own data
 * page; esi, ebp: constants): a register or a page from the wrong
 * process would end in ud2, and SIGILL.  Then single-stepping: a frame
 * with TF set returns into a guest for exactly one instruction (SIGTRAP,
 * TRAP_TRACE, trapno 1, uc_mm naming it).
 *
 * Nothing here depends on how fast the machine runs: a tick that finds
 * us at home (before the first entry, or on its way after the last) is
 * let pass, and a tick switches guests only once the running one has
 * made a turn of its loop since it was switched in, so both surely make
 * progress however late or early the ticks come.  The timer is one-shot,
 * armed again as the handler ends: a periodic one could come due again
 * while a slow clock (-icount) is still delivering the last tick, and
 * then every return to a guest would meet the next tick before the
 * guest ran an instruction.  Each guest gets a whole interval instead.
 */
#include "altmm_guest.h"
#include <sys/time.h>

#define W_ID    0x04            /* the guest's id, written by us */
#define W_TURNS 0x08            /* its loop count */

extern const char s_start[], s_loop[], s_bad[], s_end[];
__asm__(".section .rodata\n"
	"s_start:\n"
	"s_loop:	cmpl 0x10001004, %edi\n"     /* edi == our id? */
	"	jne s_bad\n"
	"	cmpl $0x5e5e5e5e, %esi\n"
	"	jne s_bad\n"
	"	cmpl $0xebebebeb, %ebp\n"
	"	jne s_bad\n"
	"	pushl %edi\n	popl %eax\n"     /* the stack is ours too */
	"	cmpl %eax, %edi\n"
	"	jne s_bad\n"
	"	incl 0x10001008\n"
	"	jmp s_loop\n"
	"s_bad:	ud2\n"
	"s_end:\n"
	".text\n");

static struct guest g;                  /* guest 0, and the memfd */
static int mm[2];
static struct sigcontext ctx[2];        /* the one not running */
static int cur, ticks, stepping, done;
static uint32_t turns_when_in[2];       /* each guest's count when it was last switched in */
static const struct itimerval once = { { 0, 0 }, { 0, 10000 } }, stop;

/* Back into guest 0 where it was switched out, single-stepping: with its
 * own flags too (it may have stopped between a cmpl and its jne, which
 * QEMU's TCG never does but a real CPU, or TCG with -icount, may). */
static void set_tf(struct altmm_ucontext *uc) { uc->uc_mcontext.eflags = ctx[0].eflags | X86_EFLAGS_TF; }
static volatile uint32_t *data[2];

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	struct sigcontext *sc = &uc->uc_mcontext;
	uint32_t fp = sc->fpstate;

	if (stepping) {                 /* one instruction per trap */
		CHECK_EQ(sig, SIGTRAP);
		CHECK_EQ(si->si_code, TRAP_TRACE);
		CHECK_EQ(sc->trapno, 1);
		CHECK_EQ(uc->uc_mm, mm[cur]);
		if (++stepping > 20) {
			stepping = 0;
			go_home(uc);
		}
		return;                 /* TF is still set in the frame */
	}
	CHECK_EQ(sig, SIGALRM);
	if (done)
		return;
	if (uc->uc_mm == -1)            /* a tick at home, not in a guest: let it pass */
		goto rearm;
	CHECK_EQ(uc->uc_mm, mm[cur]);
	CHECK(sc->eip >= G_CODE && sc->eip < GADDR(s_start, s_bad));
	if (data[cur][W_TURNS / 4] == turns_when_in[cur])
		goto rearm;             /* no turn made since it came in: it runs on */
	ctx[cur] = *sc;
	cur ^= 1;
	turns_when_in[cur] = data[cur][W_TURNS / 4];
	if (++ticks == 20) {            /* enough: go home */
		CHECK_OK(setitimer(ITIMER_REAL, &stop, NULL));
		done = 1;
		go_home(uc);
		return;
	}
	*sc = ctx[cur];
	sc->fpstate = fp;
	uc->uc_mm = mm[cur];
rearm:
	CHECK_OK(setitimer(ITIMER_REAL, &once, NULL));
}

int main(void)
{
	require_altmm();
	pid_t dog = watchdog_child(120);
	altmm_setup();
	guest_new(&g, s_start, s_end - s_start);

	/* Guest 1: the same code, data page 2, its own stack. */
	CHECK_OK(mm[1] = mm_new());
	mm[0] = g.mm;
	struct mm_op ops[] = {
		{ MM_OP_MAP, G_CODE, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, g.memfd, 0, 0 },
		{ MM_OP_MAP, G_DATA, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, g.memfd, 2, 0 },
		{ MM_OP_MAP, G_STACK_TOP - PAGE, PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0, 0 },
	};
	CHECK_EQ(mm_batch(mm[1], ops, 3), 3);
	data[0] = g.data;
	data[1] = (volatile uint32_t *)(g.mem + 2 * PAGE);
	data[0][W_ID / 4] = 0x1d0;
	data[1][W_ID / 4] = 0x1d1;

	/* Guest 1 starts, when its turn comes, where guest 0 does. */
	const uint32_t r[7] = { 0, 0, 0, 0, 0x5e5e5e5e, 0x1d0, 0xebebebeb };
	memset(&ctx[1], 0, sizeof ctx[1]);
	ctx[1].eip = G_CODE;
	ctx[1].esp = G_STACK_TOP;
	ctx[1].esi = 0x5e5e5e5e;
	ctx[1].edi = 0x1d1;
	ctx[1].ebp = 0xebebebeb;
	__asm__ volatile("movw %%cs, %0; movw %%ss, %1; movw %%ds, %2; movw %%es, %3"
	                 : "=m"(ctx[1].cs), "=m"(ctx[1].ss), "=m"(ctx[1].ds), "=m"(ctx[1].es));
	ctx[1].eflags = X86_EFLAGS_IF;
	CHECK_OK(setitimer(ITIMER_REAL, &once, NULL));
	guest_run(&g, G_CODE, r);
	CHECK_EQ(ticks, 20);
	CHECK(data[0][W_TURNS / 4] >= 10);      /* a turn or more each time it ran */
	CHECK(data[1][W_TURNS / 4] >= 10);

	/* Single steps through guest 0 (cur is 0 again after 20 ticks). */
	CHECK_EQ(cur, 0);
	uint32_t turns = data[0][W_TURNS / 4];
	enter_regs = ctx[0];
	enter_edit = set_tf;
	stepping = 1;
	guest_enter(&g);
	enter_edit = NULL;
	CHECK_EQ(ntraps, 20);
	/* 20 instructions of its 12-instruction loop: one or two turns. */
	CHECK(data[0][W_TURNS / 4] - turns >= 1 && data[0][W_TURNS / 4] - turns <= 2);

	CHECK_OK(close(mm[1]));
	guest_free(&g);
	kicker_stop(dog);
	return 0;
}
