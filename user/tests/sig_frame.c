/*
 * The signal frames themselves, as Linux i386 lays them out: where they go
 * (FPU state 64-byte aligned below the interrupted stack pointer, the frame
 * below it so that the handler starts with (esp + 4) % 16 == 0), the
 * registers a handler starts with, the fields of struct rt_sigframe and
 * struct sigframe, the blocked set that sigreturn and rt_sigreturn take
 * back from the frame, and nested signals.  (sig_regs edits registers and
 * the FPU state through the frame.)
 */
#include "sigcheck.h"

/*
 * entry_stub: a handler with no C prologue.  It records esp, eax, edx and
 * ecx as the kernel left them, then returns through the restorer.
 * kill_at(pid, sig, off): kill from a stack pointer lowered by off bytes;
 * the esp at the int $0x80 (the interrupted esp) is left in kill_esp.
 */
void entry_stub(int);
int kill_at(int pid, int sig, int off);
uint32_t stub_esp, stub_eax, stub_edx, stub_ecx, kill_esp;
__asm__(".text\n"
	".globl entry_stub, kill_at\n"
	"entry_stub:\n"
	"	movl %esp, stub_esp\n"
	"	movl %eax, stub_eax\n"
	"	movl %edx, stub_edx\n"
	"	movl %ecx, stub_ecx\n"
	"	ret\n"
	"kill_at:\n"
	"	pushl %ebx\n"
	"	movl 8(%esp), %ebx\n"
	"	movl 12(%esp), %ecx\n"
	"	movl 16(%esp), %edx\n"
	"	movl %esp, %eax\n"
	"	subl %edx, %esp\n"
	"	pushl %eax\n"           /* the old esp, to come back to */
	"	movl %esp, kill_esp\n"
	"	movl $37, %eax\n"       /* __NR_kill */
	"	int $0x80\n"
	"	popl %esp\n"
	"	popl %ebx\n"
	"	ret\n");

/* Does the kernel save xsave state (CPUID.1:ECX.OSXSAVE)?  Then the
 * FPU area is larger and the exact positions below do not apply. */
static int os_xsave(void)
{
	uint32_t a = 1, b, c, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return (c >> 27) & 1;
}

/* Where Linux puts the FPU state and the frame, for an interrupted esp. */
static uint32_t fpstate_for(uint32_t esp)  { return ((esp - FXSAVE_SIZE) & ~63u) - FPSTATE_FSAVE_SIZE; }
static uint32_t frame_for(uint32_t fp, uint32_t size) { return ((fp - size + 4) & ~15u) - 4; }

static void test_alignment(void)
{
	for (int rt = 0; rt < 2; rt++) {
		catch_plain(SIGUSR1, entry_stub, rt ? SA_SIGINFO : 0);
		for (int off = 0; off < 80; off += 4) {
			stub_esp = 1;
			CHECK_OK(kill_at(getpid(), SIGUSR1, off));
			CHECK_EQ((stub_esp + 4) % 16, 0);
			CHECK_EQ(stub_eax, SIGUSR1);                /* for -mregparm=3 */
			uint32_t size = rt ? sizeof(struct rt_sigframe) : sizeof(struct sigframe);
			if (!os_xsave())
				CHECK_EQ(stub_esp, frame_for(fpstate_for(kill_esp), size));
			if (rt) {
				CHECK_EQ(stub_edx, stub_esp + 16);          /* &frame->info */
				CHECK_EQ(stub_ecx, stub_esp + 144);         /* &frame->uc */
			} else {
				CHECK_EQ(stub_edx, 0);
				CHECK_EQ(stub_ecx, 0);
			}
		}
	}
}

static uint16_t seg(int which)
{
	uint16_t s = 0;
	switch (which) {
	case 0: __asm__ volatile("movw %%cs, %0" : "=r"(s)); break;
	case 1: __asm__ volatile("movw %%ss, %0" : "=r"(s)); break;
	case 2: __asm__ volatile("movw %%ds, %0" : "=r"(s)); break;
	case 3: __asm__ volatile("movw %%es, %0" : "=r"(s)); break;
	}
	return s;
}

static volatile int rt_ok, plain_ok;
static volatile sigset_t edit_add;

static void check_sc(const struct sigcontext *sc, sigset_t old)
{
	CHECK_EQ(sc->cs, seg(0));
	CHECK_EQ(sc->ss, seg(1));
	CHECK_EQ(sc->ds, seg(2));
	CHECK_EQ(sc->es, seg(3));
	CHECK_EQ(sc->esp_at_signal, sc->esp);
	CHECK_EQ(sc->oldmask, (uint32_t)old);
	CHECK(sc->fpstate != 0);
	if (!os_xsave()) {
		CHECK_EQ(sc->fpstate, fpstate_for(sc->esp));
		struct fpstate_32 *fp = (void *)sc->fpstate;
		CHECK_EQ(fp->magic, X86_FXSR_MAGIC);        /* the fxsave image follows */
		CHECK_EQ(fp->status, fp->sw & 0xffff);
		CHECK_EQ(fp->cw & 0xffff, fp->fxsr_env[0] & 0xffff);
		CHECK_EQ(fp->mxcsr & 0xffc0, 0x1f80);       /* the initial MXCSR */
	}
	CHECK_EQ(sc->eflags & X86_EFLAGS_IF, X86_EFLAGS_IF);
}

