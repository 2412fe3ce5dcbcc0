/*
 * What code in a guest space cannot do, and frames that are refused:
 *
 *   - make a host system call: every int $0x80 is SIGSYS, whatever the
 *     number (write, exit, kill, rt_sigreturn, the altmm calls...), and
 *     the other ways in (sysenter, syscall, other int $n) are faults;
 *   - read or write the home space: a fault at that address comes to us;
 *   - get its frames written into our memory by pointing esp there: the
 *     frame goes to the top of our sigaltstack;
 *   - gain privilege through the frame that enters it: a kernel cs gives
 *     SIGILL (ILL_BADSTK), IOPL/NT/VM/IF are not taken from eflags, data
 *     selectors that cannot be loaded become 0 (as sig_forge for ordinary
 *     frames);
 *   - be entered through a descriptor that is not an address space, or a
 *     closed one: rt_sigreturn refuses the frame with SIGSEGV (SI_KERNEL)
 *     and nothing changes (still home, the handler's blocked set).
 *
 * (altmm_sigaction checks rt_sigaction's and sigaltmm's own arguments.)
 */
#include "altmm_guest.h"

extern const char g_flags[], g_segs[], g_sysenter[], g_syscall[], g_int81[], g_hlt[], g_inb[],
	g_int3[], g_int3_after[];
__asm__(GUEST_MACROS GUEST_COMMON
	".section .rodata\n"
	"g_flags:	pushfl\n	popl %eax\n	int $0x80\n	cli\n	ud2\n"
	"g_segs:	movl %ds, %eax\n	movl %es, %ebx\n	movl %fs, %ecx\n	movl %gs, %edx\n"
	"	int $0x80\n"
	"g_sysenter:	sysenter\n"
	"g_syscall:	syscall\n"
	"g_int81:	int $0x81\n"
	"g_hlt:	hlt\n"
	"g_inb:	inb $0x60, %al\n"
	"g_int3:	int3\n"
	"g_int3_after:	ud2\n"
	".text\n");
#define GS(label) GADDR(gc_start, label)   /* the blocks above follow gc_end */

static struct guest g;
static volatile uint32_t secret = 0x5ec2e7;
static uint8_t home_page[PAGE] __attribute__((aligned(PAGE)));
static int resume_once;

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	(void)sig, (void)si;
	CHECK(in_altstack((uint32_t)uc));
	if (resume_once) {              /* look, and let the guest go on */
		resume_once = 0;
		return;
	}
	go_home(uc);
}

/* Enter at eip with registers r (NULL: zeros) and the stack at esp. */
static void run_at(uint32_t eip, const uint32_t *r, uint32_t esp)
{
	memset(&enter_regs, 0, sizeof enter_regs);
	enter_regs.eip = eip;
	enter_regs.esp = esp;
	if (r) {
		enter_regs.eax = r[0]; enter_regs.ebx = r[1]; enter_regs.ecx = r[2];
		enter_regs.edx = r[3]; enter_regs.esi = r[4]; enter_regs.edi = r[5];
	}
	guest_enter(&g);
}

