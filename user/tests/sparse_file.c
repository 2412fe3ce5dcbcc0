/*
 * A sparse file costs the pages it has, not its length: one byte written
 * at 200 MiB, then one at almost 2 GiB (the largest offset without
 * O_LARGEFILE), each take a page or two of memory, as on Linux, and read
 * back with zeros all around; st_blocks counts only what is there.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <stdint.h>

static long mem_free_kb(void)
{
	long kb = meminfo_kb("MemFree");
	CHECK(kb > 0);
	return kb;
}

/* Write one byte at off; the memory it cost must be small. */
static void poke(int fd, long off, char c)
{
	long before = mem_free_kb();
	CHECK_EQ(pwrite64(fd, &c, 1, off), 1);
	long cost = before - mem_free_kb();
	if (cost > 128)
		check_fail(__FILE__, __LINE__, "one byte at %#lx cost %ld kB of memory", (long)off, cost);
	char got[3] = { 1, 1, 1 };
	CHECK_EQ(pread64(fd, got, 3, off - 1), 2);        /* the end of the file is off + 1 */
	CHECK_EQ(got[0], 0);
	CHECK_EQ(got[1], c);
}

int main(void)
{
	int fd = open("/tmp/sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd);
	poke(fd, 200 << 20, 'a');
	struct stat64 st;
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, (200 << 20) + 1);
	CHECK_EQ(st.st_blocks, 8);                      /* one page, in 512-byte units */
	poke(fd, 0x7fff0000, 'b');
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 0x7fff0001);
	CHECK_EQ(st.st_blocks, 16);
	char z[16];
	CHECK_EQ(pread64(fd, z, sizeof z, 100 << 20), (long)sizeof z);
	for (unsigned i = 0; i < sizeof z; i++)
		CHECK_EQ(z[i], 0);
	CHECK_OK(ftruncate(fd, 1 << 20));               /* both pages go */
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_blocks, 0);
	CHECK_OK(close(fd));
	CHECK_OK(unlink("/tmp/sparse"));
	return 0;
}