static void rt_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	struct rt_sigframe *f = (struct rt_sigframe *)((char *)si - 16);
	static const uint8_t retcode[8] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 };
	sigset_t old = sigmask(SIGHUP) | sigmask(40);

	CHECK_EQ((uint32_t)&f->uc, (uint32_t)uc);
	CHECK_EQ(f->pretcode, (uint32_t)__restore_rt);
	CHECK_EQ(f->sig, sig);
	CHECK_EQ(f->pinfo, (uint32_t)si);
	CHECK_EQ(f->puc, (uint32_t)uc);
	CHECK(!memcmp(f->retcode, retcode, 8));
	CHECK_EQ(uc->uc_flags, os_xsave() ? UC_FP_XSTATE : 0);
	CHECK_EQ(uc->uc_link, 0);
	CHECK(uc->uc_stack.ss_sp == NULL);
	CHECK_EQ(uc->uc_stack.ss_flags, SS_DISABLE);
	CHECK_EQ(uc->uc_stack.ss_size, 0);
	CHECK_EQ(uc->uc_sigmask, old);
	check_sc(&uc->uc_mcontext, old);
	CHECK(uc->uc_mcontext.fpstate >= (uint32_t)(f + 1));
	CHECK_EQ(get_mask(), old | sigmask(sig));
	uc->uc_sigmask |= edit_add;             /* rt_sigreturn takes this back */
	rt_ok = 1;
}

static void plain_handler(int sig)
{
	/* The frame starts at our return address.  The empty asm hides that
	 * from GCC, which would otherwise drop our stores into it as stores
	 * to a dead argument area. */
	struct sigframe *f = (struct sigframe *)((char *)__builtin_frame_address(0) + 4);
	__asm__("" : "+r"(f));
	static const uint8_t retcode[8] = { 0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80 };
	sigset_t old = sigmask(SIGHUP) | sigmask(40);

	CHECK_EQ(f->pretcode, (uint32_t)__restore);
	CHECK_EQ(f->sig, sig);
	CHECK(!memcmp(f->retcode, retcode, 8));
	CHECK_EQ(f->extramask[0], (uint32_t)(old >> 32));
	check_sc(&f->sc, old);
	CHECK(f->sc.fpstate >= (uint32_t)(f + 1));
	f->sc.oldmask |= (uint32_t)edit_add;    /* sigreturn takes these back */
	f->extramask[0] |= (uint32_t)(edit_add >> 32);
	plain_ok = 1;
}

static void test_fields(void)
{
	sigset_t old = sigmask(SIGHUP) | sigmask(40);

	catch_info(SIGUSR1, rt_handler, 0);
	catch_plain(SIGUSR2, plain_handler, 0);
	set_mask(old);
	edit_add = 0;
	CHECK_OK(raise(SIGUSR1));
	CHECK(rt_ok);
	CHECK_OK(raise(SIGUSR2));
	CHECK(plain_ok);
	CHECK_EQ(get_mask(), old);

	/* The blocked set comes back from the frame, as edited; SIGKILL and
	 * SIGSTOP are dropped. */
	edit_add = sigmask(SIGINT) | sigmask(50) | sigmask(SIGKILL);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(get_mask(), old | sigmask(SIGINT) | sigmask(50));
	set_mask(old);
	edit_add = sigmask(SIGQUIT) | sigmask(60) | sigmask(SIGSTOP);
	CHECK_OK(raise(SIGUSR2));
	CHECK_EQ(get_mask(), old | sigmask(SIGQUIT) | sigmask(60));
	set_mask(0);
}

/* Nested signals: a log of handler entries (+sig) and exits (-sig). */
static volatile int nlog[16], nn, depth;
static volatile uint32_t nested_sp[4];

static void nest(int sig)
{
	volatile int here;
	int d = depth++, first = nn == 0;
	if (nn >= 14)
		_exit(3);
	nlog[nn++] = sig;
	if (d < 4)
		nested_sp[d] = (uint32_t)&here;
	if (sig == SIGUSR1 && first)
		raise(SIGUSR2);                 /* another signal: nests */
	if (sig == SIGHUP && first)
		raise(SIGHUP);                  /* the same one: nests only with SA_NODEFER */
	nlog[nn++] = -sig;
	depth--;
}

static void test_nested(void)
{
	catch_plain(SIGUSR1, nest, 0);
	catch_plain(SIGUSR2, nest, 0);
	nn = depth = 0;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(nn, 4);
	CHECK_EQ(nlog[0], SIGUSR1);
	CHECK_EQ(nlog[1], SIGUSR2);
	CHECK_EQ(nlog[2], -SIGUSR2);
	CHECK_EQ(nlog[3], -SIGUSR1);
	CHECK(nested_sp[1] < nested_sp[0]);     /* the inner frame is below */

	catch_plain(SIGHUP, nest, 0);           /* blocked in its handler */
	nn = depth = 0;
	CHECK_OK(raise(SIGHUP));
	CHECK_EQ(nn, 4);
	CHECK_EQ(nlog[0], SIGHUP);
	CHECK_EQ(nlog[1], -SIGHUP);             /* delivered after the return */
	CHECK_EQ(nlog[2], SIGHUP);
	CHECK_EQ(nlog[3], -SIGHUP);

	catch_plain(SIGHUP, nest, SA_NODEFER);
	nn = depth = 0;
	CHECK_OK(raise(SIGHUP));
	CHECK_EQ(nn, 4);
	CHECK_EQ(nlog[0], SIGHUP);
	CHECK_EQ(nlog[1], SIGHUP);              /* inside the first */
	CHECK_EQ(nlog[2], -SIGHUP);
	CHECK_EQ(nlog[3], -SIGHUP);
	set_disp(SIGHUP, SIG_DFL);
}

int main(void)
{
	set_mask(0);
	watchdog(20);
	test_alignment();
	test_fields();
	test_nested();
	return 0;
}
