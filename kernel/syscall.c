/*
 * System-call dispatch.  The table is built at boot from the SYSCALL()
 * entries every subsystem places in the .syscalls section; a number with
 * no entry returns -ENOSYS, and the first call of each such number is
 * logged with its Linux name so that a missing call is easy to spot.
 */
#include <kernel/altmm.h>
#include <kernel/printk.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/user_return.h>
#include <kernel/x86.h>

extern const struct syscall_entry syscalls_start[], syscalls_end[];

static syscall_fn table[NR_SYSCALLS];
static uint8_t logged[NR_SYSCALLS];

#define NAME_ENTRY(nr, name) [nr] = #name,
static const char *const names[NR_SYSCALLS] = {
	SYSCALL_NAMES(NAME_ENTRY)
	[__NR_mm_mmap] = "mm_mmap", [__NR_mm_munmap] = "mm_munmap", [__NR_mm_mprotect] = "mm_mprotect",
	[__NR_mm_batch] = "mm_batch", [__NR_sigaltmm] = "sigaltmm",
};

void syscall_init(void)
{
	for (const struct syscall_entry *e = syscalls_start; e < syscalls_end; e++) {
		if (e->nr >= NR_SYSCALLS || table[e->nr])
			panic("syscall %u registered twice or out of range", e->nr);
		table[e->nr] = e->fn;
	}
}

static void syscall_dispatch(struct trapframe *tf);

/* Vector 0x80's own way in (trap_entry.S): the call, then what the way
 * back to user mode does after any trap from it.  It comes from user mode
 * alone: the kernel never makes a system call of its own, so no test for
 * that costs every call an instruction or four. */
void syscall_trap(struct trapframe *tf)
{
	syscall_dispatch(tf);
	trap_return_to_user(tf);
}

static inline void syscall_dispatch(struct trapframe *tf)
{
	uint32_t nr = tf->eax;
	if (altmm_foreign(current)) {	/* guest code: no system call reaches us */
		current->syscall_nr = -1;	/* nothing to restart: it never ran */
		altmm_foreign_syscall(tf);
		return;
	}
	current->syscall_nr = (int)nr;	/* for restarting it after a signal */
	sti();	/* system calls run with interrupts on; the kernel is not preempted */
	if (nr < NR_SYSCALLS && table[nr]) {
		long ret = table[nr](tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp);
		/* A restart code with no signal to handle must not reach user space. */
		if (ret <= -ERESTARTSYS && ret >= -ERESTARTNOHAND && !signal_pending(current))
			ret = -EINTR;
		tf->eax = (uint32_t)ret;
		return;
	}
	/* Said once per number, and once for all numbers past the table:
	 * a program making random calls must not flood the console. */
	static uint8_t logged_beyond;
	uint8_t *said = nr < NR_SYSCALLS ? &logged[nr] : &logged_beyond;
	if (!*said) {
		printk("%s[%d]: system call %u (%s) not implemented: -ENOSYS%s\n", current->comm,
		       current->pid, nr, nr < NR_SYSCALLS && names[nr] ? names[nr] : "unknown",
		       nr < NR_SYSCALLS ? "" : " (further ones past the table are not logged)");
		*said = 1;
	}
	tf->eax = (uint32_t)-ENOSYS;
}
