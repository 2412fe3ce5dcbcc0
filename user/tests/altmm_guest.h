/*
 * altmm_guest.h: a tiny user-mode "kernel" for the altmm_* tests.
 *
 * A guest is a second address space built by hand:
 *
 *   G_CODE   memfd page 0, read + exec: the guest code (copied in by us)
 *   G_DATA   memfd page 1, read + write: what the guest reports; we read
 *            it back through our own mapping of the memfd (g->data)
 *   G_STACK  G_STACK_PAGES anonymous private pages below G_STACK_TOP,
 *            demand-zero in the guest space (no signal comes for them)
 *   memfd pages 2 and 3 are spare, for faults that we repair
 *
 * Guest code is position-independent assembly in a test file, between a
 * start and an end label; GADDR() gives a label's address in the guest.
 *
 * altmm_setup() makes our home space the sigaltmm space, gives us a
 * sigaltstack and installs SA_IN_MM | SA_SIGINFO | SA_ONSTACK handlers
 * for the trap signals (trap_handler) and one for SIGUSR1 without
 * SA_ONSTACK (enter_handler).  guest_run() raises SIGUSR1: its handler
 * saves the home registers it interrupted, puts the guest registers and
 * the guest's descriptor into the frame, and returns: the guest runs.
 * Every trap comes back to trap_handler, which logs it and calls the
 * test's on_trap(); that edits the frame to resume the guest, or calls
 * go_home(), which puts the saved home registers and uc_mm = -1 in the
 * frame: raise() then returns 0 in guest_run().
 */
#ifndef ALTMM_GUEST_H
#define ALTMM_GUEST_H

#include "sigcheck.h"
#include <altmm.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define G_CODE          0x10000000u
#define G_DATA          0x10001000u
#define G_STACK_TOP     0x10104000u
#define G_STACK_PAGES   4
#define G_MEMFD_PAGES   4

#define GADDR(start, label) (G_CODE + (uint32_t)((char *)(label) - (char *)(start)))

/*
 * Assembler macros for guest code (put GUEST_MACROS first in the test's
 * one asm block): SAVE off stores eax ebx ecx edx esi edi ebp esp at
 * G_DATA + off (eight words, flags untouched); LOAD v sets eax..ebp to
 * v, v + 1, ... v + 6, so that a test can tell each register apart.
 */
#define GUEST_MACROS \
	".macro SAVE off\n" \
	"	movl %eax, 0x10001000+\\off\n	movl %ebx, 0x10001004+\\off\n" \
	"	movl %ecx, 0x10001008+\\off\n	movl %edx, 0x1000100c+\\off\n" \
	"	movl %esi, 0x10001010+\\off\n	movl %edi, 0x10001014+\\off\n" \
	"	movl %ebp, 0x10001018+\\off\n	movl %esp, 0x1000101c+\\off\n" \
	".endm\n" \
	".macro LOAD v\n" \
	"	movl $\\v, %eax\n	movl $\\v+1, %ebx\n	movl $\\v+2, %ecx\n" \
	"	movl $\\v+3, %edx\n	movl $\\v+4, %esi\n	movl $\\v+5, %edi\n" \
	"	movl $\\v+6, %ebp\n" \
	".endm\n"

/*
 * Small guest routines for the tests that need no code of their own
 * (GUEST_COMMON, after GUEST_MACROS in the test's asm block); each loops
 * so that returning into it again repeats it:
 *   gc_sys    int $0x80 with the registers as entered
 *   gc_spin   sets W_SPINNING, counts in W_COUNT until W_RELEASE is set,
 *             clears it and makes call 7
 *   gc_push   pushes onto its stack (a page of its own, demand-zero),
 *             then makes call 8
 *   gc_read   eax = *(uint32_t *)ebx, then int $0x80: the value read is
 *             the call number (si_syscall)
 *   gc_write  *(uint32_t *)ebx = ecx, then call 9
 *   gc_ud2, gc_div0   an invalid opcode, a division by zero
 */
#define W_SPINNING      0xf00
#define W_COUNT         0xf04
#define W_RELEASE       0xf08
#define GUEST_COMMON \
	".section .rodata\n" \
	"gc_start:\n" \
	"gc_sys:	int $0x80\n	jmp gc_sys\n" \
	"gc_spin:	movl $1, 0x10001f00\n" \
	"1:	incl 0x10001f04\n	cmpl $0, 0x10001f08\n	je 1b\n" \
	"	movl $0, 0x10001f08\n	movl $7, %eax\n	int $0x80\n	jmp gc_spin\n" \
	"gc_push:	pushl $1\n	pushl $2\n	popl %eax\n	popl %eax\n" \
	"	movl $8, %eax\n	int $0x80\n	jmp gc_push\n" \
	"gc_read:	movl (%ebx), %eax\n	int $0x80\n	jmp gc_read\n" \
	"gc_write:	movl %ecx, (%ebx)\n	movl $9, %eax\n	int $0x80\n	jmp gc_write\n" \
	"gc_ud2:	ud2\n" \
	"gc_div0:	xorl %ecx, %ecx\n	cltd\n	idivl %ecx\n" \
	"gc_end:\n" \
	".text\n"
