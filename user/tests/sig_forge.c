/*
 * Forged frames: a handler edits its frame to return with privileged
 * selectors or eflags bits, a bad FPU state, or no frame at all.  The
 * process must never gain privilege.  What Linux i386 does, and so what
 * this test expects (each case runs in a child; the status word tells):
 *
 *   - cs and ss are forced to RPL 3: a user selector with RPL 0 just works,
 *     anything that is not then a user code / stack segment (a kernel
 *     selector, a null one, data as code, code as stack) makes the return
 *     to user mode fail: SIGILL, si_code ILL_BADSTK, trapno 32;
 *   - ds, es, fs, gs that cannot be loaded in user mode come back as 0;
 *   - eflags: only the arithmetic flags, DF, TF, AC and RF are taken;
 *     IOPL, NT, VM and IF keep their values (so cli still faults);
 *     TF is honoured: a single-step SIGTRAP (TRAP_TRACE, trapno 1);
 *   - an unreadable frame or FPU state: SIGSEGV (SI_KERNEL);
 *   - reserved MXCSR bits (fxrstor would fault on them) are dropped;
 *   - a kernel eip: an ordinary page fault at it, SIGSEGV (SEGV_MAPERR).
 */
#include "sigcheck.h"

/*
 * forge_raise(out): tgkill(pid, tid, SIGUSR1), then read ds es fs gs and
 * eflags before touching memory through ds (a null ds would fault on real
 * hardware), reload ds and es from ss, and store them in out[0..4].
 */
struct segs { uint32_t ds, es, fs, gs, eflags; };
void forge_raise(struct segs *out, int pid, int tid);
__asm__(".text\n"
	".globl forge_raise\n"
	"forge_raise:\n"
	"	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl 20(%esp), %ebx\n	movl 24(%esp), %ecx\n"
	"	movl $10, %edx\n"               /* SIGUSR1 */
	"	movl $270, %eax\n"              /* tgkill */
	"	int $0x80\n"
	"	movl %ds, %eax\n	movl %es, %ecx\n	movl %fs, %edx\n	movl %gs, %esi\n"
	"	pushfl\n	popl %edi\n"
	"	movl %ss, %ebx\n	movl %ebx, %ds\n	movl %ebx, %es\n"
	"	movl 16(%esp), %ebx\n"
	"	movl %eax, (%ebx)\n	movl %ecx, 4(%ebx)\n	movl %edx, 8(%ebx)\n"
	"	movl %esi, 12(%ebx)\n	movl %edi, 16(%ebx)\n"
	"	popl %edi\n	popl %esi\n	popl %ebx\n"
	"	ret\n");

enum {
	CS_RPL0, CS_KERNEL, SS_KERNEL, CS_NULL, SS_NULL, CS_DATA, SS_CODE,
	EFLAGS_PRIV, DATA_SEGS, EFLAGS_TF, FPSTATE_BAD, MXCSR_BAD, EIP_KERNEL, NCASES
};
static const char *const names[NCASES] = {
	"cs rpl0", "kernel cs", "kernel ss", "null cs", "null ss", "data as cs", "code as ss",
	"iopl/nt/vm/if", "data selectors", "tf", "bad fpstate", "bad mxcsr", "kernel eip",
};
static int forge_case;
static uint16_t user_cs, user_ss;
static uint32_t mxcsr_mask;

static void forge(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	struct fpstate_32 *fp;
	uint16_t kcs = (sc->cs & ~3) - 0x10, kds = (sc->cs & ~3) - 8;  /* Linux's and ours */

	(void)sig;
	(void)si;
	switch (forge_case) {
	case CS_RPL0:     sc->cs &= ~3; break;
	case CS_KERNEL:   sc->cs = kcs; break;
	case SS_KERNEL:   sc->ss = kds; break;
	case CS_NULL:     sc->cs = 0; break;
	case SS_NULL:     sc->ss = 0; break;
	case CS_DATA:     sc->cs = sc->ss; break;
	case SS_CODE:     sc->ss = sc->cs; break;
	case EFLAGS_PRIV: sc->eflags = (sc->eflags | X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM)
	                               & ~X86_EFLAGS_IF; break;
	case DATA_SEGS:   sc->ds = kds; sc->es = 0xfff8; sc->fs = kds | 3; sc->gs = 0xfff8; break;
	case EFLAGS_TF:   sc->eflags |= X86_EFLAGS_TF; break;
	case FPSTATE_BAD: sc->fpstate = 0xc0000000; break;
	case MXCSR_BAD:   /* fxrstor of this would fault: the kernel must mask it */
		fp = (struct fpstate_32 *)sc->fpstate;
		mxcsr_mask = fp->reserved ? fp->reserved : 0xffbf;     /* fxsave's MXCSR_MASK */
		fp->mxcsr = 0xffffffff;
		break;
	case EIP_KERNEL:  sc->eip = 0xc0000000; break;
	}
}

