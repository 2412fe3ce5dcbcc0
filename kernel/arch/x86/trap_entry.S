/*
 * Entry points for all 256 interrupt vectors.  Each stub pushes a dummy
 * error code when the CPU does not push one, then its vector number, and
 * jumps to the common path, which saves the rest of struct trapframe
 * (<kernel/trap.h>), loads the kernel data segments and calls
 * trap_dispatch(tf).  Returning undoes it all and irets.
 *
 * The system call vector (0x80) saves the same frame but calls
 * syscall_trap(tf) (kernel/syscall.c) instead: a system call always comes
 * from user mode, so none of trap_dispatch's questions need asking on the
 * path every system call takes.  Both return through trap_return.
 */
#include <kernel/arch.h>

	.text
	.altmacro
/* The CPU pushes an error code for vectors 8, 10-14, 17, 21, 29 and 30. */
	.macro STUB n
vector\n:
	.if !(((\n) == 8) || ((\n) >= 10 && (\n) <= 14) || (\n) == 17 || (\n) == 21 || (\n) == 29 || (\n) == 30)
	pushl	$0
	.endif
	pushl	$\n
	.if (\n) == 0x80
	jmp	syscall_common
	.else
	jmp	trap_common
	.endif
	.endm

/* What both ways in save (struct trapframe, above the vector and error
 * code) and the kernel's data segments. */
	.macro SAVE_FRAME
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	pushal
	cld			/* user code may have set DF: the kernel's string copies need it clear */
	mov	$SEL_KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	.endm

	.set i, 0
	.rept 256
	STUB %i
	.set i, i + 1
	.endr

	.global trap_common
	.type trap_common, @function
trap_common:
	SAVE_FRAME
	pushl	%esp		/* the trapframe pointer */
	call	trap_dispatch
	addl	$4, %esp
	.global trap_return, trap_pop_gs, trap_pop_fs, trap_pop_es, trap_pop_ds, trap_iret
trap_return:
	popal
	/* A selector that no longer loads (a TLS slot emptied since) makes one
	 * of these pops fault; trap.c then puts 0 in its place and retries,
	 * as Linux does. */
trap_pop_gs:
	popl	%gs
trap_pop_fs:
	popl	%fs
trap_pop_es:
	popl	%es
trap_pop_ds:
	popl	%ds
	addl	$8, %esp	/* vector number and error code */
	/* A return to user mode can fault here too: a signal frame named a
	 * code or stack segment ring 3 cannot use.  trap.c then resumes at
	 * trap_iret_failed. */
trap_iret:
	iret
	.size trap_common, . - trap_common

/*
 * The iret above faulted.  trap.c's fixup resumes here, with every
 * register as it was at the iret (the user's), and the stack pointer where
 * the iret left it: at the eip of the user trapframe.  Only the part above
 * is intact, the CPU's own frame (eip, cs, eflags, esp, ss); the fault's
 * frame overwrote the rest.  So build it again from the registers, as a
 * trap with vector 32 (Linux's number for this) would, and let the C side
 * turn the failure into the signal Linux sends.
 */
	.global trap_iret_failed
	.type trap_iret_failed, @function
trap_iret_failed:
	pushl	$0		/* error code */
	pushl	$32		/* T_IRET */
	SAVE_FRAME
	pushl	%esp		/* the trapframe pointer */
	call	iret_failed
	addl	$4, %esp
	jmp	trap_return
	.size trap_iret_failed, . - trap_iret_failed

	.global syscall_common
	.type syscall_common, @function
syscall_common:
	SAVE_FRAME
	pushl	%esp		/* the trapframe pointer */
	call	syscall_trap
	addl	$4, %esp
	jmp	trap_return
	.size syscall_common, . - syscall_common

	.macro VECADDR n
	.long vector\n
	.endm

/* The table of stub addresses idt.c installs. */
	.section .rodata
	.align 4
	.global trap_vectors
trap_vectors:
	.set i, 0
	.rept 256
	VECADDR %i
	.set i, i + 1
	.endr
