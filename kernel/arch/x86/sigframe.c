/*
 * Signal frames as data, exactly as Linux i386 lays them out
 * (<uapi/signal.h> draws them); contract in sigframe.h.  signal_frame.c
 * puts them on the user stack and takes them back.
 *
 * sigreturn trusts nothing in a frame: code and stack selectors are
 * forced to ring 3 here, and the CPU, on the way out, refuses or nulls
 * any selector ring 3 may not use (as on Linux); only the arithmetic,
 * direction, trap, alignment and resume flags come from the frame's
 * eflags (never IOPL, IF, VM or NT).
 */
#include <kernel/string.h>
#include "sigframe.h"

/* ---- FPU state in the frame ---- */

/* The x87 tag of one register in the full (fsave) format: 0 valid, 1 zero,
 * 2 special, 3 empty.  fxsave keeps only "empty or not", so Linux works the
 * rest out from the register's value; so do we. */
static uint32_t full_tag(const struct fpxreg *r, bool used)
{
	if (!used)
		return 3;
	uint16_t exp = r->exponent & 0x7FFF;
	bool sig_zero = !r->significand[0] && !r->significand[1] && !r->significand[2] && !r->significand[3];
	if (exp == 0x7FFF)
		return 2;
	if (exp == 0)
		return sig_zero ? 1 : 2;
	return (r->significand[3] & 0x8000) ? 0 : 2;	/* no integer bit: unnormal */
}

/* Fill the fsave part of a frame's fpstate from the fxsave image after it. */
static void fsave_from_fxsave(struct fpstate_32 *fp)
{
	const uint16_t *env = (const uint16_t *)fp->fxsr_env;	/* fcw fsw ftw(8 bits) fop */
	uint32_t tos = (env[1] >> 11) & 7;
	fp->cw = env[0] | 0xFFFF0000u;
	fp->sw = env[1] | 0xFFFF0000u;
	fp->tag = 0xFFFF0000u;
	for (uint32_t phys = 0; phys < 8; phys++) {
		uint32_t st = (phys - tos) & 7;	/* which ST(i) is physical register phys */
		fp->tag |= full_tag(&fp->fxsr_st[st], (env[2] >> phys) & 1) << (2 * phys);
	}
	fp->ipoff = fp->fxsr_env[2];
	fp->cssel = (fp->fxsr_env[3] & 0xFFFF) | (uint32_t)env[3] << 16;	/* fcs, fop */
	fp->dataoff = fp->fxsr_env[4];
	fp->datasel = fp->fxsr_env[5] & 0xFFFF;
	for (int i = 0; i < 8; i++)
		memcpy(&fp->st[i], &fp->fxsr_st[i], sizeof fp->st[i]);
	fp->status = (uint16_t)env[1];
	fp->magic = X86_FXSR_MAGIC;
}

/*
 * The other way, at sigreturn: the fsave part of the frame wins over the
 * environment and registers in the fxsave image after it (a handler may
 * have edited either; Linux applies the fsave part last).  MXCSR and the
 * XMM registers come from the image.
 */
static void fxsave_from_fsave(struct fpstate_32 *fp)
{
	uint16_t *env = (uint16_t *)fp->fxsr_env;
	env[0] = (uint16_t)fp->cw;
	env[1] = (uint16_t)fp->sw;
	uint8_t abridged = 0;
	for (int phys = 0; phys < 8; phys++)
		if (((fp->tag >> (2 * phys)) & 3) != 3)
			abridged |= (uint8_t)(1u << phys);
	env[2] = abridged;		/* ftw, and the reserved byte after it */
	env[3] = (uint16_t)(fp->cssel >> 16);	/* fop */
	fp->fxsr_env[2] = fp->ipoff;
	fp->fxsr_env[3] = fp->cssel & 0xFFFF;
	fp->fxsr_env[4] = fp->dataoff;
	fp->fxsr_env[5] = fp->datasel & 0xFFFF;
	for (int i = 0; i < 8; i++)
		memcpy(&fp->fxsr_st[i], &fp->st[i], sizeof fp->st[i]);
}

void sigframe_fpstate_out(struct fpstate_32 *fp, const void *fxsave)
{
	memset(fp, 0, sizeof *fp);
	memcpy(fp->fxsr_env, fxsave, FXSAVE_SIZE);
	fsave_from_fxsave(fp);
}

void sigframe_fpstate_in(struct fpstate_32 *fp, uint32_t mxcsr_mask)
{
	/* Reserved MXCSR bits would make fxrstor fault: Linux drops them. */
	fp->mxcsr &= mxcsr_mask;
	if (fp->magic == X86_FXSR_MAGIC || fp->magic == X86_FSAVE_MAGIC)
		fxsave_from_fsave(fp);
}

/* ---- building a frame ---- */

uint32_t sigframe_size(enum frame_kind kind)
{
	return kind == FRAME_PLAIN ? sizeof(struct sigframe)
	       : kind == FRAME_RT ? sizeof(struct rt_sigframe) : sizeof(struct altmm_sigframe);
}

