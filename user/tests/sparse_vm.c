/*
 * A process has the whole i386 user address range, however little memory
 * it touches: ten mappings of 256 MiB (2.5 GiB in all, MAP_NORESERVE so
 * that Linux's overcommit heuristic does not weigh them against its RAM)
 * all succeed, one byte written every 64 MiB reads back, and what was
 * never touched reads as zero.  Inside the guest kernel this is the
 * proposal's point: the guest process's address space is as large as a
 * host process's.
 */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>

#define MiB (1024u * 1024u)
#define PIECE (256u * MiB)
#define PIECES 10
#define STRIDE (64u * MiB)

int main(void)
{
	uint8_t *at[PIECES];
	for (int i = 0; i < PIECES; i++) {
		at[i] = mmap(NULL, PIECE, PROT_READ | PROT_WRITE,
		             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (at[i] == MAP_FAILED)
			check_fail(__FILE__, __LINE__, "mmap of 256 MiB number %d failed: errno %d (%s)",
			           i + 1, errno, strerror(errno));
	}
	for (int i = 0; i < PIECES; i++)
		for (uint32_t off = 0; off < PIECE; off += STRIDE)
			at[i][off + (i * 4096u) % STRIDE] = (uint8_t)(i * 16 + off / STRIDE + 1);
	for (int i = 0; i < PIECES; i++)
		for (uint32_t off = 0; off < PIECE; off += STRIDE) {
			CHECK_EQ(at[i][off + (i * 4096u) % STRIDE], (uint8_t)(i * 16 + off / STRIDE + 1));
			CHECK_EQ(at[i][off + STRIDE / 2], 0);   /* a page never touched */
		}
	for (int i = 0; i < PIECES; i++)
		CHECK_OK(munmap(at[i], PIECE));
	printf("sparse_vm: %u MiB mapped, %u pages touched: ok\n", PIECES * (PIECE / MiB),
	       PIECES * (PIECE / STRIDE) * 2);
	return 0;
}
