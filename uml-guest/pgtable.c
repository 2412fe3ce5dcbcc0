/*
 * Page tables: each guest process's map from its virtual pages to guest
 * physical pages, and the host space that mirrors it.
 *
 * The tables have the shape of the i386 hardware's, and like a real
 * kernel's they live in (guest) physical memory: a page directory of 1024
 * entries, each naming a page table of 1024 entries, each naming a page:
 *
 *     entry = pfn << 12 | PTE_W | PTE_P
 *
 * No hardware reads them.  Their meaning is kept true by hand: an entry
 * is present exactly when the page is mapped into the process's host
 * space (mm_mmap of the memfd at offset pfn), writable there exactly when
 * PTE_W says so.  Which accesses the process may make is the business of
 * its areas (vma.c); the entry says what the host mapping allows now.  A
 * page of a writable private area that is present but not PTE_W is shared
 * copy-on-write (fork) or was made read-only by mprotect; its first write
 * faults and comes to pt_fault_in.
 *
 * An entry with PTE_F is present too, but names a page of a host file
 * (a mapped regular file, filemap.c), not of physical memory: it has no
 * pfn and no reference count to drop.
 *
 * Changes to a host space go out in batches (mm_batch), with runs of
 * consecutive virtual pages on consecutive physical pages merged into one
 * operation: exec and fork touch hundreds of pages with a few calls.
 */
#include "uml.h"
#include <string.h>
#include <altmm.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PDX(va)         ((va) >> 22)
#define PTX(va)         (((va) >> 12) & 1023)
#define ENTRY_PFN(e)    ((e) >> PAGE_SHIFT)

/* ---- Batches of host-space edits ---- */

void hb_begin(struct hostbatch *b, int mmfd)
{
	b->mmfd = mmfd;
	b->n = 0;
}

void hb_flush(struct hostbatch *b)
{
	if (!b->n)
		return;
	int done = mm_batch(b->mmfd, b->ops, b->n);
	if (done != (int)b->n)
		panic("mm_batch: %d of %u done (op at %#x: %d)", done, b->n,
		      done >= 0 ? b->ops[done].addr : 0, done >= 0 ? b->ops[done].result : done);
	b->n = 0;
}

static struct mm_op *hb_next(struct hostbatch *b)
{
	if (b->n == sizeof b->ops / sizeof b->ops[0])
		hb_flush(b);
	struct mm_op *op = &b->ops[b->n++];
	memset(op, 0, sizeof *op);
	return op;
}

static int host_prot(int prot, int writable)
{
	return writable ? prot : prot & ~PROT_WRITE;
}

/* Map one page of a file (physical memory, or a host file: filemap.c)
 * at va, or extend the last run. */
void hb_map_fd(struct hostbatch *b, uint32_t va, int fd, uint32_t pgoff, int prot)
{
	struct mm_op *last = b->n ? &b->ops[b->n - 1] : NULL;
	if (last && last->op == MM_OP_MAP && last->addr + last->len == va && last->fd == fd &&
	    last->pgoff + last->len / PAGE == pgoff && (int)last->prot == prot) {
		last->len += PAGE;
		return;
	}
	struct mm_op *op = hb_next(b);
	op->op = MM_OP_MAP;
	op->addr = va;
	op->len = PAGE;
	op->prot = prot;
	op->flags = MAP_SHARED | MAP_FIXED;
	op->fd = fd;
	op->pgoff = pgoff;
}

void hb_map(struct hostbatch *b, uint32_t va, uint32_t pfn, int prot)
{
	hb_map_fd(b, va, phys_fd, pfn, prot);
}

void hb_protect(struct hostbatch *b, uint32_t va, int prot)
{
	struct mm_op *last = b->n ? &b->ops[b->n - 1] : NULL;
	if (last && last->op == MM_OP_PROTECT && last->addr + last->len == va &&
	    (int)last->prot == prot) {
		last->len += PAGE;
		return;
	}
	struct mm_op *op = hb_next(b);
	op->op = MM_OP_PROTECT;
	op->addr = va;
	op->len = PAGE;
	op->prot = prot;
}

/* ---- The tables ---- */

/* Let go of what a present entry holds: its page, unless it is a file's. */
static void entry_put(uint32_t e)
{
	if (!(e & PTE_F))
		page_put(ENTRY_PFN(e));
}

