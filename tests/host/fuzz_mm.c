/*
 * The model-based fuzzer of kernel/mm: random sequences of map, unmap,
 * protect, remap, fork, touch (a user load or store through the fake MMU, which
 * faults), kernel writes (mm_write), create and destroy, over up to five
 * address spaces and two files.  Before each step the model (fuzz_model.h)
 * predicts the result, error number included, with its own 64-bit
 * arithmetic; after it, the spaces are checked against the model
 * (fuzz_model.c), and at the end, with everything destroyed, every frame
 * and heap block must be back.  A heap failure is injected now and then:
 * the call must then fail with ENOMEM and change nothing.
 *
 * Seeded (xorshift64*), so a failure is reproduced by its seed:
 *   build/host/mmtest --seed S --steps N [-v]      (make fuzz-host)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_model.h"
#include "harness.h"
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/pmm.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

#define P PAGE_SIZE
#define MAX_SPACES 5
#define MAP_OK_PAGES 24		/* bigger successful maps are not made (the model is per page) */

static uint64_t rng;
static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32);
}
static uint32_t below(uint32_t n) { return rnd() % n; }
static bool chance(uint32_t percent) { return below(100) < percent; }

static struct mspace *spaces[MAX_SPACES];
static int nspaces;
static struct mfile files[FUZZ_FILES];
static bool verbose;
static long step;

/* ---- arguments: mostly a few crowded places, sometimes the edges ---- */
static const uint32_t bases[] = { MMAP_BOTTOM, 0x00400000 - 4 * P, 0x10000000, MMAP_TOP - 12 * P,
				  USER_END - 12 * P };

static uint32_t gen_addr(struct mspace *s)
{
	if (s->n && chance(30))
		return s->page[below(s->n)].va;
	if (chance(90))
		return bases[below(sizeof bases / sizeof bases[0])] + below(16) * P;
	static const uint32_t edge[] = { 0, P, USER_END, USER_END - P, 0xFFFFF000, 0xC0001000, 0x80000000 };
	uint32_t a = chance(50) ? edge[below(sizeof edge / sizeof edge[0])] : rnd();
	return chance(70) ? a & ~(P - 1) : a;
}

static uint32_t gen_len(uint32_t addr)
{
	if (chance(85)) {
		uint32_t len = (1 + below(6)) * P;
		return chance(10) ? len - 1 - below(P - 1) : len;
	}
	static const uint32_t edge[] = { 0, 1, 0xFFFFFFFF, 0xFFFFF000, 0xFFFFF001, 0x80000000, USER_END };
	switch (below(4)) {
	case 0: return edge[below(sizeof edge / sizeof edge[0])];
	case 1: return USER_END - addr;		/* exactly to the end: wraps when addr is above */
	case 2: return USER_END - addr + P;
	default: return rnd();
	}
}

static uint32_t gen_prot(void)
{
	return chance(3) ? 0x10 | below(8) : chance(3) ? PROT_SEM | below(8) : below(8);
}

/* ---- the model's own view of the calls ---- */
static uint64_t page_up(uint64_t a) { return (a + P - 1) & ~(uint64_t)(P - 1); }

struct map_args { uint32_t addr, len, prot, flags; int file; uint32_t pgoff; };

