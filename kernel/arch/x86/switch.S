/*
 * switch_stacks(uint32_t *save_esp, uint32_t new_esp): the heart of a
 * context switch.  Saves the callee-saved registers on the current kernel
 * stack, stores the stack pointer in *save_esp, loads new_esp and pops the
 * other task's registers: the `ret` then returns into whatever call of
 * switch_stacks that task made earlier (or into task_first_entry, for a
 * task that has never run).  Everything else about a task switch (the
 * TSS stack, the page directory, TLS descriptors) is C, in kernel/sched.c.
 */
	.text
	.global switch_stacks
	.type switch_stacks, @function
switch_stacks:
	mov	4(%esp), %eax		/* save_esp */
	mov	8(%esp), %edx		/* new_esp */
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	%esp, (%eax)
	mov	%edx, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
	.size switch_stacks, . - switch_stacks

/*
 * A new task's first switch_stacks returns here, with its trapframe right
 * above: leave to user mode through the ordinary trap exit path.
 * (schedule() left interrupts off; the iret turns them back on.)
 */
	.global task_first_entry
	.type task_first_entry, @function
task_first_entry:
	jmp	trap_return
	.size task_first_entry, . - task_first_entry
