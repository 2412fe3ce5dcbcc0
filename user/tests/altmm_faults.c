/*
 * Faults in a guest space, one script of guest steps (a user-mode kernel
 * handling its process's faults):
 *
 *   1. read a read-only shared memfd page: fine (gc_read reports it);
 *   2. write it: SIGSEGV, SEGV_ACCERR, err 7 (present, write, user); we
 *      make it writable with mm_mprotect and the store runs again;
 *   3. a private mapping of the same memfd page: read, then write: the
 *      copy-on-write happens in the kernel, no signal; the memfd and the
 *      shared view keep the old value, the private view has the new one;
 *   4. we unmap the guest's code under it: the next instruction fetch
 *      faults (cr2 = eip, err 4); we map the code back and it goes on;
 *   5. a read past the end of the memfd: SIGBUS, BUS_ADRERR;
 *   6. ud2: SIGILL, ILL_ILLOPN, trapno 6; we step over it, into
 *   7. a division by zero: SIGFPE, FPE_INTDIV, trapno 0, and home.
 *
 * Faults that the guest's own mappings resolve (demand-zero, copy-on-
 * write) never leave the kernel: every signal is checked for.
 */
#include "altmm_guest.h"

__asm__(GUEST_MACROS GUEST_COMMON);

#define SHARED_RO   0x10300000u     /* memfd page 3, PROT_READ, shared */
#define PRIVATE     0x10400000u     /* memfd page 3, private */
#define PAST_EOF    0x10500000u     /* memfd pages 3 and 4 (past the end) */

static struct guest g;
static int step;

/* Make the guest go on at eip with ebx, ecx (gc_read, gc_write). */
static void next(struct altmm_ucontext *uc, const char *at, uint32_t ebx, uint32_t ecx)
{
	uc->uc_mcontext.eip = GC(at);
	uc->uc_mcontext.ebx = ebx;
	uc->uc_mcontext.ecx = ecx;
}

static void on_trap(int sig, siginfo_t *si, struct altmm_ucontext *uc)
{
	struct sigcontext *sc = &uc->uc_mcontext;

	CHECK_EQ(uc->uc_mm, g.mm);
	switch (step++) {
	case 0:         /* 1: the read */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_syscall, 0x31);
		next(uc, gc_write, SHARED_RO + 0x10, 0x77);
		break;
	case 1:         /* 2: the write to the read-only page */
		CHECK_EQ(sig, SIGSEGV);
		CHECK_EQ(si->si_code, SEGV_ACCERR);
		CHECK_EQ((uint32_t)si->si_addr, SHARED_RO + 0x10);
		CHECK_EQ(sc->trapno, 14);
		CHECK_EQ(sc->err, 7);
		CHECK_EQ(sc->cr2, SHARED_RO + 0x10);
		CHECK_EQ(sc->eip, GC(gc_write));
		CHECK_OK(mm_mprotect(g.mm, (void *)SHARED_RO, PAGE, PROT_READ | PROT_WRITE));
		break;
	case 2:         /* the write went through: call 9 */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_syscall, 9);
		CHECK_EQ(*(uint32_t *)(g.mem + 3 * PAGE + 0x10), 0x77);
		next(uc, gc_read, PRIVATE + 0x10, 0);
		break;
	case 3:         /* 3: the private view reads the same */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_syscall, 0x77);
		next(uc, gc_write, PRIVATE + 0x10, 0x99);
		break;
	case 4:         /* written without a fault */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_syscall, 9);
		CHECK_EQ(*(uint32_t *)(g.mem + 3 * PAGE + 0x10), 0x77);
		next(uc, gc_read, PRIVATE + 0x10, 0);
		break;
	case 5:
		CHECK_EQ(si->si_syscall, 0x99);
		next(uc, gc_read, SHARED_RO + 0x10, 0);
		break;
	case 6:         /* the shared view is unchanged; 4: pull the code away */
		CHECK_EQ(si->si_syscall, 0x77);
		CHECK_OK(mm_munmap(g.mm, (void *)G_CODE, PAGE));
		break;
	case 7:
		CHECK_EQ(sig, SIGSEGV);
		CHECK_EQ(si->si_code, SEGV_MAPERR);
		CHECK_EQ(sc->eip, GC(gc_read) + 4);     /* the jmp after movl (2 bytes), int (2) */
		CHECK_EQ(sc->cr2, sc->eip);
		CHECK_EQ((uint32_t)si->si_addr, sc->eip);
		CHECK_EQ(sc->err, 4);
		CHECK_EQ((uint32_t)mm_mmap(g.mm, (void *)G_CODE, PAGE, PROT_READ | PROT_EXEC,
		                           MAP_SHARED | MAP_FIXED, g.memfd, 0), G_CODE);
		break;
	case 8:         /* it went on: gc_read again; 5: past the end of the file */
		CHECK_EQ(sig, SIGSYS);
		CHECK_EQ(si->si_syscall, 0x77);
		next(uc, gc_read, PAST_EOF + PAGE + 8, 0);
		break;
	case 9:
		CHECK_EQ(sig, SIGBUS);
		CHECK_EQ(si->si_code, BUS_ADRERR);
		CHECK_EQ((uint32_t)si->si_addr, PAST_EOF + PAGE + 8);
		CHECK_EQ(sc->trapno, 14);
		CHECK_EQ(sc->cr2, PAST_EOF + PAGE + 8);
		next(uc, gc_ud2, 0, 0);
		break;
	case 10:        /* 6: ud2 */
		CHECK_EQ(sig, SIGILL);
		CHECK_EQ(si->si_code, ILL_ILLOPN);
		CHECK_EQ((uint32_t)si->si_addr, GC(gc_ud2));
		CHECK_EQ(sc->trapno, 6);
		CHECK_EQ(sc->eip, GC(gc_ud2));
		sc->eip += 2;                           /* on into gc_div0 */
		break;
	case 11:        /* 7: idivl after xorl (2 bytes) and cltd (1) */
		CHECK_EQ(sig, SIGFPE);
		CHECK_EQ(si->si_code, FPE_INTDIV);
		CHECK_EQ((uint32_t)si->si_addr, GC(gc_div0) + 3);
		CHECK_EQ(sc->trapno, 0);
		CHECK_EQ(sc->eip, GC(gc_div0) + 3);
		go_home(uc);
		break;
	default:
		CHECK(!"a trap too many");
	}
}

int main(void)
{
	require_altmm();
	pid_t dog = watchdog_child(120);
	altmm_setup();
	guest_new(&g, gc_start, gc_end - gc_start);
	*(uint32_t *)(g.mem + 3 * PAGE + 0x10) = 0x31;
	CHECK_EQ((uint32_t)mm_mmap(g.mm, (void *)SHARED_RO, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED,
	                           g.memfd, 3), SHARED_RO);
	CHECK_EQ((uint32_t)mm_mmap(g.mm, (void *)PRIVATE, PAGE, PROT_READ | PROT_WRITE,
	                           MAP_PRIVATE | MAP_FIXED, g.memfd, 3), PRIVATE);
	CHECK_EQ((uint32_t)mm_mmap(g.mm, (void *)PAST_EOF, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED,
	                           g.memfd, 3), PAST_EOF);
	const uint32_t r[7] = { 0, SHARED_RO + 0x10 };
	guest_run(&g, GC(gc_read), r);
	CHECK_EQ(step, 12);
	CHECK_EQ(ntraps, 12);
	CHECK_EQ(*(uint32_t *)(g.mem + 3 * PAGE + 0x10), 0x77);
	guest_free(&g);
	kicker_stop(dog);
	return 0;
}