/* mm_map's result as Linux's rules give it (an address or -errno). */
static int64_t predict_map(struct mspace *s, const struct map_args *a)
{
	uint32_t type = a->flags & MAP_TYPE;
	if (a->len == 0)
		return -EINVAL;
	if (a->len > 0xFFFFF000u)
		return -ENOMEM;
	uint64_t len = page_up(a->len);
	if (a->pgoff + len / P > 0xFFFFFFFFull)
		return -EOVERFLOW;
	if (len > USER_END)
		return -ENOMEM;
	uint64_t addr;
	if (a->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (a->addr + len > USER_END)
			return -ENOMEM;
		if (a->addr % P)
			return -EINVAL;
		if ((a->flags & MAP_FIXED_NOREPLACE) && !model_range_free(s, a->addr, a->addr + len))
			return -EEXIST;
		addr = a->addr;
	} else {
		addr = page_up(a->addr);
		if (!addr || addr + len > USER_END || addr < MMAP_BOTTOM || !model_range_free(s, addr, addr + len))
			addr = model_gap(s, len);
		if (!addr)
			return -ENOMEM;
	}
	if (type != MAP_SHARED && type != MAP_PRIVATE && !(a->file >= 0 && type == MAP_SHARED_VALIDATE))
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (a->flags & MAP_FIXED_NOREPLACE))
		return -EOPNOTSUPP;	/* newer than the flags it knows */
	if (a->prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	return (int64_t)addr;
}

static int64_t predict_unmap(uint32_t addr, uint32_t len)
{
	if (addr % P || len == 0 || addr >= USER_END || (uint64_t)addr + len > USER_END)
		return -EINVAL;
	return 0;
}

static int64_t predict_protect(struct mspace *s, uint32_t addr, uint32_t len, uint32_t prot)
{
	if (addr % P)
		return -EINVAL;
	if (len == 0)
		return 0;
	uint64_t end = addr + page_up(len);
	if (len > 0xFFFFF000u || end > 0xFFFFFFFFull)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if (end > USER_END)
		return -ENOMEM;
	for (uint64_t va = addr; va < end; va += P)
		if (!model_find(s, (uint32_t)va))
			return -ENOMEM;
	for (uint64_t va = addr; va < end; va += P) {
		struct mpage *p = model_find(s, (uint32_t)va);
		if ((prot & PROT_WRITE) && p->backing == FILE_SHARED && p->no_maywrite)
			return -EACCES;
	}
	return 0;
}

/* A user access's result: 0, or the fault it ends in. */
static int predict_access(struct mspace *s, uint32_t va, bool write)
{
	struct mpage *p = model_find(s, va & ~(P - 1));
	if (!p || (write ? !(p->prot & PROT_WRITE) : !p->prot))
		return -EFAULT;
	if (p->backing != ANON && p->fpage >= files[p->file].pages)
		return -EIO;
	return 0;
}

/* ---- heap failures, injected now and then ---- */
static bool injected;
static long inject_at;
static unsigned long inject_calls;

static void inject_maybe(void)
{
	injected = chance(3);
	if (injected) {
		inject_at = below(3);
		inject_calls = fake_heap_calls();
		fake_heap_fail_at(inject_at);
	}
}

/* Did the injected failure happen (the call then had to fail, changing nothing)? */
static bool inject_hit(void)
{
	bool hit = injected && fake_heap_calls() - inject_calls > (unsigned long)inject_at;
	fake_heap_fail_at(-1);
	injected = false;
	return hit;
}

#define MISMATCH(...) do { host_fail("fuzz step", (int)step, __VA_ARGS__); return false; } while (0)
#define SAY(...) do { if (verbose) printf(__VA_ARGS__); } while (0)

static int space_index(struct mspace *s)
{
	for (int i = 0; i < nspaces; i++)
		if (spaces[i] == s)
			return i;
	return -1;
}

