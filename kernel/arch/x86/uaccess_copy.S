/*
 * uaccess_copy(dst, src, n): copy n bytes, either side possibly a user
 * address: four bytes at a time, then the rest.  Returns 0, or the number
 * of bytes NOT copied when a page fault could not be resolved: the
 * page-fault handler sees that the faulting instruction is one of the two
 * copies (uaccess_copy_words, uaccess_copy_bytes) and resumes at the
 * matching fixup (uaccess_fixup in trap.c; callers in kernel/mm/uaccess.c).
 */
	.text
	.global uaccess_copy, uaccess_copy_words, uaccess_copy_bytes
	.global uaccess_fixup_words, uaccess_fixup_bytes
	.type uaccess_copy, @function
uaccess_copy:
	push	%edi
	push	%esi
	push	%ebx
	mov	16(%esp), %edi
	mov	20(%esp), %esi
	mov	24(%esp), %ebx
	mov	%ebx, %ecx
	shr	$2, %ecx
	and	$3, %ebx		/* bytes after the words */
uaccess_copy_words:
	rep movsl
	mov	%ebx, %ecx
uaccess_copy_bytes:
	rep movsb
	xor	%eax, %eax
	pop	%ebx
	pop	%esi
	pop	%edi
	ret
uaccess_fixup_words:
	lea	(%ebx, %ecx, 4), %eax	/* words left, as bytes, and the tail */
	jmp	1f
uaccess_fixup_bytes:
	mov	%ecx, %eax
1:	pop	%ebx
	pop	%esi
	pop	%edi
	ret
	.size uaccess_copy, . - uaccess_copy
