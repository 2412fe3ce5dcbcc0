/*
 * Running code in a second address space built by hand (altmm_guest.h):
 * enter it by returning through a signal frame, and get every kind of
 * trap back as a signal in the home space:
 *
 *   (a) int $0x80 (eax 1234): SIGSYS, SYS_USER_DISPATCH, the number, the
 *       address after the int, the guest's registers; the handler sets
 *       eax and returns: the guest goes on after the int with that eax,
 *       its other registers, flags and FPU/SSE registers intact although
 *       the handler used the FPU;
 *   (b) a store to an unmapped page: SIGSEGV with trapno 14, err, cr2; the
 *       handler maps a memfd page there with mm_mmap and returns: the
 *       store runs again, and we see its value through our own mapping;
 *   (c) a spin loop that only a timer ends: SIGALRM (setitimer real) and
 *       then SIGVTALRM (setitimer virtual: the guest's time is ours)
 *       interrupt it, their handlers set the flag it waits for;
 *   (d) a last int $0x80, whose handler goes home: the registers of the
 *       raise() that entered, uc_mm = -1; raise() returns 0;
 *   (e) then we enter again where the guest stopped (its saved context),
 *       which is how a user-mode kernel resumes a process.
 *
 * The timers of (c) repeat until a tick lands in the loop it is to end,
 * with the loop under way; a tick that lands elsewhere (before the loop,
 * or one already on its way when its timer was stopped) is let pass and
 * counted, so that nothing depends on how fast the machine runs.  The
 * trap handlers block both timer signals, so that no tick comes while
 * one of them runs at home.
 *
 * The guest stores its registers after each round trip in its data page,
 * which we read through the memfd; its stack is anonymous memory of its
 * own space, demand-paged without any signal.
 */
#include "altmm_guest.h"
#include <sys/time.h>

#define G_HOLE      0x10200000      /* unmapped until the SIGSEGV handler maps memfd page 2 */

/* Offsets in G_DATA. */
#define R_ENTRY     0x00            /* eight registers each */
#define R_SYSCALL   0x20
#define R_FAULT     0x40
#define R_TICK      0x60
#define R_VTICK     0x80
#define R_RESUME    0xa0
#define W_PUSHPOP   0xc0
#define W_EFLAGS    0xc4
#define W_ST0       0xc8
#define W_HOLE      0xcc
#define W_XMM1      0xd0            /* 16 bytes */
#define W_FLAG      0x100           /* set by our timer handlers */
#define W_FPU_IN    0x110           /* an integer for st0 */
#define W_XMM_IN    0x120           /* 16 bytes for xmm1 */

#define STR2(x) #x
#define STR(x) STR2(x)
#define D(off) STR(0x10001000 + off)   /* a G_DATA address in the guest's asm */

extern const char g_start[], g_after_int[], g_fault_insn[], g_loop1[], g_loop1_end[],
	g_loop2[], g_loop2_end[],
	g_last_int[], g_resume[], g_end[];
__asm__(GUEST_MACROS
	".section .rodata\n"
	"g_start:\n"
	"	SAVE " STR(R_ENTRY) "\n"
	"	pushl $0x12345678\n	popl %eax\n"            /* the stack works */
	"	movl %eax, " D(W_PUSHPOP) "\n"
	"	fildl " D(W_FPU_IN) "\n"                       /* st0 = 12345 */
	"	movups " D(W_XMM_IN) ", %xmm1\n"
	"	LOAD 0x11110000\n"
	"	movl $1234, %eax\n"
	"	stc\n	std\n"
	"	int $0x80\n"
	"g_after_int:\n"
	"	SAVE " STR(R_SYSCALL) "\n"
	"	pushfl\n	popl " D(W_EFLAGS) "\n"
	"	cld\n"
	"	fistpl " D(W_ST0) "\n"
	"	movups %xmm1, " D(W_XMM1) "\n"
	"	LOAD 0x22220000\n"
	"	movl $0xfeedface, %eax\n"
	"	movl $" STR(G_HOLE) "+0x10, %ecx\n"
	"g_fault_insn:\n"
	"	movl %eax, (%ecx)\n"
	"	SAVE " STR(R_FAULT) "\n"
	"	movl (%ecx), %edx\n	movl %edx, " D(W_HOLE) "\n"
	"	LOAD 0x33330000\n"
	"	xorl %esi, %esi\n"
	"g_loop1:\n"
	"	incl %esi\n"
	"	cmpl $1, " D(W_FLAG) "\n"
	"	jne g_loop1\n"
	"g_loop1_end:\n"
	"	SAVE " STR(R_TICK) "\n"
	"	LOAD 0x44440000\n"
	"	xorl %esi, %esi\n"
	"g_loop2:\n"
	"	incl %esi\n"
	"	cmpl $2, " D(W_FLAG) "\n"
	"	jne g_loop2\n"
	"g_loop2_end:\n"
	"	SAVE " STR(R_VTICK) "\n"
	"	LOAD 0x55550000\n"
	"	movl $4321, %eax\n"
	"g_last_int:\n"
	"	int $0x80\n"
	"g_resume:\n"
	"	SAVE " STR(R_RESUME) "\n"
	"	LOAD 0x66660000\n"
	"	movl $5555, %eax\n"
	"	int $0x80\n"
	"	ud2\n"
	"g_end:\n"
	".text\n");

