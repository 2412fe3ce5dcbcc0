/*
 * Guest physical memory: one memfd of mem= MiB.
 *
 * It is mapped MAP_SHARED into our own space, at phys_base, so that we
 * can read and write any page of it, and page by page (mm_mmap of the
 * memfd at the page's offset) into the spaces of guest processes: one
 * page, two addresses in two spaces, the same bytes.  That is the whole
 * trick that lets a user program play at being a kernel with memory.
 *
 * The page allocator is a stack of free page numbers, and a reference
 * count per page: a page shared copy-on-write after fork has one
 * reference per process that maps it, and goes back on the stack when
 * the last one lets go.  Page 0 is never handed out, so a pfn of 0 can
 * mean "none".  Pages are handed out in ascending order at first, so a
 * program loaded into fresh memory gets runs of consecutive pages, which
 * pgtable.c maps into the host with one operation per run.
 *
 * A page is zeroed when it is handed out, unless it never was before: a
 * memfd's pages read as zero until written, and only the holder of a page
 * writes it, so a page that has never been handed out is still zero.
 * (The host then zeroes it once, as it first maps it; we need not again.)
 * Pages never handed out are not on the stack either: they are the ones
 * from `fresh` up, taken in ascending order once the stack (pages freed)
 * is empty.  So booting touches nothing per page: the memfd, our mapping
 * of it and the allocator's tables (mapped, not written) cost the host
 * memory only as the guest uses pages, and a 256 MiB guest that idles
 * costs about what a 16 MiB one does.
 */
#include "uml.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

uint8_t *phys_base;
int phys_fd = -1;

static uint32_t npages;
static uint16_t *refs;          /* per page: how many maps/holders */
static uint32_t *free_stack;    /* pages freed; the next to hand out on top */
static uint32_t nfree;
static uint32_t fresh;          /* pages fresh.. were never handed out (still zero) */

/* Zeroed memory of ours that costs the host nothing until written. */
static void *lazy_zeroed(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	               -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void mem_init(unsigned mib)
{
	npages = (uint32_t)mib << (20 - PAGE_SHIFT);
	phys_fd = memfd_create("uml-guest-physical", MFD_CLOEXEC);
	uint64_t size = (uint64_t)npages * PAGE;        /* 2 GiB and more: past off_t */
	long r = phys_fd < 0 ? -errno : __syscall3(__NR_ftruncate64, phys_fd, (uint32_t)size,
	                                          (uint32_t)(size >> 32));
	if (r < 0)
		boot_fail("cannot make %u MiB of guest memory (a memfd): %s", mib, strerror((int)-r));
	phys_base = mmap(NULL, (size_t)npages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
	                 phys_fd, 0);
	if (phys_base == MAP_FAILED)
		boot_fail("cannot make %u MiB of guest memory (mapped here): %s", mib, strerror(errno));
	refs = lazy_zeroed((size_t)npages * sizeof *refs);
	free_stack = lazy_zeroed((size_t)npages * sizeof *free_stack);
	if (!refs || !free_stack)
		boot_fail("no memory for the page tables of %u MiB of guest memory", mib);
	refs[0] = 1;            /* reserved: pfn 0 means "no page" */
	fresh = 1;
}

uint32_t page_alloc(void)
{
	uint32_t pfn;
	if (nfree) {
		/* Pages are zeroed here, not when freed: a page freed and
		 * reused at once (exec) would otherwise be cleared twice. */
		pfn = free_stack[--nfree];
		memset(pfn_ptr(pfn), 0, PAGE);
	} else if (fresh < npages) {
		pfn = fresh++;  /* still zero */
	} else {
		return 0;
	}
	refs[pfn] = 1;
	return pfn;
}

void page_get(uint32_t pfn)
{
	if (!refs[pfn] || refs[pfn] == UINT16_MAX)
		panic("page_get(%u): refcount %u", pfn, refs[pfn]);
	refs[pfn]++;
}

void page_put(uint32_t pfn)
{
	if (pfn == 0 || pfn >= npages || !refs[pfn])
		panic("page_put(%u): not in use", pfn);
	if (--refs[pfn] == 0)
		free_stack[nfree++] = pfn;
}

unsigned page_refs(uint32_t pfn) { return refs[pfn]; }
unsigned mem_free_pages(void) { return nfree + (npages - fresh); }
unsigned mem_total_pages(void) { return npages; }
