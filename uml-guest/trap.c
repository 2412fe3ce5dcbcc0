/*
 * Traps: the one way into the guest kernel, and the one way out of it.
 *
 * While a guest process runs, the host thread is in that process's host
 * space.  Whatever it does that a kernel must see (int $0x80, a fault, a
 * tick of our timer) comes back to us as a signal, delivered here, in our
 * own (home) space, on our sigaltstack, with the process's registers in
 * the frame and uc_mm naming its space.  We copy the registers into the
 * process table, act, pick the process to run next, put its registers in
 * the frame, set uc_mm to its space and return: rt_sigreturn lands in
 * that process.  There is no other way to run guest code.
 *
 * When nothing can run, the frame is pointed at idle() (boot.c), in our
 * own space (uc_mm = -1), which waits for the next signal.
 *
 * Per-thread host state that belongs to a guest process is ours to swap
 * on a switch, as a real kernel swaps it: its FPU registers (through the
 * frame's fpstate) and its TLS descriptors (host set_thread_area).
 *
 * Every signal we handle blocks all the others while it is handled, so
 * the kernel is never re-entered: what runs here runs alone.
 */
#include "uml.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <altmm.h>
#include <sys/syscall.h>

struct proc *current;
struct sigcontext home_regs;

/* A large alternate stack: the handler is the whole kernel (exec, fork...). */
#define ALTSTACK_SIZE (128 * 1024)
static uint8_t altstack[ALTSTACK_SIZE] __attribute__((aligned(16)));
static uint8_t idle_stack[16 * 1024] __attribute__((aligned(16)));

/* Whose FPU registers the host thread holds now (NULL: ours), and whether
 * they are still the state a program starts with: then a process whose
 * own state is that too can be entered with them as they are, a lean
 * frame, instead of having the host load 512 bytes that are the same. */
static struct proc *fpu_owner;
static int fpu_regs_clean;
/* The TLS descriptors installed in the host's three slots now, and the
 * process they were installed for (NULL: not known to be anyone's). */
static struct user_desc host_tls[GDT_ENTRY_TLS_ENTRIES];
static struct proc *tls_owner;

/* Traps of guest processes; our timer; our kick (idle); and the console's
 * ^C and ^\, which the host sends us and we pass on to the guest. */
static const int trap_signals[] = {
	SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGALRM, SIGUSR1, SIGINT, SIGQUIT,
};

void idle(void) __attribute__((noreturn));      /* boot.c */

/* The frame's registers become p's; and its FPU state, when the frame
 * carries one (a "lean" frame has none: p did not touch the FPU since we
 * entered it, so the state we entered it with, in p->fpu, still holds). */
static void save_regs(struct proc *p, const struct altmm_ucontext *uc)
{
	p->regs = uc->uc_mcontext;
	if (uc->uc_mcontext.fpstate) {
		memcpy(&p->fpu, (const void *)uc->uc_mcontext.fpstate, sizeof p->fpu);
		p->fpu_clean = 0;       /* it used the FPU */
	}
}

static int same_desc(const struct user_desc *a, const struct user_desc *b)
{
	return a->base_addr == b->base_addr && a->limit == b->limit && a->flags == b->flags;
}

/* Make the host thread's TLS slots p's, calling the host only for slots
 * that differ (most programs never set one).  Nothing at all to do when
 * p is the one they were installed for, and it did not change them. */
static void switch_tls(struct proc *p)
{
	if (p == tls_owner && !p->tls_changed)
		return;
	tls_owner = p;
	p->tls_changed = 0;
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		if (same_desc(&host_tls[i], &p->tls[i]))
			continue;
		struct user_desc d = p->tls[i];
		d.entry_number = GDT_ENTRY_TLS_MIN + i;
		if (__syscall1(__NR_set_thread_area, &d) < 0)
			klog("set_thread_area(%u) failed for pid %d", d.entry_number, p->pid);
		host_tls[i] = p->tls[i];
	}
}

/* Point the frame at idle(), in our own space, with our own segments. */
static void go_idle(struct altmm_ucontext *uc)
{
	uint32_t fpstate = uc->uc_mcontext.fpstate;
	uc->uc_mcontext = home_regs;
	uc->uc_mcontext.eip = (uint32_t)idle;
	/* As if called: (esp + 4) % 16 == 0, a null return address. */
	uc->uc_mcontext.esp = (uint32_t)idle_stack + sizeof idle_stack - 4;
	*(uint32_t *)uc->uc_mcontext.esp = 0;
	uc->uc_mcontext.fpstate = fpstate;
	uc->uc_mm = -1;
	current = NULL;
}

/* Put p's registers in the frame and its space in uc_mm. */
static void enter(struct altmm_ucontext *uc, struct proc *p, struct proc *interrupted)
{
	uint32_t fpstate = uc->uc_mcontext.fpstate;
	/* The selectors as p has them: the host leaves them to the CPU, as
	 * Linux does (sigframe.c, restore). */
	uc->uc_mcontext = p->regs;
	if (p == interrupted && p == fpu_owner && !p->fpu_changed)
		uc->uc_mcontext.fpstate = fpstate;      /* the frame holds p's already */
	else if (!fpstate && fpu_regs_clean && p->fpu_clean)
		uc->uc_mcontext.fpstate = 0;            /* lean: the registers are p's already */
	else
		uc->uc_mcontext.fpstate = (uint32_t)&p->fpu;
	p->fpu_changed = 0;
	fpu_owner = p;
	fpu_regs_clean = p->fpu_clean;
	switch_tls(p);
	uc->uc_mm = p->mm->fd;
	current = p;
}