/* ---- the operations; false when the kernel and the model disagree ---- */
static bool op_map(struct mspace *s)
{
	struct map_args a = { .addr = gen_addr(s), .prot = gen_prot(), .file = -1 };
	a.len = gen_len(a.addr);
	int kind = below(3);			/* anonymous, private file, shared file */
	uint32_t type = kind == 2 ? (chance(20) ? MAP_SHARED_VALIDATE : MAP_SHARED) : MAP_PRIVATE;
	if (kind && chance(3))
		type = below(16);		/* mostly not a type at all */
	a.flags = type | (kind ? 0 : MAP_ANONYMOUS);
	switch (below(5)) {
	case 0: case 1: a.flags |= MAP_FIXED; break;
	case 2: a.flags |= MAP_FIXED_NOREPLACE | (chance(20) ? MAP_FIXED : 0); break;
	}
	if (chance(3))
		a.flags |= MAP_HUGETLB;
	bool no_maywrite = kind == 2 && chance(30);
	if (no_maywrite)
		a.flags |= MM_MAP_NO_MAYWRITE;
	if (kind) {
		a.file = (int)below(FUZZ_FILES);
		a.pgoff = chance(4) ? 0xFFFFFFF0u + below(16) : below(8);
	}
	int64_t want = predict_map(s, &a);
	uint64_t pages = page_up(a.len) / P;
	if (want >= 0 && (pages > MAP_OK_PAGES || s->n + pages > FUZZ_MAX_PAGES))
		return true;			/* too big for the model: not made */
	inject_maybe();
	long r = mm_map(s->mm, a.addr, a.len, a.prot, a.flags, kind ? files[a.file].inode : 0, a.pgoff);
	bool hit = inject_hit();
	SAY("%ld: map [%d] %08x+%08x prot %x flags %x file %d pgoff %u: %lx (model %llx)%s\n", step,
	    space_index(s), a.addr, a.len, a.prot, a.flags, a.file, a.pgoff, r, (long long)want,
	    hit ? " (heap failure injected)" : "");
	if (hit && r == -ENOMEM)
		return true;
	if (r != want)
		MISMATCH("map %08x+%08x prot %x flags %x pgoff %u: got %lx, the model says %llx",
			 a.addr, a.len, a.prot, a.flags, a.pgoff, r, (long long)want);
	if (r < 0)
		return true;
	model_remove(s, (uint64_t)r, (uint64_t)r + pages * P);
	uint32_t t = a.flags & MAP_TYPE;
	for (uint64_t i = 0; i < pages; i++)
		s->page[s->n++] = (struct mpage){
			.va = (uint32_t)(r + i * P), .prot = a.prot & 7,
			.backing = !kind ? ANON : t == MAP_PRIVATE ? FILE_PRIVATE : FILE_SHARED,
			.no_maywrite = no_maywrite, .file = (uint8_t)(kind ? a.file : 0),
			.fpage = (uint32_t)(a.pgoff + i) };
	return true;
}

static bool op_unmap(struct mspace *s)
{
	uint32_t addr = gen_addr(s), len = gen_len(addr);
	int64_t want = predict_unmap(addr, len);
	inject_maybe();
	long r = mm_unmap(s->mm, addr, len);
	bool hit = inject_hit();
	SAY("%ld: unmap [%d] %08x+%08x: %ld (model %lld)\n", step, space_index(s), addr, len, r, (long long)want);
	if (hit && r == -ENOMEM)
		return true;
	if (r != want)
		MISMATCH("unmap %08x+%08x: got %ld, the model says %lld", addr, len, r, (long long)want);
	if (r == 0)
		model_remove(s, addr, addr + page_up(len));
	return true;
}

static bool op_protect(struct mspace *s)
{
	uint32_t addr = gen_addr(s), len = gen_len(addr), prot = gen_prot();
	int64_t want = predict_protect(s, addr, len, prot);
	inject_maybe();
	long r = mm_protect(s->mm, addr, len, prot);
	bool hit = inject_hit();
	SAY("%ld: protect [%d] %08x+%08x %x: %ld (model %lld)\n", step, space_index(s), addr, len, prot, r,
	    (long long)want);
	if (hit && r == -ENOMEM)
		return true;
	if (r != want)
		MISMATCH("protect %08x+%08x %x: got %ld, the model says %lld", addr, len, prot, r, (long long)want);
	if (r == 0 && len)
		for (uint64_t va = addr; va < addr + page_up(len); va += P)
			model_find(s, (uint32_t)va)->prot = prot & 7;
	return true;
}

/* mremap, predicted on a copy of the model that becomes the model when
 * the kernel agrees (Linux changes some things before it fails). */