uint32_t sigframe_place(uint32_t sp, uint32_t stack_limit, enum frame_kind kind, bool lean,
			uint32_t *fpstate)
{
	/* The FPU state: a 64-byte aligned fxsave image, the fsave part below it. */
	uint32_t fx = (sp - FXSAVE_SIZE) & ~63u;
	*fpstate = lean ? 0 : fx - FPSTATE_FSAVE_SIZE;
	uint32_t frame = (((lean ? sp : *fpstate) - sigframe_size(kind) + 4) & ~15u) - 4;	/* (esp + 4) % 16 == 0 */
	if (frame > sp || (stack_limit && frame < stack_limit))
		return 0;	/* wrapped, or overflowed the alternate stack */
	return frame;
}

void sigframe_fill(union sigframe_buf *buf, enum frame_kind kind, uint32_t frame, uint32_t fpstate,
		   const struct trapframe *tf, const struct sigframe_in *in)
{
	memset(buf, 0, sizeof *buf);
	if (kind != FRAME_PLAIN) {
		/* rt_sigframe and altmm_sigframe agree up to uc_sigmask. */
		static const uint8_t retcode[8] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0 };
		struct altmm_sigframe *f = &buf->am;
		f->sig = in->sig;
		f->pinfo = frame + offsetof(struct rt_sigframe, info);
		f->puc = frame + offsetof(struct rt_sigframe, uc);
		f->info = *in->info;
		f->uc.uc_stack.ss_sp = (__uaddr(void *))(uintptr_t)in->altstack_sp;
		f->uc.uc_stack.ss_flags = (int32_t)in->altstack_flags;	/* as set, like Linux */
		f->uc.uc_stack.ss_size = in->altstack_size;
		sigframe_fill_sigcontext(&f->uc.uc_mcontext, tf, in->trapno, in->err, in->cr2, fpstate,
					 (uint32_t)in->old_blocked);
		f->uc.uc_sigmask = in->old_blocked;
		uint32_t retcode_at;
		if (kind == FRAME_ALTMM) {
			f->uc.uc_flags = UC_ALTMM;
			f->uc.uc_mm = in->uc_mm;
			memcpy(f->retcode, retcode, sizeof retcode);
			retcode_at = offsetof(struct altmm_sigframe, retcode);
		} else {
			memcpy(buf->rt.retcode, retcode, sizeof retcode);
			retcode_at = offsetof(struct rt_sigframe, retcode);
		}
		f->pretcode = in->restorer ? in->restorer : frame + retcode_at;
	} else {
		static const uint8_t retcode[8] = { 0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80 };
		struct sigframe *f = &buf->plain;
		f->pretcode = in->restorer ? in->restorer : frame + offsetof(struct sigframe, retcode);
		f->sig = in->sig;
		sigframe_fill_sigcontext(&f->sc, tf, in->trapno, in->err, in->cr2, fpstate,
					 (uint32_t)in->old_blocked);
		f->extramask[0] = (uint32_t)(in->old_blocked >> 32);
		memcpy(f->retcode, retcode, sizeof retcode);
	}
}

void sigframe_enter(struct trapframe *tf, enum frame_kind kind, uint32_t frame, int sig, uint32_t handler)
{
	if (kind != FRAME_PLAIN) {
		tf->edx = frame + offsetof(struct rt_sigframe, info);
		tf->ecx = frame + offsetof(struct rt_sigframe, uc);
	} else {
		tf->edx = tf->ecx = 0;
	}
	signal_enter_handler(tf, sig, handler, frame);
}

/* ---- returning from a handler ---- */

/*
 * The selectors are Linux's business exactly: cs and ss get RPL 3, and
 * everything else about every selector is left to the CPU, as Linux
 * leaves it.  On the way out (trap_entry.S) the data segment registers
 * are loaded in ring 0, where one that does not load becomes null
 * (segment_pop_fixup), and the iret nulls the ones ring 3 may not hold;
 * if the iret itself faults, a code or stack segment ring 3 cannot use,
 * the task gets SIGILL, ILL_BADSTK, trap 32 (iret_failed in trap.c).
 * RPL 3 means the return can never land in ring 0: a non-conforming code
 * segment must have DPL 3 to be entered with it, and there is no
 * conforming one.
 */
void sigframe_restore_regs(struct trapframe *tf, const struct sigcontext *sc)
{
	tf->gs = sc->gs;
	tf->fs = sc->fs;
	tf->es = sc->es;
	tf->ds = sc->ds;
	tf->edi = sc->edi;
	tf->esi = sc->esi;
	tf->ebp = sc->ebp;
	tf->user_esp = sc->esp;
	tf->ebx = sc->ebx;
	tf->edx = sc->edx;
	tf->ecx = sc->ecx;
	tf->eax = sc->eax;
	tf->eip = sc->eip;
	tf->cs = sc->cs | 3u;
	tf->user_ss = sc->ss | 3u;
	tf->eflags = (tf->eflags & ~SIGRETURN_EFLAGS) | (sc->eflags & SIGRETURN_EFLAGS);
}