/* Every signal we handle lands here. */
static void trap(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	struct proc *p = NULL;

	/* The fast path: a call of the running process that it can have
	 * answered at once (syscall.c), with its registers still in the frame
	 * and its FPU state where the host keeps it (a lean frame). */
	if (sig == SIGSYS && current && uc->uc_mm == current->mm->fd && !uc->uc_mcontext.fpstate &&
	    syscall_fast(current, &uc->uc_mcontext))
		return;

	/* The host hands us the interrupted process's %fs and %gs as they
	 * were.  Drop them before anything else: if they name a TLS slot that
	 * switch_tls empties, the host's next return from a system call to us
	 * would reload a dead selector (which panics the host kernel). */
	__asm__ volatile("movw %w0, %%fs; movw %w0, %%gs" : : "r"(0));

	if (uc->uc_mm != -1) {
		p = current;
		if (!p || uc->uc_mm != p->mm->fd)
			panic("signal %d from space %d, not the current process's", sig, uc->uc_mm);
		save_regs(p, uc);
		if (sig == SIGSYS)
			syscall_entry(p);
		else if (sig == SIGALRM)
			itimer_charge(p);       /* the tick found it running */
		else if (sig != SIGUSR1 && sig != SIGINT && sig != SIGQUIT)
			fault_entry(p, sig, si);
	} else if (sig != SIGALRM && sig != SIGUSR1 && sig != SIGINT && sig != SIGQUIT) {
		panic("signal %d in the guest kernel itself, at %#x (address %p)",
		      sig, uc->uc_mcontext.eip, si->si_addr);
	}
	if (sig == SIGINT || sig == SIGQUIT)
		console_signal(sig);
	if (sig == SIGALRM || sig == SIGUSR1)
		sched_tick(sig == SIGALRM);

	/* Who runs next: deliver its pending signals first (which may
	 * kill it, and then someone else runs). */
	struct proc *next;
	while ((next = sched_pick()) && !sig_deliver(next))
		;
	if (next) {
		enter(uc, next, p);
	} else if (uc->uc_mm != -1) {
		fpu_owner = NULL;
		fpu_regs_clean = 0;
		go_idle(uc);
	}
	/* else: we interrupted idle() and it goes on idling. */
}

void trap_init(void)
{
	/* Our own segments, for going home to idle() and for new processes. */
	uint32_t cs, ss, ds, es;
	__asm__ volatile("movl %%cs, %0; movl %%ss, %1; movl %%ds, %2; movl %%es, %3"
	                 : "=r"(cs), "=r"(ss), "=r"(ds), "=r"(es));
	memset(&home_regs, 0, sizeof home_regs);
	home_regs.cs = cs;
	home_regs.ss = ss;
	home_regs.ds = ds;
	home_regs.es = es;
	home_regs.eflags = 0x202;               /* IF (the host ignores it) and bit 1 */

	stack_t ss_ = { .ss_sp = altstack, .ss_size = ALTSTACK_SIZE };
	if (sigaltstack(&ss_, NULL) < 0)
		boot_fail("sigaltstack: %s", strerror(errno));
	int self = mm_self();
	if (self < 0)
		boot_fail("no /proc/self/mm (%s): this kernel has no altmm (built with ALTMM=0?)",
		          strerror(errno));
	int probe = mm_new();                   /* every guest process needs one */
	if (probe < 0)
		boot_fail("no new address spaces from /proc/new-mm: %s", strerror(errno));
	close(probe);
	if (sigaltmm(self) < 0)
		boot_fail("sigaltmm: %s", strerror(errno));
	close(self);                            /* sigaltmm keeps its own reference */

	/* Each handler blocks every other: the kernel is never re-entered. */
	struct sigaction_mm sa = {
		.sa = { .sa_sigaction = trap, .sa_flags = SA_SIGINFO | SA_IN_MM | SA_ONSTACK },
		.sa_mm = -1,
	};
	sigemptyset(&sa.sa.sa_mask);
	for (unsigned i = 0; i < sizeof trap_signals / sizeof trap_signals[0]; i++)
		sigaddset(&sa.sa.sa_mask, trap_signals[i]);
	for (unsigned i = 0; i < sizeof trap_signals / sizeof trap_signals[0]; i++)
		if (sigaction_mm(trap_signals[i], &sa, NULL) < 0)
			boot_fail("sigaction_mm(%d): %s", trap_signals[i], strerror(errno));
	/* The empty descriptor is what every slot holds before anyone sets it. */
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		tls_clear(&host_tls[i]);
}

/* Start: look for work now rather than at the first tick. */
void enter_first(void)
{
	raise(SIGUSR1);
}