/*
 * With a handler for the resulting signal: exit 100 + si_code, or 99 if
 * trapno is not the one expected (-1: any; it is the last trap's then).
 */
static volatile int expect_trapno;
static void after(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	(void)sig;
	if (expect_trapno >= 0 && sc->trapno != (uint32_t)expect_trapno)
		_exit(99);
	if (forge_case == EIP_KERNEL && (si->si_addr != (void *)0xc0000000 || sc->eip != 0xc0000000))
		_exit(98);
	_exit(100 + (si->si_code & 0xff));
}

static int child(void *arg)
{
	struct segs s;
	int with_handler = (intptr_t)arg & 0x100;

	forge_case = (intptr_t)arg & 0xff;
	catch_info(SIGUSR1, forge, 0);
	if (with_handler) {
		catch_info(SIGILL, after, 0);
		catch_info(SIGTRAP, after, 0);
		catch_info(SIGSEGV, after, 0);
	}
	forge_raise(&s, getpid(), gettid());
	uint16_t cs, ss;
	__asm__ volatile("movw %%cs, %0; movw %%ss, %1" : "=r"(cs), "=r"(ss));
	CHECK_EQ(cs, user_cs);
	CHECK_EQ(ss, user_ss);
	CHECK_EQ(s.eflags & (X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM | X86_EFLAGS_IF),
	         X86_EFLAGS_IF);
	if (forge_case == DATA_SEGS) {
		CHECK_EQ(s.ds & 0xffff, 0);
		CHECK_EQ(s.es & 0xffff, 0);
		CHECK_EQ(s.fs & 0xffff, 0);
		CHECK_EQ(s.gs & 0xffff, 0);
	}
	if (forge_case == MXCSR_BAD) {  /* reserved bits are dropped */
		uint32_t m;
		__asm__ volatile("stmxcsr %0" : "=m"(m));
		CHECK_EQ(m, mxcsr_mask);
	}
	if (forge_case == EFLAGS_PRIV)
		__asm__ volatile("cli");       /* still no I/O privilege: #GP */
	return 0;
}

static const struct { int status, handled; int trapno; } expect[NCASES] = {
	[CS_RPL0]     = { 0, 0, 0 },
	[CS_KERNEL]   = { SIGILL, 100 + ILL_BADSTK, 32 },
	[SS_KERNEL]   = { SIGILL, 100 + ILL_BADSTK, 32 },
	[CS_NULL]     = { SIGILL, 100 + ILL_BADSTK, 32 },
	[SS_NULL]     = { SIGILL, 100 + ILL_BADSTK, 32 },
	[CS_DATA]     = { SIGILL, 100 + ILL_BADSTK, 32 },
	[SS_CODE]     = { SIGILL, 100 + ILL_BADSTK, 32 },
	[EFLAGS_PRIV] = { SIGSEGV, 100 + SI_KERNEL, 13 },
	[DATA_SEGS]   = { 0, 0, 0 },
	[EFLAGS_TF]   = { SIGTRAP, 100 + TRAP_TRACE, 1 },
	[FPSTATE_BAD] = { SIGSEGV, 100 + SI_KERNEL, -1 },
	[MXCSR_BAD]   = { 0, 0, 0 },
	[EIP_KERNEL]  = { SIGSEGV, 100 + SEGV_MAPERR, 14 },
};

static void test_cases(void)
{
	__asm__ volatile("movw %%cs, %0; movw %%ss, %1" : "=r"(user_cs), "=r"(user_ss));
	for (int c = 0; c < NCASES; c++) {
		printf("case %s\n", names[c]);
		CHECK_EQ(run_child(child, (void *)(intptr_t)c), expect[c].status);
		if (expect[c].status) {
			expect_trapno = expect[c].trapno;
			CHECK_EQ(run_child(child, (void *)(intptr_t)(c | 0x100)), expect[c].handled << 8);
		}
	}
}

/* rt_sigreturn and sigreturn with no frame under esp: SIGSEGV. */
static int no_frame(void *arg)
{
	__asm__ volatile("movl $0x1000, %%esp\n	int $0x80" : : "a"((intptr_t)arg));
	return 1;
}

int main(void)
{
	set_mask(0);
	watchdog(30);
	test_cases();
	CHECK_EQ(run_child(no_frame, (void *)__NR_rt_sigreturn), SIGSEGV);
	CHECK_EQ(run_child(no_frame, (void *)__NR_sigreturn), SIGSEGV);
	return 0;
}