static bool op_remap(struct mspace *s)
{
	static struct mspace scratch;
	uint32_t addr = gen_addr(s), old_len = gen_len(addr), new_len = gen_len(addr), new_addr = gen_addr(s);
	static const uint32_t some[] = { MREMAP_MAYMOVE, MREMAP_MAYMOVE, MREMAP_MAYMOVE, 0, 0,
					 MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
					 MREMAP_FIXED, MREMAP_DONTUNMAP };
	uint32_t flags = chance(5) ? rnd() & 0xF : some[below(sizeof some / sizeof some[0])];
	if ((flags & MREMAP_DONTUNMAP) && chance(80))
		new_len = old_len;
	if (chance(10))
		old_len = 0;
	scratch.mm = s->mm;
	scratch.n = s->n;
	memcpy(scratch.page, s->page, s->n * sizeof s->page[0]);
	int64_t want = model_remap(&scratch, addr, old_len, new_len, flags, new_addr);
	if (want == FUZZ_TOO_BIG)
		return true;
	bool inject = !(flags & MREMAP_FIXED);	/* a FIXED move unmaps its target first */
	if (inject)
		inject_maybe();
	long r = mm_remap(s->mm, addr, old_len, new_len, flags, new_addr);
	bool hit = inject && inject_hit();
	SAY("%ld: remap [%d] %08x+%08x -> %08x flags %x to %08x: %lx (model %llx)%s\n", step, space_index(s),
	    addr, old_len, new_len, flags, new_addr, r, (long long)want, hit ? " (heap failure injected)" : "");
	if (hit && r == -ENOMEM)
		return true;
	if (r != want)
		MISMATCH("remap %08x+%08x -> %08x flags %x to %08x: got %lx, the model says %llx", addr, old_len,
			 new_len, flags, new_addr, r, (long long)want);
	s->n = scratch.n;
	memcpy(s->page, scratch.page, scratch.n * sizeof s->page[0]);
	return true;
}

static void model_write(struct mpage *p, int k, uint32_t val)
{
	if (p->backing == FILE_SHARED) {
		files[p->file].words[p->fpage][k] = val;
		return;
	}
	if (p->backing == FILE_PRIVATE && !p->copied) {
		memcpy(p->words, model_words(p, files), sizeof p->words);
		p->copied = true;
	}
	p->words[k] = val;
}

/* A user load or store (kernel_write: mm_write, the kernel's own). */
static bool op_touch(struct mspace *s, bool kernel_write)
{
	int k = (int)below(FUZZ_WORDS);
	uint32_t page = gen_addr(s) & ~(P - 1), va = page + fuzz_offsets[k];
	bool write = kernel_write || chance(50);
	uint32_t val = rnd();
	int want = predict_access(s, va, write), r;
	if (kernel_write) {
		want = want ? -EFAULT : 0;
		r = mm_write(s->mm, va, &val, 4);
	} else {
		r = write ? uwrite(s->mm, va, val) : uread(s->mm, va, &val);
	}
	SAY("%ld: %s [%d] %08x: %d (model %d)\n", step, kernel_write ? "mm_write" : write ? "store" : "load",
	    space_index(s), va, r, want);
	if (r != want)
		MISMATCH("%s at %08x: got %d, the model says %d", write ? "write" : "read", va, r, want);
	if (r)
		return true;
	struct mpage *p = model_find(s, page);
	if (write)
		model_write(p, k, val);
	else if (val != model_words(p, files)[k])
		MISMATCH("read at %08x: %08x, the model says %08x", va, val, model_words(p, files)[k]);
	return true;
}

static struct mspace *new_space(struct mm *mm)
{
	struct mspace *s = calloc(1, sizeof *s);
	s->mm = mm;
	spaces[nspaces++] = s;
	return s;
}

static void drop_space(struct mspace *s)
{
	int i = space_index(s);
	mm_put(s->mm);
	spaces[i] = spaces[--nspaces];
	free(s);
}

