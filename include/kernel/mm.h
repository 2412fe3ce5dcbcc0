/*
 * Address spaces (kernel/mm/mm.c, vma.c, fault.c, mmap.c).
 *
 * A struct mm is a page directory plus the list of virtual memory areas
 * (VMAs) that say what may be mapped where.  Page tables are filled
 * lazily, by the page-fault handler, from the VMAs.  An mm is
 * reference-counted and knows nothing of processes: a task points at one,
 * and later other holders (descriptors, threads) may too.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/paging.h>
#include <kernel/x86.h>

struct inode;

/* Address-space layout of user programs (below KERNEL_VIRT). */
#define USER_END		0xC0000000u
#define USER_STACK_TOP		USER_END
#define USER_STACK_SIZE		(8u << 20)	/* reserved for the main stack */
#define MMAP_TOP		(USER_STACK_TOP - USER_STACK_SIZE - (1u << 20))
#define MMAP_BOTTOM		0x00010000u	/* mmap never hands out page 0.. */

/* VMA flags (besides the PROT_* bits kept in vma->prot). */
#define VMA_SHARED		0x1	/* MAP_SHARED: writes go to the backing pages */
#define VMA_STACK		0x2	/* the main stack */
#define VMA_HEAP		0x4	/* the brk area */
#define VMA_MAYWRITE		0x8	/* mprotect may add PROT_WRITE (not: shared, file read-only) */
#define VMA_DONTFORK		0x10	/* madvise(MADV_DONTFORK): fork leaves it out */
#define VMA_WIPEONFORK		0x20	/* madvise(MADV_WIPEONFORK): fork gives it empty */

struct vma {
	uint32_t start, end;		/* page-aligned, end exclusive */
	uint32_t prot;			/* PROT_READ | PROT_WRITE | PROT_EXEC */
	uint32_t flags;			/* VMA_* */
	struct inode *inode;		/* backing file (a reference), or NULL: anonymous */
	uint32_t pgoff;			/* file page of vma->start */
	struct vma *next;		/* sorted by address */
};

struct mm {
	int refcount;
	uint32_t *pgdir;		/* page directory (kernel virtual address) */
	uint32_t pgdir_phys;
	struct vma *vmas;
	uint32_t brk_start, brk;	/* the heap: [brk_start, brk) */
	/* How far below its top the VMA_STACK area may be faulted in: the
	 * process's RLIMIT_STACK, kept here (by exec and setrlimit) so that
	 * the fault path needs no task.  Pages already there stay. */
	uint32_t stack_limit;
	/* The program execve loaded into this space (a reference, with
	 * writing denied: inode_deny_write), or NULL; a copy made by fork
	 * holds it too.  Writing to it gives ETXTBSY while any space does. */
	struct inode *exe;
	/* Where exec put things, for /proc/PID/stat, statm, status and
	 * cmdline (Linux's mm fields of the same names); fork copies them. */
	uint32_t start_code, end_code, start_data, end_data, start_stack;
	uint32_t arg_start, arg_end, env_start, env_end;
	uint32_t hiwater_vm;		/* VmPeak: the most pages it ever had mapped */
	/* VmHWM: the most pages it had present when /proc last counted them
	 * (Linux counts at every unmap, from a running total we do not keep:
	 * walking the page tables at every munmap costs too much). */
	uint32_t hiwater_rss;
};

struct mm *mm_create(void);		/* empty user half; NULL if out of memory */
void mm_free(struct mm *mm);		/* mm_put's work when the last reference goes */
/* Inline: entering and leaving a guest space (altmm) takes and drops a
 * reference each way, on the path every guest system call takes. */
static inline void mm_get(struct mm *mm) { mm->refcount++; }
static inline void mm_put(struct mm *mm)	/* the last put frees everything */
{
	if (!--mm->refcount)
		mm_free(mm);
}
struct mm *mm_fork(struct mm *old);	/* copy-on-write copy; NULL if out of memory */
/* RLIMIT_STACK's soft limit (bytes, ~0: none) as mm's stack_limit. */
static inline void mm_set_stack_limit(struct mm *mm, uint64_t limit)
{
	mm->stack_limit = limit > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)limit;
}
/* Load mm's page directory (NULL: the kernel's alone).  Inline: a guest
 * system call (altmm) switches twice. */
