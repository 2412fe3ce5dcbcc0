/*
 * The physical page-frame allocator (kernel/mm/pmm.c).  It owns every
 * usable page of RAM below 4 GiB.  Pages are named by their physical
 * address and reference-counted: an allocation returns a page with one
 * reference, pmm_page_get adds one, pmm_page_put drops one and frees the
 * page with the last.
 *
 * Low memory (below pmm_direct_map_end()) is what the kernel reaches
 * directly, at phys_to_virt(phys); high memory only through kmap
 * (<kernel/kmap.h>).
 */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include <stdint.h>
#include <kernel/multiboot.h>

/* Build the allocator from the multiboot memory map, keeping out the kernel
 * image, the boot loader's structures and modules, and low memory. */
void pmm_init(const struct multiboot_info *mbi);
/* Add high memory (RAM above the direct map), once paging_init has made
 * all of low memory reachable: its reference counts live there. */
void pmm_init_high(void);
/* Print the memory map and the allocator's view of it. */
void pmm_print_map(void);

/* One page of low memory, zero-filled, for the kernel's own use (page
 * tables, the heap); 0 when low memory is exhausted. */
uint32_t pmm_alloc_page(void);
/* One page for user or file contents, zero-filled: high memory when
 * there is some, else low; 0 when memory is exhausted.  Touch its bytes
 * through kmap only. */
uint32_t pmm_alloc_user_page(void);
/* Free a page that has exactly one reference (panics otherwise). */
void pmm_free_page(uint32_t phys);
void pmm_page_get(uint32_t phys);
void pmm_page_put(uint32_t phys);
uint32_t pmm_page_refs(uint32_t phys);

/* Hand boot-time memory (the initrd, once unpacked) to the allocator. */
void pmm_release_range(uint32_t start, uint32_t end);

uint32_t pmm_free_pages(void);	/* pages free now */
uint32_t pmm_total_pages(void);	/* pages the allocator manages */
uint32_t pmm_high_free_pages(void);	/* the same, of high memory only */
uint32_t pmm_high_total_pages(void);
/* Highest physical address (exclusive) that the kernel direct-maps: the
 * end of low memory. */
uint32_t pmm_direct_map_end(void);

#endif