static bool op_fork(struct mspace *s, struct mspace **child_out)
{
	if (nspaces == MAX_SPACES)
		return true;
	inject_maybe();
	struct mm *mm = mm_fork(s->mm);
	bool hit = inject_hit();
	SAY("%ld: fork [%d]: %s\n", step, space_index(s), mm ? "ok" : "failed");
	if (!mm && hit)
		return true;
	if (!mm)
		MISMATCH("fork failed with no failure injected");
	struct mspace *c = new_space(mm);
	c->n = s->n;
	memcpy(c->page, s->page, s->n * sizeof s->page[0]);
	*child_out = c;
	return true;
}

static bool step_once(void)
{
	if (!nspaces)
		new_space(mm_create());
	struct mspace *s = spaces[below(nspaces)], *child = 0;
	uint32_t op = below(100);
	bool ok;
	if (op < 22)
		ok = op_map(s);
	else if (op < 32)
		ok = op_unmap(s);
	else if (op < 43)
		ok = op_protect(s);
	else if (op < 50)
		ok = op_remap(s);
	else if (op < 80)
		ok = op_touch(s, false);
	else if (op < 85)
		ok = op_touch(s, true);
	else if (op < 91)
		ok = op_fork(s, &child);
	else if (op < 95) {
		SAY("%ld: destroy [%d]\n", step, space_index(s));
		drop_space(s);
		return true;
	} else if (op < 97) {
		if (nspaces < MAX_SPACES)
			new_space(mm_create());
		return true;
	} else {
		mm_activate(chance(25) ? 0 : spaces[below(nspaces)]->mm);
		return true;
	}
	if (ok)
		ok = model_check_space(s, files);
	if (ok && child)
		ok = model_check_space(child, files);
	return ok;
}

bool fuzz_mm(uint64_t seed, long steps, bool be_verbose)
{
	verbose = be_verbose;
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	static const uint32_t file_pages[FUZZ_FILES] = { 6, 3 };
	for (int f = 0; f < FUZZ_FILES; f++) {
		files[f].pages = file_pages[f];
		files[f].inode = fake_file_create(file_pages[f]);
		files[f].words = calloc(file_pages[f], sizeof files[f].words[0]);
	}
	bool ok = true;
	for (step = 0; ok && step < steps; step++) {
		ok = step_once();
		if (ok && (step % 32 == 31 || step == steps - 1)) {
			for (int i = 0; ok && i < nspaces; i++)
				ok = model_check_space(spaces[i], files);
			ok = ok && model_check_frames(spaces, nspaces, files);
		}
		if (!ok)
			printf("fuzz: seed %llu failed at step %ld (rerun: mmtest --seed %llu --steps %ld -v)\n",
			       (unsigned long long)seed, step, (unsigned long long)seed, step + 1);
	}
	while (nspaces)
		drop_space(spaces[0]);
	mm_activate(0);
	for (int f = 0; f < FUZZ_FILES; f++) {
		inode_put(files[f].inode);
		free(files[f].words);
	}
	return ok;
}

/* In make test: fixed seeds, so a run is the same every time. */
#define SUITE_SEEDS 8
#define SUITE_STEPS 5000

TEST(fuzz_mm_fixed_seeds)
{
	for (uint64_t seed = 1; seed <= SUITE_SEEDS; seed++) {
		uint32_t frames = pmm_free_pages(), blocks = fake_heap_live();
		if (!fuzz_mm(seed, SUITE_STEPS, false))
			host_fail("fuzz", 0, "seed %llu: the kernel and the model disagree", (unsigned long long)seed);
		if (pmm_free_pages() != frames || fake_heap_live() != blocks)
			host_fail("fuzz", 0, "seed %llu: %d frames, %d heap blocks leaked", (unsigned long long)seed,
				  (int)(frames - pmm_free_pages()), (int)(blocks - fake_heap_live()));
	}
}
