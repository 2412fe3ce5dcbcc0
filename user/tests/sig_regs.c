/*
 * Registers through the signal frame: a handler that edits the saved
 * registers (eip to skip an instruction, the general registers, the
 * arithmetic flags) sees its edits take effect, through rt_sigreturn and
 * through the old sigreturn; a handler starts with DF clear; the FPU and
 * SSE state is saved in the frame, the handler starts with a fresh one,
 * and the interrupted code gets its own back (or the frame's, as edited).
 */
#include "sigcheck.h"

/*
 * void edit_regs(uint32_t out[9]): loads eax..ebp with 0x11..0x77, sets CF
 * and DF, executes ud2 (2 bytes) at edit_regs_ud2, then stores what the
 * registers hold into out[]: eax ebx ecx edx esi edi ebp, CF, DF.
 */
void edit_regs(uint32_t out[9]);
extern char edit_regs_ud2[];
__asm__(".text\n"
	".globl edit_regs, edit_regs_ud2\n"
	"edit_regs:\n"
	"	pushl %ebp\n	pushl %ebx\n	pushl %esi\n	pushl %edi\n"
	"	movl $0x11, %eax\n	movl $0x22, %ebx\n	movl $0x33, %ecx\n"
	"	movl $0x44, %edx\n	movl $0x55, %esi\n	movl $0x66, %edi\n"
	"	movl $0x77, %ebp\n"
	"	stc\n	std\n"
	"edit_regs_ud2:\n"
	"	ud2\n"
	"	pushl %eax\n"                   /* out is now at 24(%esp) */
	"	pushfl\n"                       /* and now at 28(%esp) */
	"	movl 28(%esp), %eax\n"
	"	movl %ebx, 4(%eax)\n	movl %ecx, 8(%eax)\n	movl %edx, 12(%eax)\n"
	"	movl %esi, 16(%eax)\n	movl %edi, 20(%eax)\n	movl %ebp, 24(%eax)\n"
	"	popl %ecx\n"                    /* eflags */
	"	movl %ecx, %edx\n	andl $1, %edx\n	movl %edx, 28(%eax)\n"
	"	shrl $10, %ecx\n	andl $1, %ecx\n	movl %ecx, 32(%eax)\n"
	"	popl %ecx\n	movl %ecx, (%eax)\n"
	"	cld\n"
	"	popl %edi\n	popl %esi\n	popl %ebx\n	popl %ebp\n"
	"	ret\n");

static const uint32_t before[7] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
static const uint32_t after[7] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07 };
static volatile int handled, entry_df;

