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
#include <uapi/mman.h>
#include "../../kernel/mm/pte.h"

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
