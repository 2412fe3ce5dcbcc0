/*
 * Forged frames of SA_IN_MM handlers (altmm_security has the first few):
 *
 *   - uc_mm naming no address space: a descriptor closed before the
 *     return, one closed and reused by a file, a pipe, /dev/null, a
 *     directory, a regular file, numbers beyond any descriptor table
 *     (1024, 0x10000, 0x7fffffff), negative ones other than -1 (-2, -3,
 *     -100, INT_MIN).  Each: rt_sigreturn refuses the frame, SIGSEGV with
 *     SI_KERNEL, delivered at home (uc_mm -1), nothing changed; without a
 *     handler the process dies of it;
 *   - uc_mm the descriptor of the home space: just home (-1 would do the
 *     same), where system calls work and check_ring3() holds;
 *   - entering a guest with every class of selector in cs, ss, ds, es, fs,
 *     gs (as sig_forge_segs: kernel ones, RPL 0 and 3, the LDT bit, null,
 *     beyond the GDT) and with forged eflags (IOPL 1-3, NT, VM, IF clear,
 *     everything): the guest reads its eflags and selectors, then tries
 *     cli and inb.  It must be in ring 3 with IOPL 0: the reading shows
 *     the selectors the CPU allows (lar decides, as in sig_forge_segs),
 *     eflags without IOPL, NT or VM and with IF, and both instructions
 *     come to us as SIGSEGV, SI_KERNEL, trap 13, from the guest's space.
 *     A cs or ss ring 3 cannot use: SIGILL, ILL_BADSTK, trap 32, from the
 *     guest's space, the frame showing what the return was tried with.
 */
#include "altmm_guest.h"
#include "ring3.h"

extern const char g_ring3[], g_ring3_cli[], g_ring3_inb[], g_ring3_end[];
__asm__(GUEST_MACROS GUEST_COMMON
	".section .rodata\n"
	"g_ring3:	pushfl\n	popl %eax\n	movl %cs, %ebx\n	movl %ss, %ecx\n"
	"	movl %ds, %edx\n	movl %es, %esi\n	movl %fs, %edi\n	movl %gs, %ebp\n"
	"	int $0x80\n"
	"g_ring3_cli:	cli\n"
	"g_ring3_inb:	inb $0x80, %al\n"
	"	int $0x80\n"
	"g_ring3_end:\n"
	".text\n");
#define GS(label) GADDR(gc_start, label)

static struct guest g;
static uint16_t ucs, uss;

/* ---- forged entries into the guest ---- */

enum { R_CS, R_SS, R_DS, R_ES, R_FS, R_GS, R_EFLAGS };
static int forge_reg;
static uint32_t forge_val;

static void forge_entry(struct altmm_ucontext *uc)
{
	struct sigcontext *sc = &uc->uc_mcontext;
	switch (forge_reg) {
	case R_CS: sc->cs = forge_val; break;
	case R_SS: sc->ss = forge_val; break;
	case R_DS: sc->ds = forge_val; break;
	case R_ES: sc->es = forge_val; break;
	case R_FS: sc->fs = forge_val; break;
	case R_GS: sc->gs = forge_val; break;
	case R_EFLAGS: sc->eflags = forge_val; break;
	}
}

/* The guest's traps: look (the log keeps them), step over cli and inb,
 * go home after the last call or any other trap. */
static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	(void)si;
	uint32_t eip = uc->uc_mcontext.eip;
	if (sig == SIGSYS && eip == GS(g_ring3_cli))
		return;                                 /* the first call: go on */
	if (sig == SIGSEGV && (eip == GS(g_ring3_cli) || eip == GS(g_ring3_inb))) {
		uc->uc_mcontext.eip += eip == GS(g_ring3_cli) ? 1 : 2;
		return;
	}
	go_home(uc);
}