static uint32_t flags_now(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

/* Check the registers at the ud2, then replace them and skip the ud2. */
static void edit(struct sigcontext *sc)
{
	uint32_t *r[7] = { &sc->eax, &sc->ebx, &sc->ecx, &sc->edx, &sc->esi, &sc->edi, &sc->ebp };

	entry_df = (flags_now() & X86_EFLAGS_DF) != 0;
	CHECK_EQ(sc->eip, (uint32_t)edit_regs_ud2);
	for (int i = 0; i < 7; i++) {
		CHECK_EQ(*r[i], before[i]);
		*r[i] = after[i];
	}
	CHECK_EQ(sc->eflags & (X86_EFLAGS_CF | X86_EFLAGS_DF), X86_EFLAGS_CF | X86_EFLAGS_DF);
	sc->eflags &= ~(X86_EFLAGS_CF | X86_EFLAGS_DF);
	sc->eip += 2;
	handled++;
}

static void rt_ill(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	edit(&((ucontext_t *)uc)->uc_mcontext);
}

static void plain_ill(int sig)
{
	struct sigframe *f = (struct sigframe *)((char *)__builtin_frame_address(0) + 4);
	__asm__("" : "+r"(f));          /* keep GCC from dropping our stores */
	(void)sig;
	edit(&f->sc);
}

static void test_edit(void)
{
	for (int rt = 0; rt < 2; rt++) {
		uint32_t out[9];
		if (rt)
			catch_info(SIGILL, rt_ill, 0);
		else
			catch_plain(SIGILL, plain_ill, 0);
		handled = 0;
		entry_df = -1;
		edit_regs(out);
		CHECK_EQ(handled, 1);
		CHECK_EQ(entry_df, 0);          /* the kernel clears DF for the handler */
		for (int i = 0; i < 7; i++)
			CHECK_EQ(out[i], after[i]);
		CHECK_EQ(out[7], 0);            /* CF and DF as the frame said */
		CHECK_EQ(out[8], 0);
	}
	set_disp(SIGILL, SIG_DFL);
}

/*
 * FPU round trip, in one asm block so that no compiler code runs between:
 * set cw, st0 = pi, st1 = 1, xmm0, xmm1, mxcsr; tgkill(pid, tid, sig);
 * then read them all back.
 */
struct fpu_io {
	uint32_t cw, mxcsr;
	uint8_t xmm0[16], xmm1[16];
	uint32_t pid, tid, sig;
	uint32_t out_cw, out_mxcsr;
	uint8_t out_xmm0[16], out_xmm1[16];
	uint8_t out_st0[10], out_st1[10];
};

static void fpu_roundtrip(struct fpu_io *io)
{
	__asm__ volatile(
		"fninit\n	fldcw (%%esi)\n	fld1\n	fldpi\n"
		"movups 8(%%esi), %%xmm0\n	movups 24(%%esi), %%xmm1\n	ldmxcsr 4(%%esi)\n"
		"pushl %%ebx\n"
		"movl 40(%%esi), %%ebx\n	movl 44(%%esi), %%ecx\n	movl 48(%%esi), %%edx\n"
		"movl $270, %%eax\n	int $0x80\n"          /* tgkill */
		"popl %%ebx\n"
		"fnstcw 52(%%esi)\n	stmxcsr 56(%%esi)\n"
		"movups %%xmm0, 60(%%esi)\n	movups %%xmm1, 76(%%esi)\n"
		"fstpt 92(%%esi)\n	fstpt 102(%%esi)\n"
		"fninit\n"
		: : "S"(io) : "eax", "ecx", "edx", "memory", "cc");
}

_Static_assert(offsetof(struct fpu_io, pid) == 40 && offsetof(struct fpu_io, out_cw) == 52 &&
	       offsetof(struct fpu_io, out_xmm0) == 60 && offsetof(struct fpu_io, out_st0) == 92,
	       "fpu_io offsets used by the asm");

static const uint8_t pi80[10] = { 0x35, 0xc2, 0x68, 0x21, 0xa2, 0xda, 0x0f, 0xc9, 0x00, 0x40 };
static const uint8_t one80[10] = { 0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f };
static const uint8_t two80[10] = { 0, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0x40 };
static int fpu_edit;            /* 0: check and trash; 1: also edit the frame */
static volatile int fpu_ok;

static void fpu_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	struct fpstate_32 *fp = (struct fpstate_32 *)uc->uc_mcontext.fpstate;
	uint16_t cw;
	uint32_t mxcsr;

	(void)sig;
	(void)si;
	/* The handler starts with a fresh FPU. */
	__asm__ volatile("fnstcw %0\n	stmxcsr %1" : "=m"(cw), "=m"(mxcsr));
	CHECK_EQ(cw, 0x37f);
	CHECK_EQ(mxcsr, 0x1f80);
	/* The frame has the interrupted state, in both formats. */
	CHECK(fp != NULL);
	CHECK_EQ(fp->magic, X86_FXSR_MAGIC);
	CHECK_EQ(fp->cw & 0xffff, 0x27f);
	CHECK_EQ(fp->fxsr_env[0] & 0xffff, 0x27f);
	CHECK_EQ(fp->mxcsr, 0x7f80);
	CHECK(!memcmp(&fp->st[0], pi80, 10));
	CHECK(!memcmp(&fp->fxsr_st[0], pi80, 10));
	CHECK(!memcmp(&fp->st[1], one80, 10));
	CHECK_EQ(fp->xmm[0].element[0], 0x01020304);
	CHECK_EQ(fp->xmm[1].element[3], 0xcafef00d);
	/* Trash everything; the interrupted code must not notice. */
	static const uint32_t junk[4] = { 1, 2, 3, 4 };
	__asm__ volatile("fninit\n	fldz\n	fldz\n	fldcw %0\n	ldmxcsr %1\n"
			 "movups %2, %%xmm0\n	movups %2, %%xmm1\n"
			 : : "m"((uint16_t){ 0xc7f }), "m"((uint32_t){ 0x3f80 }), "m"(junk));
	if (fpu_edit) {
		/* x87 state comes back from the fsave part, SSE state from
		 * the fxsave image (its x87 copy is not used). */
		fp->cw = 0x7f;
		fp->fxsr_env[0] = (fp->fxsr_env[0] & ~0xffffu) | 0x37f;
		memcpy(&fp->st[0], two80, 10);
		memcpy(&fp->fxsr_st[0], one80, 10);
		fp->xmm[1].element[3] = 0x600dd00d;
		fp->mxcsr = 0x1f80;
	}
	fpu_ok = 1;
}

static int have_sse(void)
{
	uint32_t a = 1, b, c, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return (d >> 25) & 1;
}

static void test_fpu(void)
{
	struct fpu_io io = { .cw = 0x27f, .mxcsr = 0x7f80 };

	if (!have_sse()) {
		printf("no SSE: FPU part skipped\n");
		return;
	}
	for (int i = 0; i < 16; i++)
		io.xmm0[i] = io.xmm1[i] = (uint8_t)(16 - i);
	memcpy(io.xmm0, &(uint32_t){ 0x01020304 }, 4);
	memcpy(io.xmm1 + 12, &(uint32_t){ 0xcafef00d }, 4);
	io.pid = getpid();
	io.tid = gettid();
	io.sig = SIGUSR1;
	catch_info(SIGUSR1, fpu_handler, 0);

	fpu_edit = 0;
	fpu_ok = 0;
	fpu_roundtrip(&io);
	CHECK(fpu_ok);
	CHECK_EQ(io.out_cw, 0x27f);
	CHECK_EQ(io.out_mxcsr, 0x7f80);
	CHECK(!memcmp(io.out_xmm0, io.xmm0, 16));
	CHECK(!memcmp(io.out_xmm1, io.xmm1, 16));
	CHECK(!memcmp(io.out_st0, pi80, 10));
	CHECK(!memcmp(io.out_st1, one80, 10));

	fpu_edit = 1;
	fpu_ok = 0;
	fpu_roundtrip(&io);
	CHECK(fpu_ok);
	CHECK_EQ(io.out_cw & 0xffff, 0x7f);
	CHECK_EQ(io.out_mxcsr, 0x1f80);
	CHECK(!memcmp(io.out_xmm0, io.xmm0, 16));
	CHECK_EQ(((uint32_t *)io.out_xmm1)[3], 0x600dd00d);
	CHECK(!memcmp(io.out_st0, two80, 10));
	CHECK(!memcmp(io.out_st1, one80, 10));
	set_disp(SIGUSR1, SIG_DFL);
}

int main(void)
{
	set_mask(0);
	watchdog(20);
	test_edit();
	test_fpu();
	return 0;
}
