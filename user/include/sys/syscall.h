/*
 * The one way into the kernel: int $0x80 with the call number in eax and up
 * to six arguments in ebx, ecx, edx, esi, edi, ebp.  The result comes back
 * in eax; a value in [-4095, -1] is -errno.
 *
 * __syscall6 returns that raw value.  The wrappers in lib/syscalls.c turn it
 * into the C convention (-1 and errno) with __syscall_ret.
 */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#include <uapi/unistd.h>

static inline long __syscall6(long n, long a1, long a2, long a3,
                              long a4, long a5, long a6)
{
	long ret;
	/*
	 * ebp is our frame pointer, so GCC will not hand it out as an operand.
	 * Push the sixth argument first (its operand is evaluated before esp
	 * moves), save ebp, load it from the pushed copy, trap, and undo.
	 */
	__asm__ volatile(
		"pushl %7\n\t"
		"pushl %%ebp\n\t"
		"movl 4(%%esp), %%ebp\n\t"
		"int $0x80\n\t"
		"popl %%ebp\n\t"
		"addl $4, %%esp"
		: "=a"(ret)
		: "a"(n), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5), "g"(a6)
		: "memory");
	return ret;
}

/* Shorter spellings for calls with fewer arguments. */
#define __syscall0(n)                    __syscall6(n, 0, 0, 0, 0, 0, 0)
#define __syscall1(n, a)                 __syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(n, a, b)              __syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(n, a, b, c)           __syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(n, a, b, c, d)        __syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __syscall5(n, a, b, c, d, e)     __syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* Raw result -> C convention: -4095..-1 become errno and -1. */
long __syscall_ret(long raw);

/* The generic wrapper: syscall(__NR_x, args...) returns -1 and sets errno. */
long syscall(long n, ...);

#endif