static inline void mm_activate(struct mm *mm)
{
	write_cr3(mm ? mm->pgdir_phys : kernel_pgdir_phys());
}

/* The mapping calls, on any mm: the shared code of mmap2/munmap/mprotect.
 * Results and errors exactly as Linux's: an address, or -errno.  Addresses
 * above 2 GiB are negative as a long, so test for errors with mm_is_err. */
static inline bool mm_is_err(long r) { return (unsigned long)r >= (unsigned long)-4095; }
long mm_map(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
	    struct inode *inode, uint32_t pgoff);
long mm_unmap(struct mm *mm, uint32_t addr, uint32_t len);
/* mm_map flag of the kernel's own (bit 31, which no MAP_* flag uses): a
 * shared mapping of a file opened read-only, which mprotect may never make
 * writable. */
#define MM_MAP_NO_MAYWRITE	0x80000000u

/* Where a mapping of len bytes (<= USER_END) goes without MAP_FIXED
 * (mm_map's choice; exec places an interpreter with it): the
 * hint if it is free and in range, else the highest free gap below
 * MMAP_TOP; 0 if there is none. */
uint32_t mm_free_area(struct mm *mm, uint32_t hint, uint32_t len);

/* mm_map's argument checks alone (kernel/mm/mmap.c says their order):
 * where the mapping would go, or -errno.  file: a file will back it. */
long mm_map_check(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, bool file,
		  uint32_t pgoff);
/* mmap2 into mm: as mm_map, with the backing named by the caller's
 * descriptor fd (ignored for MAP_ANONYMOUS), checked as mmap2 checks it. */
long mm_map_fd(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd,
	       uint32_t pgoff);
long mm_protect(struct mm *mm, uint32_t addr, uint32_t len, uint32_t prot);
/* madvise on mm (kernel/mm/madvise.c): 0 or -errno. */
long mm_advise(struct mm *mm, uint32_t addr, uint32_t len, uint32_t advice);
/* mincore on mm: vec[i] for each page of [addr, addr + len), *done of
 * them filled in even on failure; 0 or -errno (EINVAL unaligned, ENOMEM
 * outside user space or at an unmapped page). */
long mm_mincore(struct mm *mm, uint32_t addr, uint32_t len, uint8_t *vec, uint32_t *done);
/* mremap on mm (kernel/mm/mremap.c): the new address, or -errno. */
long mm_remap(struct mm *mm, uint32_t addr, uint32_t old_len, uint32_t new_len, uint32_t flags,
	      uint32_t new_addr);
/* brk on mm: move the break to want and return the new break, or the old
 * one when want cannot be met (below brk_start, at or above MMAP_TOP, into
 * another mapping, out of memory), as Linux's brk does. */
uint32_t mm_brk(struct mm *mm, uint32_t want);

/* Resolve a fault at addr (write: a write access).  0 when the page is now
 * mapped; -EFAULT when the mapping does not allow it (SIGSEGV), -EIO when
 * the backing file has no page there (SIGBUS), -ENOMEM when out of memory. */
int mm_fault(struct mm *mm, uint32_t addr, bool write);

/* Copy into or out of another address space (exec builds the new stack
 * with it).  0 or -EFAULT. */
int mm_write(struct mm *mm, uint32_t addr, const void *src, size_t n);

/* Copy out of another address space without faulting anything in:
 * 0, or -EFAULT at a page that is not present. */
int mm_read(struct mm *mm, uint32_t addr, void *dst, size_t n);
/* The page table entry of addr (PTE_PRESENT and the frame), or 0. */
uint32_t mm_pte(struct mm *mm, uint32_t addr);
/* Pages of page tables mm has (VmPTE). */
uint32_t mm_table_pages(struct mm *mm);
/* Pages mapped by VMAs, and raise hiwater_vm to it (VmSize, VmPeak). */
uint32_t mm_total_vm(struct mm *mm);

struct vma *vma_find(struct mm *mm, uint32_t addr);	/* the VMA containing addr */

/* Pages of user memory mapped in mm (for /proc and leak checks). */
uint32_t mm_resident_pages(struct mm *mm);

#endif