static void check_gp(const struct trap *t, uint32_t eip)
{
	CHECK_EQ(t->sig, SIGSEGV);
	CHECK_EQ(t->si.si_code, SI_KERNEL);
	CHECK_EQ(t->sc.trapno, 13);
	CHECK_EQ(t->sc.err, 0);
	CHECK_EQ(t->sc.eip, eip);
	CHECK_EQ(t->mm, g.mm);
}

/* Enter the guest with register r forged to v; check what it saw. */
static void enter_forged(int r, uint32_t v)
{
	forge_reg = r;
	forge_val = v;
	enter_edit = forge_entry;
	memset(&enter_regs, 0, sizeof enter_regs);
	enter_regs.eip = GS(g_ring3);
	enter_regs.esp = G_STACK_TOP;
	guest_enter(&g);
	enter_edit = NULL;

	int refused = (r == R_CS && !cs_usable(v)) || (r == R_SS && !ss_usable(v));
	if (refused) {
		CHECK_EQ(ntraps, 1);
		struct trap *t = &traps[0];
		CHECK_EQ(t->sig, SIGILL);
		CHECK_EQ(t->si.si_code, ILL_BADSTK);
		CHECK_EQ(t->sc.trapno, 32);
		CHECK_EQ(t->sc.err, 0);
		CHECK_EQ(t->sc.eip, GS(g_ring3));
		CHECK_EQ(t->sc.cs, r == R_CS ? (v | 3) : ucs);
		CHECK_EQ(t->sc.ss, r == R_SS ? (v | 3) : uss);
		CHECK_EQ(t->mm, g.mm);
		return;
	}
	if (ntraps != 4)
		printf("%d = %#x: %d traps, the first signal %d code %d trap %u eip %#x\n", r, v, ntraps,
		       traps[0].sig, traps[0].si.si_code, traps[0].sc.trapno, traps[0].sc.eip);
	CHECK_EQ(ntraps, 4);
	const struct sigcontext *sc = &traps[0].sc;
	CHECK_EQ(traps[0].sig, SIGSYS);
	CHECK_EQ(traps[0].mm, g.mm);
	uint32_t seen[6] = { sc->ebx & 0xffff, sc->ecx & 0xffff, sc->edx & 0xffff,
	                     sc->esi & 0xffff, sc->edi & 0xffff, sc->ebp & 0xffff };
	uint32_t want[6] = { ucs, uss, uss, uss, 0, 0 };
	if (r == R_CS || r == R_SS)
		want[r] = v | 3;
	else if (r != R_EFLAGS)
		want[r] = data_after(v, seen[r]);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(seen[i], want[i]);
	CHECK_EQ(sc->eax & (X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM | X86_EFLAGS_IF), X86_EFLAGS_IF);
	if (r == R_EFLAGS)      /* what a frame may set, it sets */
		CHECK_EQ(sc->eax & FIX_EFLAGS & ~(X86_EFLAGS_RF | X86_EFLAGS_TF),
		         v & FIX_EFLAGS & ~(X86_EFLAGS_RF | X86_EFLAGS_TF));
	check_gp(&traps[1], GS(g_ring3_cli));
	check_gp(&traps[2], GS(g_ring3_inb));
	CHECK_EQ(traps[3].sig, SIGSYS);
}

static void test_entries(void)
{
	const char *const names[] = { "cs", "ss", "ds", "es", "fs", "gs" };
	for (int r = R_CS; r <= R_GS; r++) {
		printf("entries with a forged %s\n", names[r]);
		for (uint32_t idx = 0; idx <= 34; idx++)
			for (uint32_t low = 0; low < 8; low++)
				if (low == 0 || low == 3 || low == 4 || low == 7 || idx == 0)
					enter_forged(r, (idx == 34 ? 0x1fff : idx) << 3 | low);
	}
	printf("entries with forged eflags\n");
	const uint32_t flags[] = {
		0x1202, 0x2202, 0x3202, 0x3002, X86_EFLAGS_NT | 0x202, X86_EFLAGS_VM | 0x202, 0x2,
		0xffffffff & ~X86_EFLAGS_TF, X86_EFLAGS_AC | X86_EFLAGS_DF | 0x8d5 | 2,
	};
	for (unsigned i = 0; i < sizeof flags / sizeof flags[0]; i++)
		enter_forged(R_EFLAGS, flags[i]);
}

