/*
 * The fuzzer's model (fuzz_model.h) and the checks of kernel/mm's state
 * against it, made after every step without touching anything (no
 * fault, no access bit: the page tables are read as they are).
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz_model.h"
#include "harness.h"
#include <kernel/mm.h>
#include <kernel/pmm.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "../../kernel/mm/pte.h"

#define P PAGE_SIZE

const uint32_t fuzz_offsets[FUZZ_WORDS] = { 0, 1020, 2044, 4092 };
static const uint32_t zeros[FUZZ_WORDS];

struct mpage *model_find(struct mspace *s, uint32_t va)
{
	for (int i = 0; i < s->n; i++)
		if (s->page[i].va == va)
			return &s->page[i];
	return 0;
}

void model_remove(struct mspace *s, uint64_t start, uint64_t end)
{
	for (int i = 0; i < s->n;)
		if (s->page[i].va >= start && s->page[i].va < end)
			s->page[i] = s->page[--s->n];
		else
			i++;
}

bool model_range_free(struct mspace *s, uint64_t start, uint64_t end)
{
	for (int i = 0; i < s->n; i++)
		if (s->page[i].va >= start && s->page[i].va < end)
			return false;
	return true;
}

static int cmp_page(const void *a, const void *b)
{
	uint32_t x = ((const struct mpage *)a)->va, y = ((const struct mpage *)b)->va;
	return x < y ? -1 : x > y;
}

/* The highest free range of len bytes in [MMAP_BOTTOM, MMAP_TOP), or 0. */
uint64_t model_gap(struct mspace *s, uint64_t len)
{
	qsort(s->page, s->n, sizeof s->page[0], cmp_page);
	uint64_t top = MMAP_TOP;
	for (int i = s->n - 1; i >= -1; i--) {
		uint64_t lo = i >= 0 ? s->page[i].va + P : MMAP_BOTTOM;
		if (lo < MMAP_BOTTOM)
			lo = MMAP_BOTTOM;
		if (i >= 0 && s->page[i].va >= MMAP_TOP)
			continue;
		if (top >= lo && top - lo >= len)
			return top - len;
		if (i >= 0)
			top = s->page[i].va;
	}
	return 0;
}

const uint32_t *model_words(const struct mpage *p, const struct mfile *files)
{
	if (p->backing == ANON || p->copied)
		return p->words;
	const struct mfile *f = &files[p->file];
	return p->fpage < f->pages ? f->words[p->fpage] : zeros;
}

#define FAIL(...) do { host_fail("model", 0, __VA_ARGS__); ok = false; } while (0)

/* One page with a PTE: frame, rights and bytes as the model says. */
static bool check_pte(struct mspace *s, const struct mpage *p, uint32_t pte, const struct mfile *files)
{
	bool ok = true;
	uint32_t phys = pte & PTE_ADDR_MASK;
	uint32_t file_frame = p->backing == ANON ? 0 : fake_file_page(files[p->file].inode, p->fpage);
	if (((pte & PTE_HELD) != 0) != (p->prot == PROT_NONE))
		FAIL("%08x: pte %08x for prot %u (held iff PROT_NONE)", p->va, pte, p->prot);
	if ((pte & PTE_PRESENT) && !(pte & PTE_USER))
		FAIL("%08x: pte %08x present but not user", p->va, pte);
	if ((pte & PTE_WRITE) && !(p->prot & PROT_WRITE))
		FAIL("%08x: pte %08x writable, prot %u", p->va, pte, p->prot);
	if ((pte & PTE_WRITE) && p->backing != FILE_SHARED && pmm_page_refs(phys) != 1)
		FAIL("%08x: private page writable with %u references (copy-on-write broken)", p->va,
		     pmm_page_refs(phys));
	bool own = p->backing == ANON || p->copied;
	if (!own && phys != file_frame)
		FAIL("%08x: frame %08x, the file's page is %08x", p->va, phys, file_frame);
	if (p->backing == FILE_PRIVATE && p->copied && phys == file_frame)
		FAIL("%08x: a written private page is still the file's", p->va);
	const uint32_t *want = model_words(p, files);
	for (int k = 0; k < FUZZ_WORDS; k++) {
		uint32_t got;
		memcpy(&got, fake_phys(phys) + fuzz_offsets[k], 4);
		if (got != want[k]) {
			FAIL("%08x+%u: holds %08x, the model says %08x", p->va, fuzz_offsets[k], got, want[k]);
			break;
		}
	}
	(void)s;
	return ok;
}