static void test_no_syscalls(void)
{
	int p[2];
	CHECK_OK(pipe2(p, O_NONBLOCK));
	/* The message at G_DATA + 0x200, mapped at that address here too, so
	 * that a write executed by the host would find it. */
	memcpy(g.mem + PAGE + 0x200, "LEAK\n", 5);
	CHECK((uint32_t)mmap((void *)G_DATA, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE,
	                     g.memfd, PAGE) == G_DATA);
	const uint32_t calls[][7] = {
		{ __NR_write, p[1], G_DATA + 0x200, 5 },
		{ __NR_exit, 3 },
		{ __NR_kill, getpid(), SIGKILL },
		{ __NR_getpid },
		{ __NR_rt_sigreturn },
		{ __NR_sigreturn },
		{ __NR_munmap, G_CODE, PAGE },
		{ __NR_mm_munmap, 0, G_CODE, PAGE },
		{ __NR_sigaltmm, -1 },
		{ 0xffffffff, 1, 2, 3, 4, 5 },
	};
	for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		run_at(GC(gc_sys), calls[i], G_STACK_TOP);
		CHECK_EQ(ntraps, 1);
		struct trap *t = &traps[0];
		CHECK_EQ(t->sig, SIGSYS);
		CHECK_EQ(t->si.si_code, SYS_USER_DISPATCH);
		CHECK_EQ(t->si.si_syscall, (int)calls[i][0]);
		CHECK_EQ(t->sc.eax, calls[i][0]);
		CHECK_EQ(t->sc.ebx, calls[i][1]);
		CHECK_EQ(t->sc.ecx, calls[i][2]);
		CHECK_EQ(t->sc.edx, calls[i][3]);
		CHECK_EQ(t->sc.esi, calls[i][4]);
		CHECK_EQ(t->sc.edi, calls[i][5]);
		CHECK_EQ(t->mm, g.mm);
	}
	char c;
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);           /* nothing was written */
	CHECK_OK(munmap((void *)G_DATA, PAGE));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));

	/* The other doors: faults, not calls. */
	static const struct { const char *at; int sig, code, trapno; uint32_t err; } doors[] = {
		{ g_sysenter, SIGSEGV, SI_KERNEL, 13, 0 },              /* no SYSENTER_CS: #GP */
		{ g_syscall, SIGILL, ILL_ILLOPN, 6, 0 },                /* #UD in 32-bit mode */
		{ g_int81, SIGSEGV, SI_KERNEL, 13, 0x81 * 8 + 2 },      /* a DPL 0 gate */
		{ g_hlt, SIGSEGV, SI_KERNEL, 13, 0 },                   /* privileged */
		{ g_inb, SIGSEGV, SI_KERNEL, 13, 0 },                   /* no I/O permission */
		{ g_int3, SIGTRAP, SI_KERNEL, 3, 0 },
	};
	for (unsigned i = 0; i < sizeof doors / sizeof doors[0]; i++) {
		run_at(GS(doors[i].at), NULL, G_STACK_TOP);
		CHECK_EQ(ntraps, 1);
		CHECK_EQ(traps[0].sig, doors[i].sig);
		CHECK_EQ(traps[0].si.si_code, doors[i].code);
		CHECK_EQ(traps[0].sc.trapno, doors[i].trapno);
		CHECK_EQ(traps[0].sc.err, doors[i].err);
	}
	CHECK_EQ(traps[0].sc.eip, GS(g_int3_after));    /* int3 is a trap: after it */
}

/* Our memory is not there: every access faults, and comes to us. */
static void test_no_home(void)
{
	uint32_t local = 7;
	const uint32_t reads[] = { (uint32_t)&secret, (uint32_t)&local, (uint32_t)run_at, 0xc0001000 };
	for (unsigned i = 0; i < 4; i++) {
		uint32_t r[7] = { 0, reads[i] };
		run_at(GC(gc_read), r, G_STACK_TOP);
		CHECK_EQ(ntraps, 1);
		CHECK_EQ(traps[0].sig, SIGSEGV);
		CHECK_EQ(traps[0].si.si_code, SEGV_MAPERR);
		CHECK_EQ((uint32_t)traps[0].si.si_addr, reads[i]);
		CHECK_EQ(traps[0].sc.cr2, reads[i]);
		CHECK_EQ(traps[0].sc.trapno, 14);
		CHECK_EQ(traps[0].sc.err, reads[i] >= 0xc0000000 ? 5 : 4);
		CHECK_EQ(traps[0].sc.eip, GC(gc_read));
	}
	uint32_t w[7] = { 0, (uint32_t)&secret, 0xbad };
	run_at(GC(gc_write), w, G_STACK_TOP);
	CHECK_EQ(traps[0].sig, SIGSEGV);
	CHECK_EQ(traps[0].sc.err, 6);
	CHECK_EQ(secret, 0x5ec2e7);

	/* A guest esp pointing at our memory, or into our sigaltstack: the
	 * frame still goes at the top of the sigaltstack. */
	memset(home_page, 0x77, PAGE);
	run_at(GC(gc_sys), NULL, (uint32_t)home_page + PAGE / 2);
	CHECK_EQ(traps[0].sc.esp, (uint32_t)home_page + PAGE / 2);
	for (int i = 0; i < PAGE; i++)
		CHECK_EQ(home_page[i], 0x77);
	uint32_t inside = (uint32_t)altstack + 1024;
	run_at(GC(gc_sys), NULL, inside);
	CHECK(traps[0].frame > (uint32_t)altstack + ALTSTACK_SIZE - 2048);
}

