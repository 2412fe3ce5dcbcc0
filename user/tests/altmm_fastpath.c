/*
 * The guest trap fast path (kernel/altmm/fastpath.c) builds the frame of
 * a SIGSYS or a fault from a guest space by itself, in the usual case; the
 * general path (signal_build_frame) builds every other.  They must agree
 * byte for byte, or a guest kernel would see a different frame depending
 * on what else happened to be going on.
 *
 * The same trap, with the same registers, flags and blocked set, is taken
 * twice: an int $0x80, then (a second round) a load from an unmapped
 * address.  First the handler is installed as usual, sa_mm = -1 (run in
 * the sigaltmm space): the fast path's case.  Then it is installed with
 * sa_mm naming that same space by a descriptor, which the fast path
 * leaves to the general one; the frame must not change, since the space,
 * the stack and everything else are the same.  The two frames are
 * compared whole, pretcode to retcode, over an alternate stack filled
 * with garbage first, and the first is checked field by field as well (so
 * that both being wrong the same way fails too).
 */
#include "altmm_guest.h"

#define CALL 4321
#define HOLE 0x10300000u	/* never mapped in the guest */
#define BIT(sig) (1ull << ((sig) - 1))

extern const char f_start[], f_int[], f_load[], f_end[];
__asm__(GUEST_MACROS
	".section .rodata\n"
	"f_start:\n"
	"	LOAD 0x51510000\n"
	"	movl $4321, %eax\n"
	"f_int:	int $0x80\n"
	"	jmp f_start\n"
	"f_fault:\n"
	"	LOAD 0x51510000\n"
	"	movl $0x10300000, %eax\n"
	"f_load:	movl (%eax), %eax\n"
	"	jmp f_fault\n"
	"f_end:\n"
	".text\n");
extern const char f_fault[];

static struct guest g;
static int self_fd, trap_sig;
static uint32_t restart;	/* where the trap's code starts, to take it again */
static struct altmm_sigframe frames[2];
static uint32_t frame_at[2];

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	(void)si;
	int n = ntraps - 1;
	CHECK_EQ(sig, trap_sig);
	CHECK(n < 2);
	frame_at[n] = (uint32_t)uc - offsetof(struct altmm_sigframe, uc);
	memcpy(&frames[n], (void *)frame_at[n], sizeof frames[n]);
	if (n == 0) {
		/* The same handler, its space named by a descriptor this time. */
		struct sigaction_mm sa = {
			.sa = { .sa_sigaction = trap_handler, .sa_flags = SA_SIGINFO | SA_IN_MM | SA_ONSTACK },
			.sa_mm = self_fd,
		};
		CHECK_OK(sigaction_mm(trap_sig, &sa, NULL));
		uc->uc_mcontext.eip = restart;	/* the same trap again */
		return;
	}
	catch_mm(trap_sig, trap_handler, SA_ONSTACK);	/* as altmm_setup had it */
	go_home(uc);
}

/* Take the trap at code twice; check the first frame's fields and that
 * the second is the same in every byte. */
