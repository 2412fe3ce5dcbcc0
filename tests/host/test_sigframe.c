/*
 * Signal frames (kernel/arch/x86/sigframe.c): placement and alignment,
 * every field of the three kinds as Linux i386 lays them out, the
 * registers a handler starts with, and sigreturn's side: a frame built,
 * written to a user stack, read back and restored gives the registers
 * back, while forged selectors and eflags bits never reach ring 0, IOPL,
 * IF, VM or NT.
 */
#include "harness.h"
#include <kernel/arch.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <uapi/mman.h>
#include "../../kernel/arch/x86/sigframe.h"

static const struct trapframe user_tf = {
	.edi = 1, .esi = 2, .ebp = 3, .ebx = 4, .edx = 5, .ecx = 6, .eax = 7,
	.gs = 0x33, .fs = 0x2b, .es = SEL_USER_DS, .ds = SEL_USER_DS, .eip = 0x08048123,
	.cs = SEL_USER_CS, .eflags = 0x200 | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_CF | X86_EFLAGS_RF,
	.user_esp = 0xBFFFE004, .user_ss = SEL_USER_DS,
};

TEST(sigframe_place_aligns_and_refuses_what_does_not_fit)
{
	const enum frame_kind kinds[] = { FRAME_PLAIN, FRAME_RT, FRAME_ALTMM };
	for (int k = 0; k < 3; k++)
		for (uint32_t sp = 0xBFFFF000; sp > 0xBFFFEF00; sp -= 4) {
			uint32_t fp, frame = sigframe_place(sp, 0, kinds[k], false, &fp);
			CHECK_EQ((frame + 4) % 16, 0);			/* as after a call */
			CHECK_EQ((fp + FPSTATE_FSAVE_SIZE) % 64, 0);	/* fxsave's alignment */
			CHECK(fp + sizeof(struct fpstate_32) <= sp);
			CHECK(frame + sigframe_size(kinds[k]) <= fp);
			CHECK(frame + sigframe_size(kinds[k]) + 16 > fp);	/* and no lower */
			uint32_t lean = sigframe_place(sp, 0, kinds[k], true, &fp);
			CHECK_EQ(fp, 0);
			CHECK(lean + sigframe_size(kinds[k]) <= sp && lean + sigframe_size(kinds[k]) + 16 > sp);
		}
	CHECK_EQ(sigframe_size(FRAME_PLAIN), 732);
	CHECK_EQ(sigframe_size(FRAME_RT), 268);
	CHECK_EQ(sigframe_size(FRAME_ALTMM), sizeof(struct altmm_sigframe));
	uint32_t fp;
	/* A stack pointer near 0: the frame would wrap round to the top. */
	CHECK_EQ(sigframe_place(0, 0, FRAME_RT, false, &fp), 0);
	CHECK_EQ(sigframe_place(0x100, 0, FRAME_RT, false, &fp), 0);
	CHECK_EQ(sigframe_place(0x2D0, 0, FRAME_PLAIN, true, &fp), 0);
	CHECK(sigframe_place(0x2F0, 0, FRAME_PLAIN, true, &fp) != 0);
	CHECK(sigframe_place(0x1000, 0, FRAME_RT, false, &fp) != 0);
	/* On an alternate stack: 1 KiB holds an rt frame and its FPU state,
	 * 768 bytes do not; a plain frame needs more than 1280. */
	CHECK(sigframe_place(0x50000400, 0x50000000, FRAME_RT, false, &fp) >= 0x50000000);
	CHECK_EQ(sigframe_place(0x50000300, 0x50000000, FRAME_RT, false, &fp), 0);
	CHECK(sigframe_place(0x50000600, 0x50000000, FRAME_PLAIN, false, &fp) >= 0x50000000);
	CHECK_EQ(sigframe_place(0x50000500, 0x50000000, FRAME_PLAIN, false, &fp), 0);
}

static const siginfo_t info = { .si_signo = 11, .si_code = 2, .si_addr = 0xDEAD000 };
static const struct sigframe_in in = {
	.sig = 11, .info = &info, .old_blocked = 0x8000000100000204ull,
	.altstack_sp = 0x50000000, .altstack_size = 0x4000, .altstack_flags = 2, .uc_mm = 5,
	.trapno = 14, .err = 6, .cr2 = 0xDEAD000,
};

