/*
 * The signal restorers: where a handler "returns" to.
 *
 * sigaction() (lib/signal.c) puts one of these in sa_restorer with
 * SA_RESTORER, and the kernel writes it into the frame as the handler's
 * return address (pretcode).  When the handler executes "ret", esp points
 * just past pretcode:
 *
 *   rt frame (SA_SIGINFO):   esp -> sig, pinfo, puc, info, uc ...
 *       rt_sigreturn finds the frame at esp - 4 and restores uc.
 *
 *   plain frame:             esp -> sig, sigcontext ...
 *       we pop sig first; sigreturn finds the frame at esp - 8.
 *
 * Neither returns: the kernel reloads every register from the frame.
 * The byte sequences are the ones Linux writes into retcode[] and that
 * debuggers recognise as signal trampolines.
 */
	.text

	.globl __restore_rt
	.type __restore_rt, @function
__restore_rt:
	movl $173, %eax         /* __NR_rt_sigreturn */
	int $0x80
	hlt                     /* not reached */
	.size __restore_rt, .-__restore_rt

	.globl __restore
	.type __restore, @function
__restore:
	popl %eax               /* drop sig */
	movl $119, %eax         /* __NR_sigreturn */
	int $0x80
	hlt                     /* not reached */
	.size __restore, .-__restore

	.section .note.GNU-stack, "", @progbits