static struct guest g;
static int stage;
static struct sigcontext resume_sc;     /* the guest where (d) left it */
static uint16_t home_cs, home_ss, home_ds;

static const struct itimerval tick = { { 0, 20000 }, { 0, 20000 } };  /* every 20 ms */
static const struct itimerval off;
static int stray_ticks;

/* Is this tick the one its stage waits for: in the loop it is to end,
 * with the loop under way (esi counts its turns)? */
static int tick_expected(int sig, const struct sigcontext *sc)
{
	const char *lo = sig == SIGALRM ? g_loop1 : g_loop2;
	const char *hi = sig == SIGALRM ? g_loop1_end : g_loop2_end;
	return stage == (sig == SIGALRM ? 2 : 3) && sc->esi > 0 &&
	       sc->eip >= GADDR(g_start, lo) && sc->eip < GADDR(g_start, hi);
}

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	struct sigcontext *sc = &uc->uc_mcontext;

	/* Every trap: from the guest, on our sigaltstack, with the guest's segments. */
	CHECK_EQ(uc->uc_mm, g.mm);
	CHECK(in_altstack((uint32_t)uc));
	CHECK(sc->eip >= G_CODE && sc->eip < GADDR(g_start, g_end));
	CHECK(sc->esp <= G_STACK_TOP && sc->esp > G_STACK_TOP - PAGE);
	CHECK_EQ(sc->cs, home_cs);
	CHECK_EQ(sc->ss, home_ss);
	CHECK_EQ(sc->ds, home_ds);
	CHECK_EQ(sc->es, home_ds);
	CHECK_EQ((uint32_t)uc->uc_stack.ss_sp, (uint32_t)altstack);
	CHECK_EQ(uc->uc_sigmask, home_mask);    /* the guest runs with the mask we entered with */
	CHECK_EQ(uc->uc_stack.ss_size, ALTSTACK_SIZE);

	if ((sig == SIGALRM || sig == SIGVTALRM) && !tick_expected(sig, sc)) {
		stray_ticks++;
		return;                 /* into the guest again, untouched */
	}
	switch (stage++) {
	case 0:         /* (a) int $0x80 with eax 1234 */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_signo, SIGSYS);
		CHECK_EQ(si->si_errno, 0);
		CHECK_EQ(si->si_code, SYS_USER_DISPATCH);
		CHECK_EQ(si->si_syscall, 1234);
		CHECK_EQ((uint32_t)si->si_call_addr, GADDR(g_start, g_after_int));
		CHECK_EQ(si->si_arch, AUDIT_ARCH_I386);
		CHECK_EQ(sc->eip, GADDR(g_start, g_after_int));
		CHECK_EQ(sc->eax, 1234);
		CHECK_EQ(sc->ebx, 0x11110001);
		CHECK_EQ(sc->ecx, 0x11110002);
		CHECK_EQ(sc->edx, 0x11110003);
		CHECK_EQ(sc->esi, 0x11110004);
		CHECK_EQ(sc->edi, 0x11110005);
		CHECK_EQ(sc->ebp, 0x11110006);
		CHECK_EQ(sc->esp, G_STACK_TOP);
		CHECK_EQ(sc->eflags & (X86_EFLAGS_CF | X86_EFLAGS_DF), X86_EFLAGS_CF | X86_EFLAGS_DF);
		/* Use the FPU here: the guest's st0 and xmm1 must not notice. */
		__asm__ volatile("fninit\n	fldz\n	fld1\n	xorps %%xmm1, %%xmm1" ::: "memory");
		sc->eax = 0x600dcafe;
		break;
	case 1:         /* (b) the store to G_HOLE + 0x10 */
		CHECK_EQ(sig, SIGSEGV);
		CHECK_EQ(si->si_code, SEGV_MAPERR);
		CHECK_EQ((uint32_t)si->si_addr, G_HOLE + 0x10);
		CHECK_EQ(sc->trapno, 14);
		CHECK_EQ(sc->err, 6);                   /* user write, not present */
		CHECK_EQ(sc->cr2, G_HOLE + 0x10);
		CHECK_EQ(sc->eip, GADDR(g_start, g_fault_insn));
		CHECK_EQ(sc->eax, 0xfeedface);
		CHECK_EQ((uint32_t)mm_mmap(g.mm, (void *)G_HOLE, PAGE, PROT_READ | PROT_WRITE,
		                           MAP_SHARED | MAP_FIXED, g.memfd, 2), G_HOLE);
		CHECK_OK(setitimer(ITIMER_REAL, &tick, NULL));
		break;
	case 2:         /* (c) the real-time tick */
		CHECK_EQ(sig, SIGALRM);
		CHECK_EQ(si->si_code, SI_KERNEL);
		CHECK_OK(setitimer(ITIMER_REAL, &off, NULL));
		g.data[W_FLAG / 4] = 1;
		CHECK_OK(setitimer(ITIMER_VIRTUAL, &tick, NULL));
		break;
	case 3:         /* (c) the virtual-time tick */
		CHECK_EQ(sig, SIGVTALRM);
		CHECK_OK(setitimer(ITIMER_VIRTUAL, &off, NULL));
		g.data[W_FLAG / 4] = 2;
		break;
	case 4:         /* (d) the last call: home */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_syscall, 4321);
		CHECK_EQ(sc->eip, GADDR(g_start, g_resume));
		CHECK_EQ(sc->eax, 4321);
		CHECK_EQ(sc->ebp, 0x55550006);
		resume_sc = *sc;
		go_home(uc);
		break;
	case 5:         /* (e) after the resumption */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_syscall, 5555);
		go_home(uc);
		break;
	default:
		CHECK(!"a trap too many");
	}
}

