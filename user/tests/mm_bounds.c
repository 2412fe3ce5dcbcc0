/*
 * The range checks of mmap2, munmap and mprotect on the caller's own space
 * at the edges of user space (the cases are in mm_bounds.h): nothing may
 * reach the kernel half, and the errors are Linux's.
 *
 * Mappings that do succeed at the very top of user space replace the
 * stack, so they run in a child that makes its calls straight through
 * int $0x80 and reports in its exit status (raw_edge_calls below).
 */
#include "mm_bounds.h"

static void *self_map(uint32_t addr, uint32_t len, int prot, int flags)
{
	return mmap((void *)addr, len, prot, flags, -1, 0);
}

static int self_unmap(uint32_t addr, uint32_t len)
{
	return munmap((void *)addr, len);
}

static int self_protect(uint32_t addr, uint32_t len, int prot)
{
	return mprotect((void *)addr, len, prot);
}

static const struct mm_ops self_ops = { "own space", self_map, self_unmap, self_protect };

/*
 * raw_edge_calls(): map [0x10000000, 0xc0000000) over everything there
 * (the stack included; MAP_NORESERVE, or Linux's overcommit check
 * refuses 2.75 GiB of writable memory on a small machine), make it read-only, unmap it, map the last user
 * page alone, then exit with 0, or with the number of the step whose
 * result was wrong.  No stack is used after the first call.
 */
void raw_edge_calls(void) __attribute__((noreturn));
__asm__(".text\n"
	"raw_edge_calls:\n"
	"	movl $192, %eax\n	movl $0x10000000, %ebx\n	movl $0xb0000000, %ecx\n"
	"	movl $3, %edx\n	movl $0x4032, %esi\n	movl $-1, %edi\n	xorl %ebp, %ebp\n"
	"	int $0x80\n"
	"	movl $1, %ebx\n	cmpl $0x10000000, %eax\n	jne 9f\n"
	"	movl $125, %eax\n	movl $0x10000000, %ebx\n	movl $0xb0000000, %ecx\n"
	"	movl $1, %edx\n	int $0x80\n"
	"	movl $2, %ebx\n	testl %eax, %eax\n	jne 9f\n"
	"	movl $91, %eax\n	movl $0x10000000, %ebx\n	movl $0xb0000000, %ecx\n"
	"	int $0x80\n"
	"	movl $3, %ebx\n	testl %eax, %eax\n	jne 9f\n"
	"	movl $192, %eax\n	movl $0xbffff000, %ebx\n	movl $0x1000, %ecx\n"
	"	movl $3, %edx\n	movl $0x32, %esi\n	movl $-1, %edi\n	xorl %ebp, %ebp\n"
	"	int $0x80\n"
	"	movl $4, %ebx\n	cmpl $0xbffff000, %eax\n	jne 9f\n"
	"	movl $0xbffff000, %eax\n	movl $0x5a, (%eax)\n"	/* the page is there */
	"	movl $5, %ebx\n	cmpl $0x5a, (%eax)\n	jne 9f\n"
	"	xorl %ebx, %ebx\n"
	"9:	movl $252, %eax\n	int $0x80\n"
	"	hlt\n");

static int edge_child(void *arg)
{
	(void)arg;
	raw_edge_calls();
}

int main(void)
{
	check_refusals(&self_ops, 1);
	int status = run_child(edge_child, 0);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	/* And nothing was left behind in our own space. */
	check_refusals(&self_ops, 1);
	return 0;
}