/* ---- uc_mm naming no space ---- */

static int bad_mm;
static pid_t parent;
static void forge_mm(struct altmm_ucontext *uc) { uc->uc_mm = bad_mm; }
static void forge_home(struct altmm_ucontext *uc)
{
	uint32_t fp = uc->uc_mcontext.fpstate;
	uc->uc_mcontext = home_sc;
	uc->uc_mcontext.fpstate = fp;
	uc->uc_mm = bad_mm;
}

/* The refusal, caught at home: exit 42 if it is the one expected. */
static void refused(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	(void)sig;
	if (si->si_code != SI_KERNEL || uc->uc_mm != -1 || uc->uc_mcontext.eip != (uint32_t)__restore_rt + 7)
		_exit(3);
	check_ring3();
	_exit(42);
}

static int refused_child(void *arg)
{
	int caught = (intptr_t)arg;
	set_disp(SIGSEGV, SIG_DFL);
	if (caught)
		catch_mm(SIGSEGV, refused, SA_ONSTACK | SA_NODEFER);
	enter_edit = forge_mm;
	memset(&enter_regs, 0, sizeof enter_regs);
	enter_regs.eip = GC(gc_sys);
	enter_regs.esp = G_STACK_TOP;
	guest_enter(&g);
	return 1;                                       /* the frame was taken */
}

static void refuse(int mm)
{
	printf("uc_mm %d\n", mm);
	bad_mm = mm;
	CHECK_EQ(run_child(refused_child, (void *)0), SIGSEGV);
	CHECK_EQ(run_child(refused_child, (void *)1), 42 << 8);
}

static void test_bad_mm(void)
{
	int p[2], fd, closed, reused;
	CHECK_OK(closed = mm_new());
	CHECK_OK(close(closed));
	refuse(closed);

	CHECK_OK(reused = mm_new());
	CHECK_OK(close(reused));
	CHECK_EQ(open("/tmp/altmm_forge", O_RDWR | O_CREAT | O_TRUNC, 0600), reused);
	refuse(reused);
	CHECK_OK(close(reused));
	CHECK_OK(unlink("/tmp/altmm_forge"));

	CHECK_OK(pipe(p));
	refuse(p[0]);
	refuse(p[1]);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(fd = open("/dev/null", O_RDWR));
	refuse(fd);
	CHECK_OK(close(fd));
	CHECK_OK(fd = open("/tmp", O_RDONLY));
	refuse(fd);
	CHECK_OK(close(fd));
	const int numbers[] = { 1024, 0x10000, 0x7fffffff, -2, -3, -100, (int)0x80000000 };
	for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
		refuse(numbers[i]);

	/* The home space's own descriptor: home, back where we raised the
	 * signal, where calls work and we are in ring 3. */
	int self;
	CHECK_OK(self = mm_self());
	bad_mm = self;
	enter_edit = forge_home;
	guest_enter(&g);
	enter_edit = NULL;
	CHECK_EQ(ntraps, 0);
	CHECK_EQ(getppid(), parent);
	check_ring3();
	CHECK_OK(close(self));
}

int main(void)
{
	require_altmm();
	pid_t dog = watchdog_child(120);
	ucs = user_cs();
	uss = user_ss();
	parent = getppid();
	altmm_setup();
	guest_new(&g, gc_start, GS(g_ring3_end) - G_CODE);
	test_entries();
	test_bad_mm();
	guest_free(&g);
	kicker_stop(dog);
	return 0;
}
