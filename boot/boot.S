/*
 * Multiboot (v1) header and the kernel's first instructions.
 *
 * The boot loader enters _start in 32-bit protected mode with paging off,
 * eax = multiboot magic, ebx = physical address of the multiboot info.
 * _start and the header are linked where they are loaded, at 1 MiB
 * (section .boot in linker.ld); the rest of the kernel is linked at
 * 0xC0100000 but loaded at 0x00100000, so until paging is on, every kernel
 * symbol we use must be converted to physical (PHYS).
 *
 * We build an early page directory that maps the first EARLY_MAP_MB of
 * physical memory twice: at 0 (identity, so the instruction after the
 * `mov %cr0` still has a mapping) and at 0xC0000000 (where the kernel is
 * linked).  C code (kernel/mm/paging.c) replaces it with the real one.
 */
#include <kernel/layout.h>

#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* bit 0: align modules on pages; bit 1: memory map */
#define PHYS(x)		((x) - KERNEL_VIRT)

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .bss.pagetables, "aw", @nobits
	.align 4096
early_pgdir:
	.skip 4096
early_pgtables:
	.skip 4096 * EARLY_MAP_PGTABLES

	.section .bss
	.align 16
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
	.global boot_stack_top
boot_stack_top:

	.section .text.boot, "ax"
	.global _start
	.type _start, @function
_start:
	cli
	cld
	/* Keep the multiboot registers safe: esi = magic, edi = info. */
	mov	%eax, %esi
	mov	%ebx, %edi

	/* Fill the early page tables: entry i maps physical page i, present+writable. */
	mov	$PHYS(early_pgtables), %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$12, %eax
	or	$0x3, %eax
	mov	%eax, (%ebx, %ecx, 4)
	inc	%ecx
	cmp	$(1024 * EARLY_MAP_PGTABLES), %ecx
	jne	1b

	/* Point PDE i and PDE 768+i at page table i. */
	mov	$PHYS(early_pgdir), %edx
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$12, %eax
	add	$(PHYS(early_pgtables) + 0x3), %eax
	mov	%eax, (%edx, %ecx, 4)
	mov	%eax, (KERNEL_PDE_FIRST * 4)(%edx, %ecx, 4)
	inc	%ecx
	cmp	$EARLY_MAP_PGTABLES, %ecx
	jne	2b

	mov	%edx, %cr3
	mov	%cr0, %eax
	or	$0x80010000, %eax	/* PG | WP: the kernel honours read-only pages too */
	mov	%eax, %cr0

	/* Jump to the higher half, where the rest of the kernel is linked. */
	mov	$boot_higher_half, %eax
	jmp	*%eax
	.size _start, . - _start

	.text
	.type boot_higher_half, @function
boot_higher_half:
	mov	$boot_stack_top, %esp
	xor	%ebp, %ebp		/* ends the backtrace chain */
	push	%edi			/* multiboot info (physical) */
	push	%esi			/* multiboot magic */
	call	kmain
	/* kmain does not return; if it does, stop here for good. */
4:	cli
	hlt
	jmp	4b
	.size boot_higher_half, . - boot_higher_half
