/*
 * Forged selectors: a handler writes every class of selector into each of
 * cs, ss, ds, es, fs and gs of its frame, through sigreturn (plain frames)
 * and rt_sigreturn: each GDT index up to 33 (Linux has 32 entries, we
 * have 9; 33 is beyond both) and 0x1fff, each with RPL 0 and 3 and with
 * the LDT bit (there is no LDT: ldt_none.c), and the null selector with
 * every RPL.  Three TLS slots are set first: 6 a flat writable data
 * segment, 7 a read-only one, 8 empty.
 *
 * What Linux does, and so what must happen: cs and ss get RPL 3, and the
 * rest is the CPU's doing when the kernel returns to user mode (it loads
 * the data selectors in ring 0, where one that does not load becomes 0,
 * and its iret nulls those ring 3 may not hold).  So the expectation for
 * each selector comes from the CPU's own view of it from ring 3 (lar):
 *
 *   - ds es fs gs: kept, RPL and all, if ring 3 may load it (present, a
 *     data or readable code segment, visible at DPL 3); else 0.  The null
 *     selector with RPL 1-3 may come back as itself or as 0: which is the
 *     CPU's choice (QEMU keeps it in fs and gs only);
 *   - cs: the return works iff cs | 3 is a present code segment ring 3
 *     can see; ss: iff ss | 3 is a present writable data segment of DPL 3
 *     (the flat TLS slot 6 is one);
 *   - when it does not: SIGILL, si_code ILL_BADSTK, si_addr 0, trap 32,
 *     error code 0, and the frame shows the selectors the return was
 *     tried with (RPL 3) and the eip it was going to; without a handler
 *     the process dies of SIGILL.
 *
 * Anchors keep the lar oracle honest: the user cs and ss must be usable,
 * the kernel's code segment (16 below the user's, on Linux and here) not,
 * TLS slot 6 must be a stack segment and 7 not.  After every forgery
 * that was taken, check_ring3() (forge.h): still ring 3 with IOPL 0.
 */
#include "forge.h"
#include <uapi/ldt.h>
#include <uapi/unistd.h>

enum { R_CS, R_SS, R_DS, R_ES, R_FS, R_GS, NREGS };
static const char *const reg_names[NREGS] = { "cs", "ss", "ds", "es", "fs", "gs" };

static int reg;
static uint32_t forged;
static uint16_t ucs, uss;

static void forge_edit(struct sigcontext *sc)
{
	switch (reg) {
	case R_CS: sc->cs = forged; break;
	case R_SS: sc->ss = forged; break;
	case R_DS: sc->ds = forged; break;
	case R_ES: sc->es = forged; break;
	case R_FS: sc->fs = forged; break;
	case R_GS: sc->gs = forged; break;
	}
}

/* The failed return: check the frame, then repair it and go on. */
static volatile int ill_count, ill_bad;
static void badstk(int sig, siginfo_t *si, void *ucv)
{
	struct sigcontext *sc = &((ucontext_t *)ucv)->uc_mcontext;
	(void)sig;
	ill_count++;
	uint32_t want_cs = reg == R_CS ? (forged | 3) : ucs, want_ss = reg == R_SS ? (forged | 3) : uss;
	if (si->si_code != ILL_BADSTK || si->si_addr != NULL || sc->trapno != 32 || sc->err != 0 ||
	    sc->cs != want_cs || sc->ss != want_ss || sc->eip != (uint32_t)forge_return) {
		printf("bad SIGILL frame: code %d addr %p trap %u err %u cs %#x ss %#x eip %#x\n",
		       si->si_code, si->si_addr, sc->trapno, sc->err, sc->cs, sc->ss, sc->eip);
		ill_bad++;
	}
	sc->cs = ucs;
	sc->ss = uss;
}

/* Back to the segments a program starts with (ss may be TLS slot 6 now). */
static void reset_segments(void)
{
	__asm__ volatile("movw %w0, %%ss; movw %w0, %%ds; movw %w0, %%es; movw %w1, %%fs; movw %w1, %%gs"
	                 : : "r"(uss), "r"(0) : "memory");
}