static void check_sc(const struct sigcontext *sc, uint32_t fpstate)
{
	CHECK_EQ(sc->gs, 0x33);
	CHECK_EQ(sc->fs, 0x2b);
	CHECK_EQ(sc->ds, SEL_USER_DS);
	CHECK_EQ(sc->edi, 1);
	CHECK_EQ(sc->eax, 7);
	CHECK_EQ(sc->esp, 0xBFFFE004);
	CHECK_EQ(sc->esp_at_signal, 0xBFFFE004);
	CHECK_EQ(sc->eip, 0x08048123);
	CHECK_EQ(sc->cs, SEL_USER_CS);
	CHECK_EQ(sc->ss, SEL_USER_DS);
	CHECK_EQ(sc->eflags, user_tf.eflags);
	CHECK_EQ(sc->trapno, 14);
	CHECK_EQ(sc->err, 6);
	CHECK_EQ(sc->cr2, 0xDEAD000);
	CHECK_EQ(sc->fpstate, fpstate);
	CHECK_EQ(sc->oldmask, 0x00000204);
	CHECK(!sc->__gsh && !sc->__fsh && !sc->__esh && !sc->__dsh && !sc->__csh && !sc->__ssh);
}

TEST(sigframe_fill_lays_out_linux_frames)
{
	static union sigframe_buf b;
	memset(&b, 0xAA, sizeof b);		/* every byte is written, pads included */
	const uint32_t frame = 0xBFFFD00C, fp = 0xBFFFE000;
	sigframe_fill(&b, FRAME_RT, frame, fp, &user_tf, &in);
	const uint8_t rt_ret[8] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 };
	CHECK_EQ(b.rt.pretcode, frame + 260);	/* no restorer: the retcode */
	CHECK_EQ(b.rt.sig, 11);
	CHECK_EQ(b.rt.pinfo, frame + 16);
	CHECK_EQ(b.rt.puc, frame + 144);
	CHECK(!memcmp(&b.rt.info, &info, sizeof info));
	CHECK_EQ(b.rt.uc.uc_flags, 0);
	CHECK_EQ(b.rt.uc.uc_link, 0);
	CHECK_EQ(b.rt.uc.uc_stack.ss_sp, 0x50000000);
	CHECK_EQ(b.rt.uc.uc_stack.ss_size, 0x4000);
	CHECK_EQ(b.rt.uc.uc_stack.ss_flags, 2);
	CHECK_EQ(b.rt.uc.uc_sigmask, in.old_blocked);
	CHECK(!memcmp(b.rt.retcode, rt_ret, 8));
	check_sc(&b.rt.uc.uc_mcontext, fp);
	const uint8_t *bytes = (const uint8_t *)&b;
	CHECK_EQ(bytes[sizeof b.rt], 0);	/* the buffer is zero past the frame too */

	struct sigframe_in with = in;
	with.restorer = 0x08049000;
	sigframe_fill(&b, FRAME_ALTMM, frame, 0, &user_tf, &with);
	CHECK_EQ(b.am.pretcode, 0x08049000);
	CHECK_EQ(b.am.uc.uc_flags, UC_ALTMM);
	CHECK_EQ(b.am.uc.uc_mm, 5);
	CHECK_EQ(b.am.pinfo, frame + 16);
	CHECK(!memcmp(b.am.retcode, rt_ret, 8));
	check_sc(&b.am.uc.uc_mcontext, 0);	/* lean: no FPU state */

	sigframe_fill(&b, FRAME_PLAIN, frame, fp, &user_tf, &in);
	const uint8_t plain_ret[8] = { 0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80 };
	CHECK_EQ(b.plain.pretcode, frame + 724);
	CHECK_EQ(b.plain.sig, 11);
	CHECK_EQ(b.plain.extramask[0], 0x80000001);
	CHECK(!memcmp(b.plain.retcode, plain_ret, 8));
	check_sc(&b.plain.sc, fp);
}

