/*
 * Program entry.  Linux (and our kernel) start a new program with:
 *
 *   esp -> argc
 *          argv[0] .. argv[argc-1], NULL
 *          envp[0] .. , NULL
 *          auxv: (key, value) pairs, ending with AT_NULL
 *
 * and every other register undefined (edx may hold an atexit function for
 * dynamically linked programs; we are static and ignore it).  _start hands
 * the address of argc to __libc_start (lib/start.c), which never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp         /* outermost frame: backtraces stop here */
	movl %esp, %eax         /* eax = &argc */
	andl $-16, %esp         /* the i386 ABI wants 16-byte stack alignment */
	subl $12, %esp
	pushl %eax
	call __libc_start
	hlt                     /* not reached */
	.size _start, .-_start

/*
 * pid_t vfork(void)
 *
 * The child runs on the parent's stack until it calls execve or _exit, so
 * vfork must not return through a C frame the child could overwrite: pop
 * the return address into ecx (a register, saved per process), trap, and
 * jump back through it.  Both parent and child come back here.
 */
	.globl vfork
	.type vfork, @function
vfork:
	popl %ecx
	movl $190, %eax         /* __NR_vfork */
	int $0x80
	pushl %ecx
	cmpl $-4095, %eax
	jae 1f
	ret
1:	negl %eax               /* error: errno = -eax, return -1 */
	movl %eax, errno
	movl $-1, %eax
	ret
	.size vfork, .-vfork

	.section .note.GNU-stack, "", @progbits
