/*
 * uaccess_copy(dst, src, n): copy n bytes, either side possibly a user
 * address.  Returns 0, or the number of bytes NOT copied when a page fault
 * could not be resolved: the page-fault handler sees that the faulting
 * instruction lies between uaccess_copy_start and uaccess_copy_end and
 * resumes at uaccess_copy_fixup (uaccess_fixup in trap.c; callers in
 * kernel/mm/uaccess.c).
 */
	.text
	.global uaccess_copy, uaccess_copy_start, uaccess_copy_end, uaccess_copy_fixup
	.type uaccess_copy, @function
uaccess_copy:
	push	%edi
	push	%esi
	mov	12(%esp), %edi
	mov	16(%esp), %esi
	mov	20(%esp), %ecx
uaccess_copy_start:
	rep movsb
uaccess_copy_end:
	mov	%ecx, %eax		/* 0 when done */
	pop	%esi
	pop	%edi
	ret
uaccess_copy_fixup:
	mov	%ecx, %eax		/* rep movsb leaves the remaining count in ecx */
	pop	%esi
	pop	%edi
	ret
	.size uaccess_copy, . - uaccess_copy