int pt_new(struct mm *mm)
{
	mm->pgdir = page_alloc();
	return mm->pgdir ? 0 : -ENOMEM;
}

/* The entry for va, or NULL if its page table does not exist (and
 * create is 0, or there is no memory for one). */
uint32_t *pt_lookup(struct mm *mm, uint32_t va, int create)
{
	uint32_t *pd = pfn_ptr(mm->pgdir);
	if (!(pd[PDX(va)] & PTE_P)) {
		uint32_t pt;
		if (!create || !(pt = page_alloc()))
			return NULL;
		pd[PDX(va)] = pt << PAGE_SHIFT | PTE_P;
	}
	uint32_t *pt = pfn_ptr(ENTRY_PFN(pd[PDX(va)]));
	return &pt[PTX(va)];
}

/* Put page pfn at va (taking over the caller's reference), with prot
 * (PROT_WRITE only if the page is the process's alone), in the table
 * and in the host space.  Whatever was there is let go. */
int pt_map(struct mm *mm, uint32_t va, uint32_t pfn, int prot)
{
	uint32_t *e = pt_lookup(mm, va, 1);
	if (!e) {
		page_put(pfn);
		return -ENOMEM;
	}
	if (*e & PTE_P)
		entry_put(*e);
	*e = pfn << PAGE_SHIFT | PTE_P | ((prot & PROT_WRITE) ? PTE_W : 0);
	struct hostbatch b;
	hb_begin(&b, mm->fd);
	hb_map(&b, va, pfn, prot);
	hb_flush(&b);
	return 0;
}

/* The next present entry at or after *va and below end (*va moves to
 * its page), or NULL; whole missing page tables are skipped at once. */
static uint32_t *pt_next(struct mm *mm, uint32_t *va, uint32_t end)
{
	uint32_t *pd = pfn_ptr(mm->pgdir);
	while (*va < end) {
		uint32_t pde = pd[PDX(*va)];
		if (!(pde & PTE_P)) {
			uint32_t next = (*va & ~0x3fffffu) + 0x400000u;
			if (next < *va)
				break;          /* wrapped past 4 GiB */
			*va = next;
			continue;
		}
		uint32_t *e = (uint32_t *)pfn_ptr(ENTRY_PFN(pde)) + PTX(*va);
		if (*e & PTE_P)
			return e;
		*va += PAGE;
	}
	return NULL;
}

void pt_unmap_range(struct mm *mm, uint32_t start, uint32_t end)
{
	int any = 0;
	uint32_t *e;
	for (uint32_t va = start; (e = pt_next(mm, &va, end)); va += PAGE) {
		entry_put(*e);
		*e = 0;
		any = 1;
	}
	if (any && mm_munmap(mm->fd, (void *)start, end - start) < 0)
		panic("mm_munmap %#x-%#x failed", start, end);
}

/* New protection for the present pages of [start, end).  Private pages
 * lose PTE_W even when prot has PROT_WRITE: some may be shared
 * copy-on-write; their first write sorts that out (pt_fault_in). */
void pt_protect_range(struct mm *mm, uint32_t start, uint32_t end, int prot, int shared)
{
	int writable = (prot & PROT_WRITE) && shared;
	struct hostbatch b;
	hb_begin(&b, mm->fd);
	uint32_t *e;
	for (uint32_t va = start; (e = pt_next(mm, &va, end)); va += PAGE) {
		*e = (*e & ~PTE_W) | (writable ? PTE_W : 0);
		hb_protect(&b, va, host_prot(prot, writable));
	}
	hb_flush(&b);
}

/*
 * fork: the child gets every present page of the parent, shared.  Private
 * pages become read-only in both (copy-on-write); pages of MAP_SHARED
 * areas stay as they are in both.  The child's space is new and empty, so
 * its whole image goes in as a few mm_batch calls; the parent's writable
 * pages are write-protected the same way.
 */