bool model_check_space(struct mspace *s, const struct mfile *files)
{
	bool ok = true;
	struct mm *mm = s->mm;
	int with_pte = 0;
	for (int i = 0; i < s->n; i++) {
		const struct mpage *p = &s->page[i];
		uint32_t pte = pte_of(mm, p->va);
		struct vma *v = vma_find(mm, p->va);
		if (!v) {
			FAIL("%08x: mapped in the model, no VMA", p->va);
			continue;
		}
		bool shared = v->flags & VMA_SHARED;
		if (v->prot != p->prot || shared != (p->backing == FILE_SHARED) ||
		    (v->inode != 0) != (p->backing != ANON) ||
		    (v->inode && (v->inode != files[p->file].inode ||
				  v->pgoff + (p->va - v->start) / PAGE_SIZE != p->fpage)) ||
		    !(v->flags & VMA_MAYWRITE) != p->no_maywrite)
			FAIL("%08x: VMA %08x-%08x prot %u flags %x pgoff %u; model prot %u backing %d page %u",
			     p->va, v->start, v->end, v->prot, v->flags, v->pgoff, p->prot, p->backing, p->fpage);
		if (pte_has_page(pte)) {
			with_pte++;
			ok &= check_pte(s, p, pte, files);
		} else {
			if (pte)
				FAIL("%08x: pte %08x without a page", p->va, pte);
			/* Untouched: a file page's bytes are the file's; anonymous ones are 0. */
			if (p->backing == ANON && memcmp(p->words, zeros, sizeof zeros))
				FAIL("%08x: written in the model, no page in the space", p->va);
		}
	}
	/* Nothing more mapped than the model has: VMA pages and PTEs counted. */
	uint32_t vma_pages = 0, last_end = 0;
	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (v->start >= v->end || v->start < last_end || v->end > USER_END || (v->start | v->end) % PAGE_SIZE)
			FAIL("VMA %08x-%08x out of order or out of user space", v->start, v->end);
		last_end = v->end;
		vma_pages += (v->end - v->start) / PAGE_SIZE;
	}
	/* As in Linux, neighbours that continue each other (same rights,
	 * flags and backing, the file offset running on) are one area. */
	for (struct vma *v = mm->vmas; v && v->next; v = v->next) {
		const struct vma *w = v->next;
		if (v->end == w->start && v->prot == w->prot && v->flags == w->flags && v->inode == w->inode &&
		    (!v->inode || v->pgoff + (v->end - v->start) / PAGE_SIZE == w->pgoff))
			FAIL("VMAs %08x-%08x and %08x-%08x continue each other but were not merged",
			     v->start, v->end, w->start, w->end);
	}
	if (vma_pages != (uint32_t)s->n)
		FAIL("the VMAs cover %u pages, the model has %d", vma_pages, s->n);
	int ptes = 0;
	for (uint32_t d = 0; d < KERNEL_PDE_FIRST; d++) {
		if (!(mm->pgdir[d] & PTE_PRESENT))
			continue;
		const uint32_t *t = phys_to_virt(mm->pgdir[d] & PTE_ADDR_MASK);
		for (int j = 0; j < 1024; j++)
			if (t[j]) {
				if (!pte_has_page(t[j]))
					FAIL("%08x: pte %08x without a page", d << 22 | j << 12, t[j]);
				ptes++;
			}
	}
	if (ptes != with_pte)
		FAIL("%d PTEs in the page tables, %d for pages of the model", ptes, with_pte);
	if (!fake_kernel_half_intact(mm))
		FAIL("the kernel half of the directory changed");
	if (fake_kmap_slots())
		FAIL("%u kmap slots left in use", fake_kmap_slots());
	return ok;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

