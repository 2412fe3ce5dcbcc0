/*
 * Forged eip and esp, through sigreturn (plain frames) and rt_sigreturn.
 * The kernel takes any eip and esp, as Linux does: the return works and
 * the first instruction that uses them faults, in ring 3.  Each case runs
 * in a child, whose SIGSEGV handler (on an alternate stack: esp may be
 * anywhere) checks the fault as Linux reports it, then check_ring3().
 *
 * The last user page (0xbffff000) is made present and executable first:
 * Linux's stack is somewhere below it, ours ends in it.  Its last eight
 * bytes are code: seven nops, then the first byte of a five-byte mov,
 * whose other four would be in the kernel half.
 *
 *   eip                                     fault (SIGSEGV, trap 14)
 *   0xbffffff8 (the nops, then the mov)     SEGV_MAPERR at 0xc0000000, eip 0xbfffffff, error 5
 *   0xc0000000, 0xfffff000, 0xffffffff      SEGV_MAPERR at eip, error 5: a user access to the
 *                                           kernel half is a protection fault, whatever is there
 *   0x1000 (nothing mapped)                 SEGV_MAPERR at eip, error 4
 *   a PROT_NONE page                        SEGV_ACCERR at eip, error 4
 *
 *   esp, with eip at code that pushes
 *   0xc0000000                              none: the push goes to the last user page
 *   0xc0000002                              SEGV_MAPERR at 0xc0000000 (the push straddles), error 7
 *   0xc0001000, 0                           SEGV_MAPERR at esp - 4, error 7
 *   0x2000 (nothing mapped)                 SEGV_MAPERR at 0x1ffc, error 6
 *
 * And a signal while esp points into the kernel's memory: its frame is
 * never written there; the process dies of SIGSEGV (with a handler that
 * is not on an alternate stack, too), and the kernel lives on.  So does
 * one whose handler runs on an alternate stack that an rt frame's
 * uc_stack set (rt_sigreturn takes it, as Linux does) in the kernel half,
 * or wrapping around the top of memory, or where nothing is mapped.
 */
#include "forge.h"
#include <sys/mman.h>

#define LAST_PAGE 0xbffff000u

static uint32_t new_eip, new_esp;
static int esp_forged;
static void forge_edit(struct sigcontext *sc)
{
	sc->eip = new_eip;
	if (esp_forged)
		sc->esp = new_esp;
}

/* The push: its value comes back in pushed, then stack_ok() runs. */
static volatile uint32_t pushed;
void push_entry(void);
__asm__(".text\n"
	"push_entry:\n"
	"	pushl $0x5a\n	popl %eax\n	movl %eax, pushed\n"
	"	andl $-16, %esp\n	call stack_ok\n	ud2\n");
void stack_ok(void) __attribute__((used, noreturn));
void stack_ok(void)
{
	check_ring3();
	_exit(pushed == 0x5a ? 0x5a : 1);
}

static struct expect { uint32_t addr, eip, esp, err; int code; } want;

static void segv(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	(void)sig;
	if (si->si_code != want.code || (uint32_t)si->si_addr != want.addr || sc->trapno != 14 ||
	    sc->err != want.err || sc->eip != want.eip || (esp_forged && sc->esp != want.esp) ||
	    sc->cr2 != want.addr) {
		printf("SIGSEGV code %d addr %p trap %u err %u eip %#x esp %#x cr2 %#x\n", si->si_code,
		       si->si_addr, sc->trapno, sc->err, sc->eip, sc->esp, sc->cr2);
		_exit(90);
	}
	check_ring3();
	_exit(100);
}

static uint8_t altstack[4 * SIGSTKSZ] __attribute__((aligned(16)));