int pt_fork(struct mm *child, struct mm *parent)
{
	struct hostbatch cb, pb;
	hb_begin(&cb, child->fd);
	hb_begin(&pb, parent->fd);
	for (struct vma *v = parent->vmas; v; v = v->next) {
		if (v->flags & (VMA_DONTFORK | VMA_WIPEONFORK))
			continue;               /* not the child's, or the child's empty */
		int shared = v->flags & VMA_SHARED;
		uint32_t *e;
		for (uint32_t va = v->start; (e = pt_next(parent, &va, v->end)); va += PAGE) {
			uint32_t *ce = pt_lookup(child, va, 1);
			if (!ce) {
				hb_flush(&pb);
				return -ENOMEM;
			}
			if ((*e & PTE_W) && !shared) {
				*e &= ~PTE_W;
				hb_protect(&pb, va, host_prot(v->prot, 0));
			}
			*ce = *e;
			if (*e & PTE_F) {               /* a file's page: the same for both */
				filemap_fork(&cb, v, va, *e & PTE_W);
				continue;
			}
			page_get(ENTRY_PFN(*e));
			hb_map(&cb, va, ENTRY_PFN(*e), host_prot(v->prot, *e & PTE_W));
		}
	}
	hb_flush(&pb);
	hb_flush(&cb);
	return 0;
}

/* Let go of every page and table.  The host space goes with its descriptor. */
void pt_free(struct mm *mm)
{
	if (!mm->pgdir)
		return;
	uint32_t *pd = pfn_ptr(mm->pgdir);
	for (unsigned i = 0; i < PDX(USER_TOP); i++) {
		if (!(pd[i] & PTE_P))
			continue;
		uint32_t *pt = pfn_ptr(ENTRY_PFN(pd[i]));
		for (unsigned j = 0; j < 1024; j++)
			if (pt[j] & PTE_P)
				entry_put(pt[j]);
		page_put(ENTRY_PFN(pd[i]));
	}
	page_put(mm->pgdir);
	mm->pgdir = 0;
}

/* Pages present in mm (for the out-of-memory killer). */
unsigned pt_resident(struct mm *mm)
{
	unsigned n = 0;
	if (!mm->pgdir)
		return 0;
	uint32_t *pd = pfn_ptr(mm->pgdir);
	for (unsigned i = 0; i < PDX(USER_TOP); i++) {
		if (!(pd[i] & PTE_P))
			continue;
		uint32_t *pt = pfn_ptr(ENTRY_PFN(pd[i]));
		for (unsigned j = 0; j < 1024; j++)
			n += (pt[j] & PTE_P) != 0;
	}
	return n;
}

/*
 * Make va usable for a read (write = 0) or a write by p, as a page fault
 * would: a page never touched gets a zeroed one (demand paging), a write
 * to a page shared copy-on-write gets a copy, or the entry just becomes
 * writable when nobody else has the page any more.  Returns 0 when it did
 * something, 1 when the page was already there as asked, -EFAULT when the
 * areas forbid the access, -EIO for a page of a file mapping wholly
 * beyond the end of the file (SIGBUS), -ENOMEM when memory ran out.
 */
int pt_fault_in(struct mm *mm, uint32_t va, int write)
{
	struct vma *v = vma_find(mm, va);
	if (!v || (write && !(v->prot & PROT_WRITE)) ||
	    (!write && !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC))))
		return -EFAULT;
	if ((v->flags & VMA_FILE) && !v->fm && va >= v->file_end)
		return -EIO;
	va = PAGE_DOWN(va);
	uint32_t *e = pt_lookup(mm, va, 1);
	if (!e)
		return -ENOMEM;
	if (!(*e & PTE_P) && (v->flags & VMA_STACK) && v->end - va > mm->stack_limit)
		return -EFAULT;         /* the stack would grow past RLIMIT_STACK (Linux: SIGSEGV) */
	if (!(*e & PTE_P) && v->fm)
		return filemap_fault(mm, v, va, e, write);
	if (!(*e & PTE_P)) {
		uint32_t pfn = page_alloc();
		if (!pfn)
			return -ENOMEM;
		return pt_map(mm, va, pfn, v->prot);
	}
	if (!write || (*e & PTE_W))
		return 1;
	if ((*e & PTE_F) && !(v->flags & VMA_SHARED))
		return filemap_copy(mm, v, va);         /* a private mapping's first write */
	uint32_t pfn = ENTRY_PFN(*e);
	if (!(*e & PTE_F) && page_refs(pfn) > 1 && !(v->flags & VMA_SHARED)) {
		uint32_t copy = page_alloc();
		if (!copy)
			return -ENOMEM;
		memcpy(pfn_ptr(copy), pfn_ptr(pfn), PAGE);
		return pt_map(mm, va, copy, v->prot);    /* lets go of our share of pfn */
	}
	*e |= PTE_W;
	if (mm_mprotect(mm->fd, (void *)va, PAGE, v->prot) < 0)
		panic("mm_mprotect %#x failed", va);
	return 0;
}