bool model_check_frames(struct mspace **spaces, int n, const struct mfile *files)
{
	bool ok = true;
	static uint32_t held[8 * 4096];
	uint32_t nheld = 0;
	for (int i = 0; i < n; i++) {
		struct mm *mm = spaces[i]->mm;
		for (uint32_t d = 0; d < KERNEL_PDE_FIRST; d++) {
			if (!(mm->pgdir[d] & PTE_PRESENT))
				continue;
			held[nheld++] = mm->pgdir[d] & PTE_ADDR_MASK;	/* the table: one reference */
			const uint32_t *t = phys_to_virt(mm->pgdir[d] & PTE_ADDR_MASK);
			for (int j = 0; j < 1024; j++)
				if (pte_has_page(t[j]))
					held[nheld++] = t[j] & PTE_ADDR_MASK;
		}
		held[nheld++] = mm->pgdir_phys;
	}
	for (int f = 0; f < FUZZ_FILES; f++)
		for (uint32_t i = 0; i < files[f].pages; i++)
			if (fake_file_page(files[f].inode, i))
				held[nheld++] = fake_file_page(files[f].inode, i);
	qsort(held, nheld, sizeof held[0], cmp_u32);
	for (uint32_t i = 0; i < nheld;) {
		uint32_t j = i;
		while (j < nheld && held[j] == held[i])
			j++;
		if (pmm_page_refs(held[i]) != j - i)
			FAIL("frame %08x: %u references, held %u times", held[i], pmm_page_refs(held[i]), j - i);
		i = j;
	}
	return ok;
}

/* ---- mremap, predicted on the model ---- */

/* Does b continue a, as one VMA would hold them (the kernel merges every
 * such pair, which model_check_space checks, so a run of them is a VMA)? */
static bool model_continues(const struct mpage *a, const struct mpage *b)
{
	return b->va == a->va + PAGE_SIZE && a->prot == b->prot && a->backing == b->backing &&
	       a->no_maywrite == b->no_maywrite &&
	       (a->backing == ANON || (a->file == b->file && b->fpage == a->fpage + 1));
}

/* The area holding page va: its first page and its end. */
static struct mpage *model_area(struct mspace *s, uint32_t va, uint64_t *end)
{
	struct mpage *p = model_find(s, va);
	if (!p)
		return 0;
	struct mpage *first = p, *q;
	while (first->va >= PAGE_SIZE && (q = model_find(s, first->va - PAGE_SIZE)) && model_continues(q, first))
		first = q;
	struct mpage *last = p;
	while ((q = model_find(s, last->va + PAGE_SIZE)) && model_continues(last, q))
		last = q;
	*end = (uint64_t)last->va + PAGE_SIZE;
	return first;
}

static uint32_t page_up32(uint32_t a) { return (a + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1); }

/* The pages of a fresh mapping like `like` at va, page i of it. */
static struct mpage fresh_page(const struct mpage *like, uint32_t va, uint32_t fpage)
{
	return (struct mpage){ .va = va, .prot = like->prot, .backing = like->backing,
			       .no_maywrite = like->no_maywrite, .file = like->file, .fpage = fpage };
}

/* Move [addr, addr + old_len) of the area that page `area` starts to
 * [to, to + new_len); the old pages stay, emptied, with dontunmap. */