int main(void)
{
	static const uint32_t xmm_in[4] = { 0x01234567, 0x89abcdef, 0xdeadbeef, 0x0badf00d };
	static const uint32_t r[7] = { 0xa0, 0xb0, 0xc0, 0xd0, 0x51, 0xd1, 0xb9 };

	require_altmm();
	pid_t dog = watchdog_child(120);
	__asm__ volatile("movw %%cs, %0; movw %%ss, %1; movw %%ds, %2"
	                 : "=r"(home_cs), "=r"(home_ss), "=r"(home_ds));
	altmm_setup();
	trap_handlers_block(sigmask(SIGALRM) | sigmask(SIGVTALRM));
	set_mask(sigmask(SIGPIPE) | sigmask(40));       /* the guest's too */
	guest_new(&g, g_start, g_end - g_start);
	g.data[W_FPU_IN / 4] = 12345;
	memcpy((void *)&g.data[W_XMM_IN / 4], xmm_in, 16);

	guest_run(&g, G_CODE, r);               /* (a) to (d) */
	CHECK_EQ(stage, 5);
	CHECK_EQ(ntraps, 5 + stray_ticks);
	CHECK_EQ(entries, 1);
	CHECK_EQ(home_mask, sigmask(SIGPIPE) | sigmask(40));
	CHECK_EQ(get_mask(), home_mask);                /* home again, with our own mask */

	volatile uint32_t *d = g.data;
	for (int i = 0; i < 7; i++)
		CHECK_EQ(d[R_ENTRY / 4 + i], r[i]);
	CHECK_EQ(d[R_ENTRY / 4 + 7], G_STACK_TOP);
	CHECK_EQ(d[W_PUSHPOP / 4], 0x12345678);
	CHECK_LOADED(&d[R_SYSCALL / 4], 0x11110000, 0x600dcafe, G_STACK_TOP);
	CHECK_EQ(d[W_EFLAGS / 4] & (X86_EFLAGS_CF | X86_EFLAGS_DF), X86_EFLAGS_CF | X86_EFLAGS_DF);
	CHECK_EQ(d[W_ST0 / 4], 12345);
	CHECK(!memcmp((void *)&d[W_XMM1 / 4], xmm_in, 16));
	CHECK_EQ(d[R_FAULT / 4 + 0], 0xfeedface);
	CHECK_EQ(d[R_FAULT / 4 + 2], G_HOLE + 0x10);
	CHECK_EQ(d[R_FAULT / 4 + 6], 0x22220006);
	CHECK_EQ(d[W_HOLE / 4], 0xfeedface);
	CHECK_EQ(*(uint32_t *)(g.mem + 2 * PAGE + 0x10), 0xfeedface);  /* the same page */
	CHECK(d[R_TICK / 4 + 4] > 0);                   /* esi: the loop ran */
	CHECK_EQ(d[R_TICK / 4 + 5], 0x33330005);
	CHECK(d[R_VTICK / 4 + 4] > 0);
	CHECK_EQ(d[R_VTICK / 4 + 6], 0x44440006);

	/* (e) Enter again where the guest stopped, with a result in eax. */
	enter_regs = resume_sc;
	enter_regs.eax = 99;
	guest_enter(&g);
	CHECK_EQ(stage, 6);
	CHECK_EQ(entries, 2);
	CHECK_LOADED(&d[R_RESUME / 4], 0x55550000, 99, G_STACK_TOP);

	guest_free(&g);
	kicker_stop(dog);
	return 0;
}