extern const char gc_start[], gc_sys[], gc_spin[], gc_push[], gc_read[], gc_write[],
	gc_ud2[], gc_div0[], gc_end[];
#define GC(label) GADDR(gc_start, label)

/* Check eight words saved by SAVE against LOAD v's values (eax and esp apart). */
#define CHECK_LOADED(w, v, eax_, esp_) do { \
	CHECK_EQ((w)[0], eax_); \
	for (int _i = 1; _i < 7; _i++) \
		CHECK_EQ((w)[_i], (uint32_t)(v) + _i); \
	CHECK_EQ((w)[7], esp_); \
} while (0)

struct guest {
	int mm;                         /* the descriptor of its space */
	int memfd;                      /* its memory */
	uint8_t *mem;                   /* the memfd, mapped here */
	volatile uint32_t *data;        /* = mem + PAGE: its G_DATA page */
};

/* Build a guest running code[0..len) at G_CODE. */
static inline void guest_new(struct guest *g, const void *code, size_t len)
{
	CHECK(len <= PAGE);
	CHECK_OK(g->memfd = memfd_create("altmm-guest", MFD_CLOEXEC));
	CHECK_OK(ftruncate(g->memfd, G_MEMFD_PAGES * PAGE));
	g->mem = mmap(NULL, G_MEMFD_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, g->memfd, 0);
	CHECK(g->mem != MAP_FAILED);
	g->data = (volatile uint32_t *)(g->mem + PAGE);
	memcpy(g->mem, code, len);
	CHECK_OK(g->mm = mm_new());
	CHECK_EQ((uint32_t)mm_mmap(g->mm, (void *)G_CODE, PAGE, PROT_READ | PROT_EXEC,
	                           MAP_SHARED | MAP_FIXED, g->memfd, 0), G_CODE);
	CHECK_EQ((uint32_t)mm_mmap(g->mm, (void *)G_DATA, PAGE, PROT_READ | PROT_WRITE,
	                           MAP_SHARED | MAP_FIXED, g->memfd, 1), G_DATA);
	uint32_t stack = G_STACK_TOP - G_STACK_PAGES * PAGE;
	CHECK_EQ((uint32_t)mm_mmap(g->mm, (void *)stack, G_STACK_PAGES * PAGE, PROT_READ | PROT_WRITE,
	                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), stack);
}

static inline void guest_free(struct guest *g)
{
	if (g->mm >= 0)
		CHECK_OK(close(g->mm));
	CHECK_OK(munmap(g->mem, G_MEMFD_PAGES * PAGE));
	CHECK_OK(close(g->memfd));
}

/* ---- The host side: handlers, entering and leaving ---- */

#define ALTSTACK_SIZE (4 * SIGSTKSZ)
static uint8_t altstack[ALTSTACK_SIZE] __attribute__((aligned(16)));

/* What the next entry loads: eip, esp, the general registers, uc_mm;
 * segments and eflags stay as the entry frame has them.  enter_edit, if
 * set, may then change anything in the frame (forged entries). */
static struct sigcontext enter_regs;
static int enter_mm;
static void (*enter_edit)(struct altmm_ucontext *uc);

static struct sigcontext home_sc;       /* where guest_run's raise() was */
static sigset_t home_mask;
static volatile int entries;

/* One log entry per trap. */
struct trap {
	int sig;
	siginfo_t si;
	struct sigcontext sc;
	uint32_t uc_flags;
	int mm;
	uint32_t frame;                 /* where the ucontext was */
};
#define MAX_TRAPS 64
static struct trap traps[MAX_TRAPS];
static volatile int ntraps;

/* The test's part: look at the trap, edit the frame (resume, repair, go home). */
static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc);

static inline void go_home(struct altmm_ucontext *uc)
{
	uint32_t fp = uc->uc_mcontext.fpstate;  /* the frame's own FPU area */
	uc->uc_mcontext = home_sc;
	uc->uc_mcontext.fpstate = fp;
	uc->uc_sigmask = home_mask;
	uc->uc_mm = -1;
}

static inline int in_altstack(uint32_t p)
{
	return p >= (uint32_t)altstack && p < (uint32_t)altstack + ALTSTACK_SIZE;
}

static void enter_handler(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;
	struct sigcontext *sc = &uc->uc_mcontext;

	CHECK_EQ(sig, SIGUSR1);
	CHECK_EQ((uint32_t)ucv - (uint32_t)si, offsetof(struct altmm_sigframe, uc) -
	         offsetof(struct altmm_sigframe, info));
	CHECK_EQ(uc->uc_flags & UC_ALTMM, UC_ALTMM);
	CHECK_EQ(uc->uc_mm, -1);                /* we were at home */
	CHECK(!in_altstack((uint32_t)uc));      /* no SA_ONSTACK: the home stack */
	home_sc = *sc;
	home_mask = uc->uc_sigmask;
	entries++;
	sc->eip = enter_regs.eip;
	sc->esp = enter_regs.esp;
	sc->eax = enter_regs.eax;
	sc->ebx = enter_regs.ebx;
	sc->ecx = enter_regs.ecx;
	sc->edx = enter_regs.edx;
	sc->esi = enter_regs.esi;
	sc->edi = enter_regs.edi;
	sc->ebp = enter_regs.ebp;
	uc->uc_mm = enter_mm;
	if (enter_edit)
		enter_edit(uc);
}

