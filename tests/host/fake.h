/*
 * The fake machine under the host build of kernel/mm (tests/host/).
 * docs/09-mm-on-the-host.md describes it; in short:
 *
 *   physical memory   one mmap'd arena; physical address p is arena + p.
 *                     RAM is what the fake multiboot map says (low RAM
 *                     below 8 MiB with a reserved hole, and 4 MiB of high
 *                     memory at 768 MiB); the holes are PROT_NONE, so a
 *                     stray access crashes (ASan reports it).
 *                     phys_to_virt refuses anything but low RAM, as the
 *                     direct map would; kmap reaches any RAM page and
 *                     counts the slots in use.
 *   the kernel        a 64 KiB "image" (kernel_start..kernel_end) that
 *                     the frame allocator must keep out, and a kernel
 *                     page directory whose upper quarter every address
 *                     space copies and must never change.
 *   the CPU           CR3, a 64-entry TLB (filled on access, emptied by
 *                     invlpg and CR3 writes), and cpu_access: a user
 *                     load or store that walks the page tables as the
 *                     MMU does, sets accessed/dirty, and calls mm_fault
 *                     on a fault, as the trap handler does.
 *   the heap          kmalloc is malloc (ASan sees every VMA), counted,
 *                     with a failure to inject at the Nth call.
 *   files             a fake inode with pages from the frame allocator
 *                     (inode_get, inode_put, vfs_get_page).
 *   panic             longjmps to a test that expects one, else aborts.
 */
#ifndef HOST_FAKE_H
#define HOST_FAKE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

struct mm;
struct inode;

/* ---- physical memory (fake_phys.c) ---- */
#define FAKE_LOW_RAM_END	0x00800000u	/* low RAM: 1 MiB .. 8 MiB */
#define FAKE_RESERVED_START	0x00500000u	/* a reserved (ACPI-like) hole in it */
#define FAKE_RESERVED_END	0x00510000u
#define FAKE_HIGH_START		0x30000000u	/* high memory: 768 MiB .. +4 MiB */
#define FAKE_HIGH_END		0x30400000u
#define FAKE_KERNEL_PHYS	0x00100000u	/* the fake kernel image */
#define FAKE_INITRD_START	0x00200000u	/* a fake boot module */
#define FAKE_INITRD_END		0x00280000u

void fake_boot(void);		/* arena, multiboot map, pmm_init(_high), kernel pgdir */
bool fake_is_ram(uint32_t phys);
uint8_t *fake_phys(uint32_t phys);	/* any RAM byte, for the tests' own checks */
uint32_t fake_kmap_slots(void);	/* kmap slots in use now */
/* The kernel directory's entries (the upper quarter) as booted: every
 * space must hold exactly these, and their page tables keep one reference. */
bool fake_kernel_half_intact(const struct mm *mm);

/* Hold all free frames but `leave` (both zones); fake_pmm_unhog gives them back. */
void fake_pmm_hog(uint32_t leave);
void fake_pmm_unhog(void);

/* ---- the CPU (fake_cpu.c) ---- */
/* A 32-bit user load (write false: *val out) or store (*val in) at va,
 * aligned to 4, in mm, which must be loaded (mm_activate).  0, or the
 * fault that could not be resolved: -EFAULT, -EIO, -ENOMEM. */
int cpu_access(struct mm *mm, uint32_t va, bool write, uint32_t *val);
uint32_t fake_tlb_entries(void);	/* valid TLB entries now */
unsigned long fake_tlb_flushes(void);	/* invlpg + CR3 writes so far */

/* ---- panics and printk (fake_cpu.c) ---- */
/* Run code that must panic: expect_panic(stmt) is true when it did. */
extern jmp_buf *fake_panic_jmp;
extern char fake_panic_msg[256];
#define expect_panic(stmt) ({ jmp_buf jb_; jmp_buf *old_ = fake_panic_jmp; bool p_ = false; \
	if (setjmp(jb_)) p_ = true; else { fake_panic_jmp = &jb_; stmt; } \
	fake_panic_jmp = old_; p_; })
extern char fake_printk_last[256];

/* ---- the heap (fake_heap.c) ---- */
uint32_t fake_heap_live(void);		/* kmalloc'd blocks not yet freed */
void fake_heap_fail_at(long n);		/* the nth kmalloc from now (0: the next) fails; -1: none */
unsigned long fake_heap_calls(void);	/* kmalloc calls so far */

/* ---- files (fake_file.c) ---- */
/* A file of `pages` pages (contents: zero), one reference for the caller. */
struct inode *fake_file_create(uint32_t pages);
uint32_t fake_file_page(struct inode *f, uint32_t index);	/* its frame (0: not yet made) */
int fake_file_refs(struct inode *f);
uint32_t fake_files_live(void);

#endif
