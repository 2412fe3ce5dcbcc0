/*
 * The kernel's virtual memory layout, shared by assembly and C.
 *
 *   0x00000000 - 0xBFFFFFFF   user space (3 GiB), per address space
 *   0xC0000000 - 0xEFFFFFFF   direct map of physical memory 0 - 768 MiB
 *                             (the kernel image sits at 0xC0100000)
 *   0xF0000000 - 0xF3FFFFFF   kernel heap (kmalloc), mapped page by page
 *   0xF4000000 - 0xFFFFFFFF   unused for now
 *
 * docs/01-boot-and-memory.md draws this.
 */
#ifndef KERNEL_LAYOUT_H
#define KERNEL_LAYOUT_H

#define KERNEL_VIRT		0xC0000000
#define KERNEL_PDE_FIRST	(KERNEL_VIRT >> 22)	/* 768 */
#define DIRECT_MAP_SIZE		0x30000000		/* 768 MiB of RAM at most */
#define HEAP_START		0xF0000000
#define HEAP_END		0xF4000000

#define PAGE_SIZE		4096
#define PAGE_SHIFT		12

/* boot/boot.S maps this much physical memory before C runs. */
#define EARLY_MAP_PGTABLES	4
#define EARLY_MAP_SIZE		(EARLY_MAP_PGTABLES * 0x400000)	/* 16 MiB */

#define BOOT_STACK_SIZE		16384

#ifndef __ASSEMBLER__
#include <stdint.h>
/* Physical <-> virtual for the direct map (only valid below DIRECT_MAP_SIZE). */
#ifdef KERNEL_HOST_BUILD
/* kernel/mm built as a host program (tests/host/fake_phys.c): physical
 * addresses are offsets into an arena, and either way across a pointer
 * or address that is not direct-mapped RAM is a bug the fake reports. */
void *phys_to_virt(uint32_t phys);
uint32_t virt_to_phys(const void *virt);
#else
static inline void *phys_to_virt(uint32_t phys) { return (void *)(uintptr_t)(phys + KERNEL_VIRT); }
static inline uint32_t virt_to_phys(const void *virt) { return (uint32_t)(uintptr_t)virt - KERNEL_VIRT; }
#endif
#endif

#endif