static void set_tls(uint32_t slot, uint32_t flags)
{
	struct user_desc d = { slot, 0, 0xfffff, flags };
	if (!flags)
		d.limit = 0, d.flags = UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT;     /* empty */
	CHECK_EQ(raw_syscall6(__NR_set_thread_area, (long)&d, 0, 0, 0, 0, 0), 0);
}

/* One forgery of register r with value v; checks everything it should. */
static void one(int r, uint32_t v)
{
	struct forge_regs out;
	reg = r;
	forged = v;
	ill_count = ill_bad = 0;
	forge_calls = 0;
	forge_raise(&out);
	CHECK_EQ(forge_calls, 1);
	uint32_t want[NREGS] = { ucs, uss, uss, uss, 0, 0 };
	uint32_t got[NREGS] = { out.cs, out.ss, out.ds, out.es, out.fs, out.gs };
	int refused = (r == R_CS && !cs_usable(v)) || (r == R_SS && !ss_usable(v));
	if (r == R_CS || r == R_SS) {
		if (!refused)
			want[r] = v | 3;
	} else {
		want[r] = data_after(v, got[r]);
	}
	for (int i = 0; i < NREGS; i++)
		if (got[i] != want[i]) {
			printf("%s = %#x: %s is %#x, expected %#x\n", reg_names[r], v, reg_names[i], got[i], want[i]);
			CHECK_EQ(got[i], want[i]);
		}
	CHECK_EQ(ill_count, refused);
	CHECK_EQ(ill_bad, 0);
	if (!refused)
		check_ring3();
	reset_segments();
}

static int sweep(void *arg)
{
	int rt = (intptr_t)arg;
	set_tls(GDT_ENTRY_TLS_MIN, UD_SEG_32BIT | UD_LIMIT_IN_PAGES);
	set_tls(GDT_ENTRY_TLS_MIN + 1, UD_SEG_32BIT | UD_LIMIT_IN_PAGES | UD_READ_EXEC_ONLY);
	set_tls(GDT_ENTRY_TLS_MIN + 2, 0);
	uint32_t tls6 = GDT_ENTRY_TLS_MIN << 3 | 3, tls7 = tls6 + 8, tls8 = tls7 + 8;

	/* The anchors. */
	uint32_t kcs = (ucs & ~3u) - 0x10;
	CHECK(cs_usable(ucs) && cs_usable(ucs & ~3u) && !cs_usable(kcs) && !cs_usable(0));
	CHECK(ss_usable(uss) && ss_usable(tls6) && !ss_usable(tls7) && !ss_usable(tls8) && !ss_usable(ucs));
	CHECK(data_usable(uss) && data_usable(ucs) && data_usable(tls7) && !data_usable(tls8));
	CHECK(!data_usable(kcs) && !data_usable(kcs + 8));

	catch_info(SIGILL, badstk, 0);
	forge_install(rt);
	for (int r = 0; r < NREGS; r++) {
		printf("%s: %s\n", rt ? "rt_sigreturn" : "sigreturn", reg_names[r]);
		for (uint32_t idx = 0; idx <= 34; idx++) {
			uint32_t index = idx == 34 ? 0x1fff : idx;
			for (uint32_t low = 0; low < 8; low++)
				if (low == 0 || low == 3 || low == 4 || low == 7 || index == 0)
					one(r, index << 3 | low);
		}
	}
	return 0;
}

/* Without a handler, a failed return kills with SIGILL. */
static int unhandled(void *arg)
{
	struct forge_regs out;
	int c = (intptr_t)arg;
	forge_install(c & 1);
	reg = c & 2 ? R_SS : R_CS;
	forged = c & 2 ? 0 : (ucs & ~3u) - 0x10;
	forge_raise(&out);
	return 1;
}

int main(void)
{
	set_mask(0);
	watchdog(120);
	ucs = user_cs();
	uss = user_ss();
	for (int rt = 0; rt < 2; rt++)
		CHECK_EQ(run_child(sweep, (void *)(intptr_t)rt), 0);
	for (int c = 0; c < 4; c++)
		CHECK_EQ(run_child(unhandled, (void *)(intptr_t)c), SIGILL);
	return 0;
}