TEST(sigframe_enter_starts_the_handler_in_ring_3)
{
	struct trapframe tf = user_tf;
	tf.cs = 0x08;			/* whatever it was (a guest's, say): the handler's are the user's */
	tf.eflags |= X86_EFLAGS_AC;
	sigframe_enter(&tf, FRAME_RT, 0xBFFFD00C, 11, 0x08048500);
	CHECK_EQ(tf.eax, 11);
	CHECK_EQ(tf.edx, 0xBFFFD00C + 16);
	CHECK_EQ(tf.ecx, 0xBFFFD00C + 144);
	CHECK_EQ(tf.eip, 0x08048500);
	CHECK_EQ(tf.user_esp, 0xBFFFD00C);
	CHECK_EQ(tf.cs, SEL_USER_CS);
	CHECK_EQ(tf.ds, SEL_USER_DS);
	CHECK_EQ(tf.es, SEL_USER_DS);
	CHECK_EQ(tf.user_ss, SEL_USER_DS);
	CHECK_EQ(tf.eflags, 0x200 | X86_EFLAGS_CF | X86_EFLAGS_AC);	/* TF, DF, RF cleared */
	sigframe_enter(&tf, FRAME_PLAIN, 0xBFFFD00C, 10, 0x08048500);
	CHECK_EQ(tf.edx, 0);
	CHECK_EQ(tf.ecx, 0);
}

TEST(sigreturn_takes_no_privilege_from_a_forged_frame)
{
	/* The eflags sigreturn returns to: a user's (IF on, IOPL 0). */
	const uint32_t live = 0x202;
	struct sigcontext sc = { .eip = 0xC0100000, .esp = 0xFFFFF000 };
	/* Every selector: cs and ss come out with RPL 3, whatever was asked. */
	for (uint32_t sel = 0; sel <= 0xFFFF; sel++) {
		struct trapframe tf = { .eflags = live };
		sc.cs = sc.ss = (uint16_t)sel;
		sigframe_restore_regs(&tf, &sc);
		if ((tf.cs & 3) != 3 || (tf.user_ss & 3) != 3 || (tf.cs & ~3u) != (sel & ~3u)) {
			CHECK_EQ(tf.cs, sel | 3);
			break;
		}
	}
	/* Every eflags bit alone, and all of them: only SIGRETURN_EFLAGS pass. */
	for (int bit = 0; bit <= 32; bit++) {
		struct trapframe tf = { .eflags = live };
		sc.eflags = bit == 32 ? 0xFFFFFFFF : 1u << bit;
		sigframe_restore_regs(&tf, &sc);
		CHECK_EQ(tf.eflags, (live & ~SIGRETURN_EFLAGS) | (sc.eflags & SIGRETURN_EFLAGS));
		CHECK_EQ(tf.eflags & (X86_EFLAGS_IOPL | X86_EFLAGS_VM | X86_EFLAGS_NT), 0);
		CHECK(tf.eflags & X86_EFLAGS_IF);	/* cannot turn interrupts off */
	}
	/* Clearing: a frame with eflags 0 keeps IF (and clears the rest it may). */
	struct trapframe tf = { .eflags = live | X86_EFLAGS_CF };
	sc.eflags = 0;
	sigframe_restore_regs(&tf, &sc);
	CHECK_EQ(tf.eflags, live);
	/* Kernel and unmapped eip and esp go through: the return then faults
	 * in user mode, where it is the program's own SIGSEGV. */
	CHECK_EQ(tf.eip, 0xC0100000);
	CHECK_EQ(tf.user_esp, 0xFFFFF000);
}