static void trap_handler(int sig, siginfo_t *si, void *ucv)
{
	struct altmm_ucontext *uc = ucv;

	if (ntraps < MAX_TRAPS) {
		struct trap *t = &traps[ntraps];
		t->sig = sig;
		t->si = *si;
		t->sc = uc->uc_mcontext;
		t->uc_flags = uc->uc_flags;
		t->mm = uc->uc_mm;
		t->frame = (uint32_t)uc;
	}
	ntraps++;
	CHECK(ntraps <= MAX_TRAPS);
	CHECK_EQ(uc->uc_flags & UC_ALTMM, UC_ALTMM);
	on_trap(sig, si, uc);
}

static inline void catch_mm(int sig, void (*fn)(int, siginfo_t *, void *), unsigned flags)
{
	struct sigaction_mm sa = {
		.sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | SA_IN_MM | flags },
		.sa_mm = -1,
	};
	CHECK_OK(sigaction_mm(sig, &sa, NULL));
}

static const int trap_signals[] = {
	SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGALRM, SIGVTALRM, SIGHUP,
};

/* Block mask (as well as the signal itself) while any trap handler runs. */
static inline void trap_handlers_block(sigset_t mask)
{
	for (unsigned i = 0; i < sizeof trap_signals / sizeof trap_signals[0]; i++) {
		struct sigaction_mm sa;
		CHECK_OK(sigaction_mm(trap_signals[i], NULL, &sa));
		sa.sa.sa_mask |= mask;
		CHECK_OK(sigaction_mm(trap_signals[i], &sa, NULL));
	}
}

/* Our home space for SA_IN_MM handlers, an altstack, the handlers. */
static inline void altmm_setup(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = ALTSTACK_SIZE };
	int self;

	set_mask(0);
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK_OK(self = mm_self());
	CHECK_OK(sigaltmm(self));
	CHECK_OK(close(self));                  /* sigaltmm keeps its own reference */
	catch_mm(SIGUSR1, enter_handler, 0);
	for (unsigned i = 0; i < sizeof trap_signals / sizeof trap_signals[0]; i++)
		catch_mm(trap_signals[i], trap_handler, SA_ONSTACK);
}

/* Enter g with enter_regs; back when on_trap calls go_home().  The trap
 * log starts afresh. */
static inline void guest_enter(struct guest *g)
{
	enter_mm = g->mm;
	ntraps = 0;
	CHECK_EQ(raise(SIGUSR1), 0);            /* returns when the guest went home */
}

/* Enter g at eip with the stack at G_STACK_TOP and registers r[0..6] =
 * eax ebx ecx edx esi edi ebp (all 0 when r is NULL). */
static inline void guest_run(struct guest *g, uint32_t eip, const uint32_t r[7])
{
	memset(&enter_regs, 0, sizeof enter_regs);
	enter_regs.eip = eip;
	enter_regs.esp = G_STACK_TOP;
	if (r) {
		enter_regs.eax = r[0]; enter_regs.ebx = r[1]; enter_regs.ecx = r[2];
		enter_regs.edx = r[3]; enter_regs.esi = r[4]; enter_regs.edi = r[5];
		enter_regs.ebp = r[6];
	}
	guest_enter(g);
}

/* MemFree + Slab from /proc/meminfo, in kB (what runtests compares). */
static inline long mem_free_kb(void)
{
	static char buf[2048];
	long kb = 0;
	int fd, n;
	CHECK_OK(fd = open("/proc/meminfo", O_RDONLY));
	CHECK_OK(n = read(fd, buf, sizeof buf - 1));
	buf[n] = 0;
	close(fd);
	static const char *const keys[] = { "\nMemFree:", "\nSlab:" };
	for (int i = 0; i < 2; i++) {
		char *p = strstr(buf, keys[i]);
		CHECK(p != NULL);
		kb += strtol(p + strlen(keys[i]), NULL, 10);
	}
	return kb;
}

/*
 * A watchdog that works while SIGALRM is in use: a child that SIGKILLs us
 * after s seconds, and leaves as soon as we are gone.  kicker_stop() ends it.
 * It only stops a hang: every test gives it 120 s, since under the suite's
 * slow clock (a tick every ~10,000 instructions) 30 s of time is only 30
 * million instructions, which altmm_switch once needed more than.
 */
static inline pid_t watchdog_child(int s)
{
	pid_t parent = getpid(), pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		for (int ms = 0; ms < s * 1000; ms += 50) {
			sleep_ms(50);
			if (getppid() != parent)
				_exit(0);
		}
		kill(parent, SIGKILL);
		_exit(1);
	}
	return pid;
}

#endif