static void model_move(struct mspace *s, const struct mpage *area, uint32_t addr, uint32_t old_len,
		       uint32_t new_len, uint32_t to, bool dontunmap)
{
	struct mpage like = *area;
	uint32_t fpage0 = area->fpage + (addr - area->va) / PAGE_SIZE;
	for (uint32_t off = 0; off < new_len; off += PAGE_SIZE) {
		struct mpage *p = off < old_len ? model_find(s, addr + off) : 0;
		struct mpage n = p ? *p : fresh_page(&like, 0, fpage0 + off / PAGE_SIZE);
		n.va = to + off;
		if (p && dontunmap)
			*p = fresh_page(&like, addr + off, fpage0 + off / PAGE_SIZE);
		else if (p)
			p->va = to + off;
		if (!p || dontunmap)
			s->page[s->n++] = n;
	}
}

int64_t model_remap(struct mspace *s, uint32_t addr, uint32_t old_len, uint32_t new_len, uint32_t flags,
		    uint32_t new_addr)
{
	if (flags & ~(uint32_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr % PAGE_SIZE)
		return -EINVAL;
	old_len = page_up32(old_len);
	new_len = page_up32(new_len);
	if (!new_len)
		return -EINVAL;
	if (!model_find(s, addr))
		return -EFAULT;
	bool to_fixed = flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
	if (to_fixed) {
		if (new_addr % PAGE_SIZE || new_len > USER_END || new_addr > USER_END - new_len)
			return -EINVAL;
		if ((uint64_t)addr + old_len > new_addr && (uint64_t)new_addr + new_len > addr)
			return -EINVAL;
		if (flags & MREMAP_FIXED)
			model_remove(s, new_addr, (uint64_t)new_addr + new_len);
	}
	if (old_len > new_len) {
		/* The tail goes, through munmap and its checks, at addr + new_len
		 * in 32 bits: Linux i386 unmaps where that wraps to (asked of
		 * it with a probe), and so do we. */
		uint32_t tail = addr + new_len, len = old_len - new_len;
		if (tail >= USER_END || (uint64_t)tail + len > USER_END)
			return -EINVAL;
		model_remove(s, tail, (uint64_t)tail + len);
		if (!to_fixed)
			return addr;
		old_len = new_len;
	} else if (old_len == new_len && !to_fixed) {
		return addr;
	}
	uint64_t end;
	const struct mpage *found = model_area(s, addr, &end);
	if (!found)
		return -EFAULT;
	const struct mpage copy = *found, *area = &copy;	/* model_gap sorts the pages */
	if (!old_len && area->backing != FILE_SHARED)
		return -EINVAL;
	if (old_len > end - addr)
		return -EFAULT;
	if (new_len != old_len && area->backing != ANON &&
	    (uint64_t)area->fpage + (addr - area->va) / PAGE_SIZE + new_len / PAGE_SIZE > 0xFFFFFFFFull)
		return -EINVAL;
	uint64_t to;
	if (to_fixed) {
		to = new_addr;
		if (!(flags & MREMAP_FIXED)) {
			to = page_up32(new_addr);
			if (!to || to + new_len > USER_END || to < MMAP_BOTTOM || !model_range_free(s, to, to + new_len))
				to = model_gap(s, new_len);
		}
	} else {
		if (addr + old_len == end && end + (new_len - old_len) <= USER_END &&
		    model_range_free(s, end, end + (new_len - old_len))) {
			if (s->n + (new_len - old_len) / PAGE_SIZE > FUZZ_MAX_PAGES)
				return FUZZ_TOO_BIG;
			model_move(s, area, addr, old_len, new_len, addr, false);	/* in place */
			return addr;
		}
		if (!(flags & MREMAP_MAYMOVE))
			return -ENOMEM;
		to = model_gap(s, new_len);
	}
	if (!to && !(flags & MREMAP_FIXED))	/* a fixed move may go to 0, as mmap may */
		return -ENOMEM;
	if (s->n + new_len / PAGE_SIZE > FUZZ_MAX_PAGES)
		return FUZZ_TOO_BIG;
	model_move(s, area, addr, old_len, new_len, (uint32_t)to, flags & MREMAP_DONTUNMAP);
	return (int64_t)to;
}
