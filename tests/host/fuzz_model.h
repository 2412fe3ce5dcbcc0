/*
 * The model the fuzzer (fuzz_mm.c) checks kernel/mm against: for each
 * address space, the pages it must have mapped, with their rights,
 * their backing, and the bytes they hold; for each file, its bytes.
 * Only four words of each page are tracked (FUZZ_WORDS offsets): enough
 * to tell pages apart and to see a copy that was not made or was made
 * twice.  The model knows nothing of VMAs, page tables or frames: it is
 * what a program could observe.
 */
#ifndef HOST_FUZZ_MODEL_H
#define HOST_FUZZ_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define FUZZ_WORDS	4
#define FUZZ_MAX_PAGES	400	/* per space; maps that would pass it are not made */
#define FUZZ_FILES	2

enum backing { ANON, FILE_PRIVATE, FILE_SHARED };

struct mpage {
	uint32_t va;
	uint8_t prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	uint8_t backing;	/* enum backing */
	bool no_maywrite;	/* shared file opened read-only */
	bool copied;		/* FILE_PRIVATE: written, so a private copy */
	uint8_t file;
	uint32_t fpage;		/* file page index (file backings) */
	uint32_t words[FUZZ_WORDS];	/* ANON, or a copied FILE_PRIVATE page */
};

struct mspace {
	struct mm *mm;
	int n;
	struct mpage page[FUZZ_MAX_PAGES];
};

struct mfile {
	struct inode *inode;
	uint32_t pages;
	uint32_t (*words)[FUZZ_WORDS];
};

extern const uint32_t fuzz_offsets[FUZZ_WORDS];

struct mpage *model_find(struct mspace *s, uint32_t va);
void model_remove(struct mspace *s, uint64_t start, uint64_t end);
/* The words a program would read in page p now. */
const uint32_t *model_words(const struct mpage *p, const struct mfile *files);
/* Free pages, and the highest free gap below MMAP_TOP (0: none). */
bool model_range_free(struct mspace *s, uint64_t start, uint64_t end);
uint64_t model_gap(struct mspace *s, uint64_t len);
/* mm_remap's result by Linux's rules, with the model changed to match
 * (also where Linux changes things before it fails: a MREMAP_FIXED target
 * unmapped, a tail cut off).  Pages moved keep their bytes; pages that
 * come new are fresh; the caller checks the page limit. */
#define FUZZ_TOO_BIG 1	/* model_remap: it would pass FUZZ_MAX_PAGES; not made */
int64_t model_remap(struct mspace *s, uint32_t addr, uint32_t old_len, uint32_t new_len, uint32_t flags,
		    uint32_t new_addr);
/* Check space s of the kernel against the model: PTEs, frames, bytes,
 * VMAs.  Reports through host_fail; false if anything disagreed. */
bool model_check_space(struct mspace *s, const struct mfile *files);
/* Every frame's reference count against the PTEs and files that hold it. */
bool model_check_frames(struct mspace **spaces, int n, const struct mfile *files);

#endif
