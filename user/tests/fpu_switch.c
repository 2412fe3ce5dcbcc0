/*
 * FPU and SSE registers across context switches: each process has its
 * own, whoever else runs between.
 *
 * A child loads x87 and SSE state of its own (a control word, MXCSR, a
 * value on the x87 stack, a pattern in xmm1), then the two processes
 * take turns, a byte through a pipe each way, 20 times: every turn is a
 * switch.  The child checks its state is still its own after every turn.
 * The parent never touches the FPU during the turns; at the end its very
 * first FPU and SSE instructions must find a fresh FPU (the state a
 * program starts with), not the child's.  A kernel that hands the
 * registers from one process to the next without loading them fails one
 * side or the other.
 */
#include "check.h"

#define TURNS 20

struct fpu_view {
	uint16_t cw;
	uint32_t mxcsr;
	uint32_t xmm1[4];
};

static void fpu_read(struct fpu_view *v)
{
	__asm__ volatile("fnstcw %0" : "=m"(v->cw));
	__asm__ volatile("stmxcsr %0" : "=m"(v->mxcsr));
	__asm__ volatile("movups %%xmm1, %0" : "=m"(v->xmm1));
}

static void turn(int in, int out)
{
	char c = 't';
	CHECK_EQ(write(out, &c, 1), 1);
	CHECK_EQ(read(in, &c, 1), 1);
}

int main(void)
{
	int to_child[2], to_parent[2];
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		static const uint32_t pattern[4] = { 0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00 };
		static const uint16_t cw = 0x027f;	/* double precision */
		static const uint32_t mxcsr = 0x1fc0;	/* flush to zero... and denormals are zero */
		static const int32_t seven = 7;
		__asm__ volatile("fldcw %0" : : "m"(cw));
		__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
		__asm__ volatile("movups %0, %%xmm1" : : "m"(pattern));
		__asm__ volatile("fildl %0" : : "m"(seven));	/* st0 = 7 */
		for (int i = 0; i < TURNS; i++) {
			char c;
			CHECK_EQ(read(to_child[0], &c, 1), 1);
			struct fpu_view v;
			fpu_read(&v);
			CHECK_EQ(v.cw, cw);
			CHECK_EQ(v.mxcsr, mxcsr);
			for (int k = 0; k < 4; k++)
				CHECK_EQ(v.xmm1[k], pattern[k]);
			CHECK_EQ(write(to_parent[1], &c, 1), 1);
		}
		int32_t st0;
		__asm__ volatile("fistpl %0" : "=m"(st0));
		CHECK_EQ(st0, 7);
		_exit(0);
	}
	for (int i = 0; i < TURNS; i++)
		turn(to_parent[0], to_child[1]);
	struct fpu_view v;
	fpu_read(&v);
	CHECK_EQ(v.cw, 0x037f);
	CHECK_EQ(v.mxcsr, 0x1f80);
	for (int k = 0; k < 4; k++)
		CHECK_EQ(v.xmm1[k], 0);
	uint16_t sw;
	__asm__ volatile("fnstsw %0" : "=m"(sw));
	CHECK_EQ((sw >> 11) & 7, 0);	/* nothing pushed: top of stack 0 */
	CHECK_EQ(wait_status(pid), 0);
	return 0;
}