TEST(sigframe_round_trip_through_a_user_stack)
{
	/* Build a frame, write it to a stack in a fake address space as the
	 * kernel's copy_to_user would, read it back as sigreturn's
	 * copy_from_user would, restore: the interrupted registers again. */
	struct mm *mm = mm_create();
	CHECK_EQ(mm_map(mm, 0xBFFF0000, 0x10000, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0, 0), 0xBFFF0000);
	static union sigframe_buf b, back;
	enum frame_kind kinds[] = { FRAME_PLAIN, FRAME_RT, FRAME_ALTMM };
	for (int k = 0; k < 3; k++) {
		uint32_t fp, frame = sigframe_place(user_tf.user_esp, 0, kinds[k], kinds[k] == FRAME_ALTMM, &fp);
		sigframe_fill(&b, kinds[k], frame, fp, &user_tf, &in);
		CHECK_EQ(mm_write(mm, frame, &b, sigframe_size(kinds[k])), 0);
		struct trapframe tf = user_tf;
		sigframe_enter(&tf, kinds[k], frame, in.sig, 0x08048500);
		/* The handler returns: esp is frame + 4 (rt) or + 8 (plain, after popl). */
		uint32_t sp = tf.user_esp + (kinds[k] == FRAME_PLAIN ? 8 : 4);
		uint32_t at = kinds[k] == FRAME_PLAIN ? sp - 8 : sp - 4;
		CHECK_EQ(at, frame);
		uint32_t *w = (uint32_t *)&back;
		for (uint32_t off = 0; off < sigframe_size(kinds[k]); off += 4)
			CHECK_EQ(uread(mm, at + off, &w[off / 4]), 0);
		CHECK(!memcmp(&back, &b, sigframe_size(kinds[k])));
		const struct sigcontext *sc = kinds[k] == FRAME_PLAIN ? &back.plain.sc : &back.rt.uc.uc_mcontext;
		sigframe_restore_regs(&tf, sc);
		CHECK_EQ(tf.eip, user_tf.eip);
		CHECK_EQ(tf.user_esp, user_tf.user_esp);
		CHECK_EQ(tf.eax, user_tf.eax);
		CHECK_EQ(tf.edx, user_tf.edx);
		CHECK_EQ(tf.ecx, user_tf.ecx);
		CHECK_EQ(tf.cs, user_tf.cs);
		CHECK_EQ(tf.user_ss, user_tf.user_ss);
		CHECK_EQ(tf.gs, user_tf.gs);
		CHECK_EQ(tf.eflags, user_tf.eflags);	/* TF, DF and RF back as they were */
	}
	mm_put(mm);
}

TEST(sigframe_fpu_state_both_ways)
{
	static uint8_t fx[FXSAVE_SIZE] __attribute__((aligned(16)));
	memset(fx, 0, sizeof fx);
	uint16_t *env = (uint16_t *)fx;
	env[0] = 0x037F;			/* fcw */
	env[1] = 6u << 11;			/* fsw: top of stack = 6 */
	env[2] = 0xC3;				/* abridged tags: physical 0, 1, 6, 7 in use */
	struct fpxreg *st = (struct fpxreg *)(fx + 32);
	st[0] = (struct fpxreg){ .significand = { 0, 0, 0, 0x8000 }, .exponent = 0x3FFF };	/* ST0 = phys 6: 1.0 */
	st[1] = (struct fpxreg){ .exponent = 0 };						/* ST1 = phys 7: zero */
	st[2] = (struct fpxreg){ .exponent = 0x7FFF };					/* ST2 = phys 0: special */
	st[3] = (struct fpxreg){ .significand = { 1, 0, 0, 0 }, .exponent = 0x4000 };	/* ST3 = phys 1: unnormal */
	uint32_t *mxcsr = (uint32_t *)(fx + 24);
	*mxcsr = 0x1F80;
	static struct fpstate_32 fp;
	sigframe_fpstate_out(&fp, fx);
	CHECK_EQ(fp.cw, 0xFFFF037F);
	CHECK_EQ(fp.sw, 0xFFFF0000 | 6u << 11);
	/* phys 0: special (2), 1: special (2), 2-5: empty (3), 6: valid (0), 7: zero (1). */
	CHECK_EQ(fp.tag, 0xFFFF0000u | 2 | 2 << 2 | 3 << 4 | 3 << 6 | 3 << 8 | 3 << 10 | 0 << 12 | 1 << 14);
	CHECK_EQ(fp.magic, X86_FXSR_MAGIC);
	CHECK_EQ(fp.mxcsr, 0x1F80);
	/* The handler edits the fsave part: it wins; reserved MXCSR bits go. */
	fp.cw = 0x027F;
	fp.tag = 0xFFFF0000u | 0x3FFF;		/* only phys 7 in use */
	fp.mxcsr = 0xFFFFFFFF;
	sigframe_fpstate_in(&fp, 0xFFBF);
	env = (uint16_t *)fp.fxsr_env;
	CHECK_EQ(env[0], 0x027F);
	CHECK_EQ(env[2], 0x80);
	CHECK_EQ(fp.mxcsr, 0xFFBF);
	/* A frame with some other magic: the image as it is, MXCSR still masked. */
	fp.magic = 0x1234;
	fp.cw = 0x0000;
	fp.mxcsr = 0xFFFFFFFF;
	sigframe_fpstate_in(&fp, 0xFFBF);
	CHECK_EQ(env[0], 0x027F);
	CHECK_EQ(fp.mxcsr, 0xFFBF);
}
