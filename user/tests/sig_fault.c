/*
 * Signals from CPU exceptions, as a handler sees them: SIGSEGV (MAPERR,
 * ACCERR, the address, and trapno / err / cr2 / eip in the sigcontext), a
 * handler that repairs the fault with mprotect and returns so that the
 * instruction runs again, SIGFPE, SIGILL, SIGTRAP, SIGBUS; and a fault
 * whose signal is blocked or ignored, which kills.
 */
#include "sigcheck.h"
#include <fcntl.h>
#include <sys/mman.h>

/*
 * The faulting instructions, in assembly so that their addresses are known:
 *   int do_load(p)         movl (p), %eax              at do_load_insn
 *   void do_store(p, v)    movl v, (p)                 at do_store_insn
 *   int do_div0(void)      idivl of 1 by 0             at do_div_insn
 *   void do_ud2(void)      ud2                         at do_ud2_insn (2 bytes)
 *   void do_int3(void)     int3, then do_int3_after
 */
int do_load(volatile void *p);
void do_store(volatile void *p, int v);
int do_div0(void);
void do_ud2(void);
void do_int3(void);
extern char do_load_insn[], do_load_done[], do_store_insn[], do_div_insn[], do_div_done[],
	do_ud2_insn[], do_int3_after[];
__asm__(".text\n"
	"do_load:  movl 4(%esp), %ecx\n"
	"do_load_insn: movl (%ecx), %eax\n"
	"do_load_done: ret\n"
	"do_store: movl 4(%esp), %ecx\n  movl 8(%esp), %eax\n"
	"do_store_insn: movl %eax, (%ecx)\n  ret\n"
	"do_div0:  movl $1, %eax\n  xorl %ecx, %ecx\n  cltd\n"
	"do_div_insn: idivl %ecx\n"
	"do_div_done: ret\n"
	"do_ud2:\n"
	"do_ud2_insn: ud2\n  ret\n"
	"do_int3:  int3\n"
	"do_int3_after: ret\n"
	".globl do_load, do_load_insn, do_load_done, do_store, do_store_insn, do_div0\n"
	".globl do_div_insn, do_div_done, do_ud2, do_ud2_insn, do_int3, do_int3_after\n");

static volatile int got_n;
static siginfo_t got;
static struct sigcontext got_sc;
static char *fix_page;          /* if set, the handler makes it writable */

static void handler(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;

	(void)sig;
	got_n++;
	got = *si;
	got_sc = *sc;
	if (fix_page) {                 /* repair and run the instruction again */
		CHECK_OK(mprotect(fix_page, PAGE, PROT_READ | PROT_WRITE));
		return;
	}
	if (sc->eip == (uint32_t)do_load_insn) {        /* skip the load */
		sc->eip = (uint32_t)do_load_done;
		sc->eax = 0xdead;
	} else if (sc->eip == (uint32_t)do_div_insn) {
		sc->eip = (uint32_t)do_div_done;
		sc->eax = 77;
	} else if (sc->eip == (uint32_t)do_store_insn) {
		sc->eip += 2;                   /* movl %eax, (%ecx): 89 01 */
	} else if (sc->eip == (uint32_t)do_ud2_insn) {
		sc->eip += 2;
	}
}

#define ERR_PRESENT 1
#define ERR_WRITE   2
#define ERR_USER    4

static void expect(int sig, int code, void *addr, int trapno)
{
	CHECK_EQ(got_n, 1);
	CHECK_EQ(got.si_signo, sig);
	CHECK_EQ(got.si_errno, 0);
	CHECK_EQ(got.si_code, code);
	CHECK_EQ((uint32_t)got.si_addr, (uint32_t)addr);
	CHECK_EQ(got_sc.trapno, trapno);
	got_n = 0;
}

