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
 */
#include "uml.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

uint8_t *phys_base;
int phys_fd = -1;

static uint32_t npages;
static uint16_t *refs;          /* per page: how many maps/holders */
static uint32_t *free_stack;    /* free pfns; the next to hand out on top */
static uint32_t nfree;
static uint8_t *handed_out;     /* bitmap: pages that may have been written */

void mem_init(unsigned mib)
{
	npages = (uint32_t)mib << (20 - PAGE_SHIFT);
	phys_fd = memfd_create("uml-guest-physical", MFD_CLOEXEC);
	if (phys_fd < 0 || ftruncate(phys_fd, (off_t)npages * PAGE) < 0)
		panic("cannot create %u MiB of physical memory (memfd)", mib);
	phys_base = mmap(NULL, (size_t)npages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
	                 phys_fd, 0);
	if (phys_base == MAP_FAILED)
		panic("cannot map physical memory");

	refs = calloc(npages, sizeof *refs);
	free_stack = malloc(npages * sizeof *free_stack);
	handed_out = calloc(npages / 8 + 1, 1);
	if (!refs || !free_stack || !handed_out)
		panic("no memory for the page allocator");
	/* Highest first on the stack bottom, so that pfn 1, 2, 3... come out first. */
	for (uint32_t pfn = npages - 1; pfn >= 1; pfn--)
		free_stack[nfree++] = pfn;
	refs[0] = 1;            /* reserved: pfn 0 means "no page" */
}

uint32_t page_alloc(void)
{
	if (!nfree)
		return 0;
	uint32_t pfn = free_stack[--nfree];
	refs[pfn] = 1;
	/* Pages are zeroed here, not when freed: a page freed and reused at
	 * once (exec) would otherwise be cleared twice. */
	uint8_t bit = (uint8_t)(1u << (pfn % 8));
	if (handed_out[pfn / 8] & bit)
		memset(pfn_ptr(pfn), 0, PAGE);
	handed_out[pfn / 8] |= bit;
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
unsigned mem_free_pages(void) { return nfree; }
unsigned mem_total_pages(void) { return npages; }