static void compare(const char *what, int sig, const char *code, const char *at)
{
	trap_sig = sig;
	restart = GADDR(f_start, code);
	memset(altstack, 0xa5, sizeof altstack);
	guest_run(&g, restart, NULL);
	CHECK_EQ(ntraps, 2);

	const struct altmm_sigframe *f = &frames[0];
	uint32_t frame = frame_at[0];
	CHECK_EQ(f->sig, sig);
	CHECK_EQ(f->pinfo, frame + offsetof(struct altmm_sigframe, info));
	CHECK_EQ(f->puc, frame + offsetof(struct altmm_sigframe, uc));
	CHECK(in_altstack(frame) && in_altstack(frame + sizeof *f - 1));
	CHECK_EQ((frame + 4) % 16, 0);
	CHECK_EQ(f->info.si_signo, sig);
	CHECK_EQ(f->info.si_errno, 0);
	const struct sigcontext *sc = &f->uc.uc_mcontext;
	if (sig == SIGSYS) {
		CHECK_EQ(f->info.si_code, SYS_USER_DISPATCH);
		CHECK_EQ((uint32_t)f->info.si_call_addr, GADDR(f_start, at) + 2);
		CHECK_EQ(f->info.si_syscall, CALL);
		CHECK_EQ(f->info.si_arch, AUDIT_ARCH_I386);
		CHECK_EQ(sc->eax, CALL);
		CHECK_EQ(sc->eip, GADDR(f_start, at) + 2);
		CHECK_EQ(sc->trapno, 0x80);
		CHECK_EQ(sc->err, 0);
	} else {
		CHECK_EQ(f->info.si_code, SEGV_MAPERR);
		CHECK_EQ((uint32_t)f->info.si_addr, HOLE);
		for (size_t i = 16; i < 24; i++)	/* the rest of the fault's words */
			CHECK_EQ(((const uint8_t *)&f->info)[i], 0);
		CHECK_EQ(sc->eax, HOLE);
		CHECK_EQ(sc->eip, GADDR(f_start, at));
		CHECK_EQ(sc->trapno, 14);
		CHECK_EQ(sc->err, 4);		/* a read, from user mode, of nothing */
		CHECK_EQ(sc->cr2, HOLE);
	}
	for (size_t i = 24; i < sizeof f->info; i++)	/* the rest of the siginfo: zero */
		CHECK_EQ(((const uint8_t *)&f->info)[i], 0);
	CHECK_EQ(f->uc.uc_flags, UC_ALTMM);
	CHECK_EQ(f->uc.uc_link, 0);
	CHECK_EQ((uint32_t)f->uc.uc_stack.ss_sp, (uint32_t)altstack);
	CHECK_EQ(f->uc.uc_stack.ss_size, ALTSTACK_SIZE);
	CHECK_EQ(f->uc.uc_stack.ss_flags, 0);
	CHECK_EQ(sc->ebx, 0x51510001);
	CHECK_EQ(sc->ecx, 0x51510002);
	CHECK_EQ(sc->edx, 0x51510003);
	CHECK_EQ(sc->esi, 0x51510004);
	CHECK_EQ(sc->edi, 0x51510005);
	CHECK_EQ(sc->ebp, 0x51510006);
	CHECK_EQ(sc->esp, G_STACK_TOP);
	CHECK_EQ(sc->esp_at_signal, G_STACK_TOP);
	CHECK_EQ(sc->fpstate, 0);	/* lean: the guest never used the FPU */
	CHECK_EQ(sc->oldmask, BIT(SIGUSR2));
	CHECK_EQ(f->uc.uc_sigmask, BIT(SIGUSR2) | BIT(SIGRTMIN + 3));
	CHECK_EQ(f->uc.uc_mm, g.mm);
	static const uint8_t retcode[8] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 };
	CHECK_EQ(memcmp(f->retcode, retcode, 8), 0);

	CHECK_EQ(frame_at[1], frame_at[0]);
	const uint8_t *a = (const uint8_t *)&frames[0], *b = (const uint8_t *)&frames[1];
	for (size_t i = 0; i < sizeof frames[0]; i++)
		if (a[i] != b[i])
			check_fail(__FILE__, __LINE__, "%s: the frames differ at byte %u: %#x (fast path), "
			           "%#x (general)", what, (unsigned)i, a[i], b[i]);
}

int main(void)
{
	require_altmm();
	altmm_setup();
	CHECK_OK(self_fd = mm_self());
	guest_new(&g, f_start, f_end - f_start);
	/* A blocked set with bits in both words, to see both copies of it. */
	set_mask(BIT(SIGUSR2) | BIT(SIGRTMIN + 3));
	compare("a system call", SIGSYS, f_start, f_int);
	compare("a page fault", SIGSEGV, f_fault, f_load);
	guest_free(&g);
	return 0;
}