/* Forged entries. */
static int forge_case, forge_mm;
static void forge(struct altmm_ucontext *uc)
{
	struct sigcontext *sc = &uc->uc_mcontext;
	switch (forge_case) {
	case 0: sc->cs = (sc->cs & ~3) - 0x10; break;          /* the kernel's code */
	case 1: sc->ss = (sc->cs & ~3) - 8; break;             /* the kernel's data */
	case 2: sc->eflags = (sc->eflags | X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM)
	                     & ~X86_EFLAGS_IF; break;
	case 3: sc->ds = sc->es = (sc->cs & ~3) - 8; sc->fs = sc->gs = 0xfff8; break;
	case 4: uc->uc_mm = forge_mm; break;
	case 5: uc->uc_mcontext = home_sc; uc->uc_mm = forge_mm; break;    /* home, by descriptor */
	}
}

/* The refused rt_sigreturn, caught: still home, at the restorer, with
 * the entry handler's blocked set (SIGUSR1 in it). */
static void refused(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	(void)sig;
	if (si->si_code != SI_KERNEL || uc->uc_mm != -1)
		_exit(3);
	if (uc->uc_mcontext.eip != (uint32_t)__restore_rt + 7)
		_exit(4);
	if (!(uc->uc_sigmask & sigmask(SIGUSR1)))
		_exit(5);
	_exit(42);
}

static int forged_child(void *arg)
{
	forge_case = (intptr_t)arg & 0xff;
	enter_edit = forge;
	set_disp(SIGILL, SIG_DFL);
	set_disp(SIGSEGV, SIG_DFL);
	if ((intptr_t)arg & 0x100)
		catch_mm(SIGSEGV, refused, SA_ONSTACK);
	run_at(GC(gc_sys), NULL, G_STACK_TOP);
	return 1;
}

static void test_forged(void)
{
	int p[2], f, self;

	CHECK_EQ(run_child(forged_child, (void *)0), SIGILL);
	CHECK_EQ(run_child(forged_child, (void *)1), SIGILL);

	/* eflags: the guest reads its own (as the call number), then tries cli. */
	enter_edit = forge;
	forge_case = 2;
	resume_once = 1;
	run_at(GS(g_flags), NULL, G_STACK_TOP);
	CHECK_EQ(ntraps, 2);
	uint32_t fl = (uint32_t)traps[0].si.si_syscall;
	CHECK_EQ(fl & (X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM | X86_EFLAGS_IF), X86_EFLAGS_IF);
	CHECK_EQ(traps[1].sig, SIGSEGV);
	CHECK_EQ(traps[1].sc.trapno, 13);
	CHECK_EQ(traps[1].sc.eip, GS(g_flags) + 4);

	/* Selectors that cannot be loaded: 0 in the guest. */
	forge_case = 3;
	run_at(GS(g_segs), NULL, G_STACK_TOP);
	CHECK_EQ(traps[0].sig, SIGSYS);
	CHECK_EQ(traps[0].sc.eax, 0);
	CHECK_EQ(traps[0].sc.ebx, 0);
	CHECK_EQ(traps[0].sc.ecx, 0);
	CHECK_EQ(traps[0].sc.edx, 0);
	CHECK_EQ(traps[0].sc.ds, 0);
	enter_edit = NULL;

	/* uc_mm naming no address space: refused, in a child. */
	CHECK_OK(pipe(p));
	CHECK_OK(f = open("/tmp/altmm_security", O_RDWR | O_CREAT | O_TRUNC, 0600));
	const int bad[] = { p[0], f, 9999, -2, 0x7fffffff };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		forge_mm = bad[i];
		CHECK_EQ(run_child(forged_child, (void *)4), SIGSEGV);
		CHECK_EQ(run_child(forged_child, (void *)(4 | 0x100)), 42 << 8);
	}
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(f));
	CHECK_OK(unlink("/tmp/altmm_security"));

	/* Our own space through its descriptor is just home: calls work. */
	CHECK_OK(self = mm_self());
	forge_mm = self;
	forge_case = 5;
	enter_edit = forge;
	CHECK_EQ(raise(SIGUSR1), 0);
	enter_edit = NULL;
	CHECK_EQ(getppid() > 0, 1);
	CHECK_OK(close(self));
	run_at(GC(gc_sys), NULL, G_STACK_TOP);  /* the entry handler sees uc_mm -1 again */
	CHECK_EQ(traps[0].sig, SIGSYS);
}

int main(void)
{
	require_altmm();
	pid_t dog = watchdog_child(120);
	altmm_setup();
	guest_new(&g, gc_start, GS(g_int3_after) + 2 - G_CODE);
	test_no_syscalls();
	test_no_home();
	test_forged();
	guest_free(&g);
	kicker_stop(dog);
	return 0;
}