/* Fresh zeroed pages for all of [start, end) (none there yet), mapped
 * with prot in the host space, in a few mm_batch calls.  The caller
 * fills them (exec, mmap of a file) through user_pread. */
int pt_populate(struct mm *mm, uint32_t start, uint32_t end, int prot)
{
	struct hostbatch b;
	int err = 0;
	hb_begin(&b, mm->fd);
	for (uint32_t va = start; va < end; va += PAGE) {
		uint32_t pfn = page_alloc();
		uint32_t *e = pfn ? pt_lookup(mm, va, 1) : NULL;
		if (!e) {
			if (pfn)
				page_put(pfn);
			err = -ENOMEM;
			break;
		}
		*e = pfn << PAGE_SHIFT | PTE_P | ((prot & PROT_WRITE) ? PTE_W : 0);
		hb_map(&b, va, pfn, prot);
	}
	hb_flush(&b);
	return err;
}

/* Read len bytes of a host file at off into p's present pages at va,
 * one pread per run of consecutive physical pages.  Bytes past the end
 * of the file stay zero.  0 or -EIO. */
int user_pread(struct mm *mm, int hostfd, uint32_t va, uint32_t len, uint64_t off)
{
	while (len) {
		uint32_t *e = pt_lookup(mm, va, 0);
		uint32_t pfn = ENTRY_PFN(*e);
		uint32_t run = PAGE - (va & (PAGE - 1));
		while (run < len) {
			uint32_t *next = pt_lookup(mm, va + run, 0);
			if (!next || ENTRY_PFN(*next) != pfn + (va + run - PAGE_DOWN(va)) / PAGE)
				break;
			run += PAGE;
		}
		if (run > len)
			run = len;
		uint8_t *dst = (uint8_t *)pfn_ptr(pfn) + (va & (PAGE - 1));
		long r = __syscall5(__NR_pread64, hostfd, dst, run, (uint32_t)off, (uint32_t)(off >> 32));
		if (r < 0)
			return -EIO;
		if ((uint32_t)r < run)
			return 0;               /* end of file */
		va += run;
		off += run;
		len -= run;
	}
	return 0;
}

/*
 * mremap: the present entries of [from, from + len) go to the same
 * offsets of [to, to + len), which nothing maps.  A page of guest memory
 * moves with its entry (the same page, the same copy-on-write state);
 * with share (a shared area that stays where it was too) both places
 * hold it.  A file's page (PTE_F) is let go and comes back by fault at
 * its new place.  prot is the area's.  0, or -ENOMEM with nothing moved.
 */
int pt_move_range(struct mm *mm, uint32_t from, uint32_t to, uint32_t len, int prot, int share)
{
	uint32_t *e;
	for (uint32_t va = from; (e = pt_next(mm, &va, from + len)); va += PAGE)
		if (!(*e & PTE_F) && !pt_lookup(mm, to + (va - from), 1))
			return -ENOMEM;         /* the tables first: then nothing fails */
	struct hostbatch b;
	hb_begin(&b, mm->fd);
	int dropped = 0;
	for (uint32_t va = from; (e = pt_next(mm, &va, from + len)); va += PAGE) {
		uint32_t entry = *e;
		if (entry & PTE_F) {
			if (!share) {
				*e = 0;
				dropped = 1;
			}
			continue;
		}
		if (share)
			page_get(ENTRY_PFN(entry));
		else
			*e = 0;
		*pt_lookup(mm, to + (va - from), 0) = entry;
		hb_map(&b, to + (va - from), ENTRY_PFN(entry), host_prot(prot, entry & PTE_W));
	}
	hb_flush(&b);
	if ((!share || dropped) && len && mm_munmap(mm->fd, (void *)from, len) < 0)
		panic("mm_munmap %#x-%#x failed", from, from + len);
	return 0;
}