/* The last user page, present, with the code at its end. */
static void map_last_page(void)
{
	void *p = mmap((void *)LAST_PAGE, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	if ((uint32_t)p != LAST_PAGE) {         /* in use: a stack's top (ours) */
		CHECK_OK(munmap(p, PAGE));
		CHECK_OK(mprotect((void *)LAST_PAGE, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC));
	}
	uint8_t *end = (uint8_t *)(LAST_PAGE + PAGE - 8);
	memset(end, 0x90, 7);                   /* nop */
	end[7] = 0xb8;                          /* movl $imm32, %eax */
}

enum { PLAIN = 0, RT = 1, NO_ALTSTACK = 2 };
struct ip_case { uint32_t eip; int esp_forged; uint32_t esp; struct expect want; };

static const struct ip_case *the_case;
static int child(void *arg)
{
	int mode = (intptr_t)arg;
	map_last_page();
	if (!(mode & NO_ALTSTACK)) {
		stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
		CHECK_OK(sigaltstack(&ss, NULL));
		catch_info(SIGSEGV, segv, SA_ONSTACK | SA_NODEFER);
	} else {
		catch_info(SIGSEGV, segv, SA_NODEFER);
	}
	want = the_case->want;
	new_eip = the_case->eip;
	new_esp = the_case->esp;
	esp_forged = the_case->esp_forged;
	if (!want.eip)
		want.eip = new_eip;
	want.esp = new_esp;
	forge_install(mode & RT);
	struct forge_regs out;
	forge_raise(&out);
	return 99;                              /* the forged registers were not taken */
}

/* A forged uc_stack: taken; the next SA_ONSTACK handler cannot run. */
static uint32_t alt_sp, alt_size;
static void forge_altstack(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig, (void)si;
	uc->uc_stack.ss_sp = (void *)alt_sp;
	uc->uc_stack.ss_size = alt_size;
	uc->uc_stack.ss_flags = 0;
}
static void never(int sig) { (void)sig; _exit(98); }
static int altstack_child(void *arg)
{
	(void)arg;
	catch_info(SIGUSR1, forge_altstack, 0);
	catch_plain(SIGUSR2, never, SA_ONSTACK);
	CHECK_EQ(raise(SIGUSR1), 0);
	stack_t now;
	CHECK_OK(sigaltstack(NULL, &now));
	CHECK_EQ((uint32_t)now.ss_sp, alt_sp);
	CHECK_EQ(now.ss_size, alt_size);
	CHECK_EQ(now.ss_flags, 0);
	raise(SIGUSR2);
	return 99;
}

int main(void)
{
	set_mask(0);
	watchdog(60);
	uint32_t none = (uint32_t)mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(none != (uint32_t)MAP_FAILED);
	uint32_t push = (uint32_t)push_entry;
	const struct ip_case cases[] = {
		{ 0xbffffff8, 0, 0, { 0xc0000000, 0xbfffffff, 0, 5, SEGV_MAPERR } },
		{ 0xc0000000, 0, 0, { 0xc0000000, 0, 0, 5, SEGV_MAPERR } },
		{ 0xfffff000, 0, 0, { 0xfffff000, 0, 0, 5, SEGV_MAPERR } },
		{ 0xffffffff, 0, 0, { 0xffffffff, 0, 0, 5, SEGV_MAPERR } },
		{ 0x1000, 0, 0, { 0x1000, 0, 0, 4, SEGV_MAPERR } },
		{ none, 0, 0, { none, 0, 0, 4, SEGV_ACCERR } },
		{ push, 1, 0xc0000002, { 0xc0000000, 0, 0, 7, SEGV_MAPERR } },
		{ push, 1, 0xc0001000, { 0xc0000ffc, 0, 0, 7, SEGV_MAPERR } },
		{ push, 1, 0, { 0xfffffffc, 0, 0, 7, SEGV_MAPERR } },
		{ push, 1, 0x2000, { 0x1ffc, 0, 0, 6, SEGV_MAPERR } },
	};
	for (int rt = 0; rt < 2; rt++) {
		for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			the_case = &cases[i];
			printf("%s: eip %#x esp %#x\n", rt ? "rt_sigreturn" : "sigreturn", cases[i].eip,
			       cases[i].esp_forged ? cases[i].esp : 0);
			CHECK_EQ(run_child(child, (void *)(intptr_t)rt), 100 << 8);
		}
		/* The push to the last user page works. */
		const struct ip_case top = { push, 1, 0xc0000000, { 0 } };
		the_case = &top;
		CHECK_EQ(run_child(child, (void *)(intptr_t)rt), 0x5a << 8);
		/* esp at the kernel's own memory (its image, its direct map):
		 * no frame can go there, not even for a handler. */
		const uint32_t kernel[] = { 0xc0100000, 0xc0400000, 0xfffff000 };
		for (unsigned i = 0; i < 3; i++) {
			const struct ip_case k = { push, 1, kernel[i], { kernel[i] - 4, 0, 0, 7, SEGV_MAPERR } };
			the_case = &k;
			CHECK_EQ(run_child(child, (void *)(intptr_t)(rt | NO_ALTSTACK)), SIGSEGV);
		}
	}
	const uint32_t alts[][2] = { { 0xc0000000, 0x10000 }, { 0xffff0000, 0x20000 }, { 0x1000, 0x4000 } };
	for (unsigned i = 0; i < 3; i++) {
		alt_sp = alts[i][0];
		alt_size = alts[i][1];
		CHECK_EQ(run_child(altstack_child, NULL), SIGSEGV);
	}
	return 0;
}
