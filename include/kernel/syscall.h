/*
 * System calls (kernel/syscall.c, kernel/arch/x86/trap.c).
 *
 * A user program enters with `int $0x80`: number in eax, arguments in
 * ebx, ecx, edx, esi, edi, ebp, result back in eax (-errno on failure).
 * Each subsystem registers its calls next to their code with
 *
 *	SYSCALL(read, sys_read);
 *
 * which places an entry in the .syscalls section; syscall_init builds the
 * dispatch table from those entries.  Handlers take their arguments with
 * their natural C types (all are 32 bits wide on i386, so the dispatcher
 * can pass six words to any of them).  A number with no entry returns
 * -ENOSYS, and the first such call of each number is logged by name.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>
#include <uapi/altmm.h>
#include <uapi/errno.h>
#include <uapi/unistd.h>

/* Linux's numbers, then our own block (altmm) at ALTMM_FIRST_SYSCALL. */
#define NR_SYSCALLS (ALTMM_FIRST_SYSCALL + ALTMM_NR_SYSCALLS)

/* Marks a pointer that comes from user space: use <kernel/uaccess.h>. */
#define __user

typedef long (*syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);

struct syscall_entry {
	uint32_t nr;
	syscall_fn fn;
};

#define SYSCALL(name, fn)							\
	static const struct syscall_entry syscall_entry_##name			\
	__attribute__((used, section(".syscalls"), aligned(4))) =		\
		{ __NR_##name, (syscall_fn)(void (*)(void))(fn) }

struct trapframe;
void syscall_init(void);

#endif
