/*
 * Temporary kernel mappings of any physical page (kernel/mm/kmap.c).
 *
 * The kernel reaches RAM below pmm_direct_map_end() through the direct
 * map at KERNEL_VIRT.  RAM above it ("high memory", as Linux calls it)
 * holds only pages the kernel touches now and then: user pages and file
 * pages.  To read or write one, the kernel maps it for a moment into the
 * kmap window, the last 4 MiB of the address space.
 *
 *   void *p = kmap(phys);    the page's bytes, at p .. p + PAGE_SIZE
 *   ...
 *   kunmap(p);               give the window slot back
 *
 * For a direct-mapped page kmap just returns its direct address (and
 * kunmap does nothing), so code that handles any page calls the pair
 * always.  Mappings may nest (a copy to user space inside a kmap may
 * fault, and the fault may kmap again) and may be held across a sleep;
 * the window has KMAP_SLOTS of them, and running out is a kernel bug.
 *
 * During paging_init the same window reaches RAM that the direct map
 * does not cover yet: until then only boot.S's first 16 MiB are direct.
 */
#ifndef KERNEL_KMAP_H
#define KERNEL_KMAP_H

#include <stdint.h>

#define KMAP_START	0xFFC00000u		/* the last page directory entry */
#define KMAP_SLOTS	1024

/* Put the window's page table into pgdir (the kernel's, before it is loaded). */
void kmap_init(uint32_t *pgdir);
/* From now on, RAM below end is reached through the direct map. */
void kmap_set_direct_end(uint32_t end);

void *kmap(uint32_t phys);		/* phys: page-aligned */
void kunmap(void *addr);		/* addr: what kmap returned */

/* Slots of the window in use now (for the self-tests). */
uint32_t kmap_slots_used(void);

#endif