static void test_segv(void)
{
	catch_info(SIGSEGV, handler, 0);
	got_n = 0;

	/* Nothing mapped: MAPERR; err says user read of a missing page. */
	CHECK_EQ(do_load((void *)16), 0xdead);
	expect(SIGSEGV, SEGV_MAPERR, (void *)16, 14);
	CHECK_EQ(got_sc.err, ERR_USER);
	CHECK_EQ(got_sc.cr2, 16);
	CHECK_EQ(got_sc.eip, (uint32_t)do_load_insn);   /* the faulting instruction */

	/* The kernel half is no one's to read. */
	CHECK_EQ(do_load((void *)0xc0001000), 0xdead);
	expect(SIGSEGV, SEGV_MAPERR, (void *)0xc0001000, 14);
	CHECK_EQ(got_sc.err, ERR_PRESENT | ERR_USER);  /* present, but the kernel's */
	CHECK_EQ(got_sc.cr2, 0xc0001000);

	/* A read-only page, present (it was written first): ACCERR, err 7. */
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 1;
	CHECK_OK(mprotect(p, PAGE, PROT_READ));
	fix_page = p;
	do_store(p + 100, 42);              /* faults, is fixed, runs again */
	expect(SIGSEGV, SEGV_ACCERR, p + 100, 14);
	CHECK_EQ(got_sc.err, ERR_PRESENT | ERR_WRITE | ERR_USER);
	CHECK_EQ(got_sc.cr2, (uint32_t)(p + 100));
	CHECK_EQ(got_sc.eip, (uint32_t)do_store_insn);
	CHECK_EQ(*(int *)(p + 100), 42);    /* the store happened after the fix */
	CHECK_EQ(p[0], 1);
	do_store(p + 200, 43);              /* writable now: no signal */
	CHECK_EQ(got_n, 0);

	/* PROT_NONE, never touched: ACCERR with a not-present error code. */
	CHECK_OK(mprotect(p, PAGE, PROT_NONE));
	do_store(p + 8, 44);
	expect(SIGSEGV, SEGV_ACCERR, p + 8, 14);
	CHECK_EQ(got_sc.err, ERR_WRITE | ERR_USER);
	CHECK_EQ(*(int *)(p + 8), 44);
	CHECK_EQ(*(int *)(p + 100), 42);

	/* A read-only page never written: the write is "not present" too. */
	char *q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED);
	fix_page = q;
	do_store(q + 4, 45);
	expect(SIGSEGV, SEGV_ACCERR, q + 4, 14);
	CHECK_EQ(got_sc.err, ERR_WRITE | ERR_USER);
	CHECK_EQ(*(int *)(q + 4), 45);
	fix_page = NULL;

	/* A write where nothing is mapped: MAPERR, err has the write bit. */
	CHECK_OK(munmap(q, PAGE));
	do_store(q + 12, 46);               /* the handler skips the store */
	expect(SIGSEGV, SEGV_MAPERR, q + 12, 14);
	CHECK_EQ(got_sc.err, ERR_WRITE | ERR_USER);
	CHECK_OK(munmap(p, PAGE));
}

static void test_other_traps(void)
{
	catch_info(SIGFPE, handler, 0);
	catch_info(SIGILL, handler, 0);
	catch_info(SIGTRAP, handler, 0);
	got_n = 0;

	/* Divide error: FPE_INTDIV at the idiv, trapno 0. */
	CHECK_EQ(do_div0(), 77);
	expect(SIGFPE, FPE_INTDIV, do_div_insn, 0);
	CHECK_EQ(got_sc.eip, (uint32_t)do_div_insn);

	/* Invalid opcode: ILL_ILLOPN at the ud2, trapno 6. */
	do_ud2();
	expect(SIGILL, ILL_ILLOPN, do_ud2_insn, 6);
	CHECK_EQ(got_sc.eip, (uint32_t)do_ud2_insn);

	/* Breakpoint: a trap, so eip is already past the int3; Linux i386
	 * sends it as a kernel signal (SI_KERNEL, no address), trapno 3. */
	do_int3();
	expect(SIGTRAP, SI_KERNEL, NULL, 3);
	CHECK_EQ(got_sc.eip, (uint32_t)do_int3_after);
}

static void test_sigbus(void)
{
	int fd;
	CHECK_OK(fd = open("/tmp/sig_fault", O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_EQ(write(fd, "abc", 3), 3);
	char *m = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	close(fd);
	CHECK_OK(unlink("/tmp/sig_fault"));

	catch_info(SIGBUS, handler, 0);
	got_n = 0;
	CHECK_EQ(do_load(m) & 0xffffff, 0x636261);     /* "abc" then zeros */
	CHECK_EQ(got_n, 0);
	CHECK_EQ(do_load(m + PAGE + 12), 0xdead);       /* wholly past EOF */
	expect(SIGBUS, BUS_ADRERR, m + PAGE + 12, 14);
	CHECK_EQ(got_sc.err, ERR_USER);
	CHECK_EQ(got_sc.cr2, (uint32_t)(m + PAGE + 12));
	CHECK_OK(munmap(m, 2 * PAGE));
}

/* A synchronous signal that is blocked or ignored is not: it kills. */
static int fault_blocked(void *arg)
{
	(void)arg;
	set_mask(sigmask(SIGSEGV) | sigmask(SIGILL));
	do_load((void *)16);
	return 0;
}

static int fault_ignored(void *arg)
{
	(void)arg;
	set_disp(SIGILL, SIG_IGN);
	do_ud2();
	return 0;
}

/* A fault inside the handler of that same fault (blocked there): death. */
static void refault(int sig)
{
	(void)sig;
	do_load((void *)32);
}

static int fault_in_handler(void *arg)
{
	(void)arg;
	catch_plain(SIGSEGV, refault, 0);
	do_load((void *)16);
	return 0;
}

static void test_fatal(void)
{
	CHECK_EQ(run_child(fault_blocked, NULL), SIGSEGV);
	CHECK_EQ(run_child(fault_ignored, NULL), SIGILL);
	CHECK_EQ(run_child(fault_in_handler, NULL), SIGSEGV);
}

int main(void)
{
	set_mask(0);
	watchdog(20);
	test_segv();
	test_other_traps();
	test_sigbus();
	test_fatal();
	return 0;
}
