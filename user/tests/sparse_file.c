/*
 * A sparse file costs the pages it has, not its length: one byte written
 * at 200 MiB, then one at almost 2 GiB (the largest offset without
 * O_LARGEFILE), each take a page or two of memory, as on Linux, and read
 * back with zeros all around; st_blocks counts only what is there, and
 * lseek's SEEK_DATA and SEEK_HOLE find the pages there are and are not.
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
	/* SEEK_DATA and SEEK_HOLE, a page at a time, as Linux's tmpfs answers. */
	CHECK_EQ(lseek(fd, 0, SEEK_DATA), 200 << 20);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 200 << 20);            /* it moved there */
	CHECK_EQ(lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_EQ(lseek(fd, (200 << 20) + 5, SEEK_DATA), (200 << 20) + 5);   /* inside data */
	CHECK_EQ(lseek(fd, (200 << 20) + 5, SEEK_HOLE), (200 << 20) + 4096);
	CHECK_EQ(lseek(fd, (200 << 20) + 4096, SEEK_DATA), 0x7fff0000);
	CHECK_EQ(lseek(fd, 0x7fff0000, SEEK_HOLE), 0x7fff0001);  /* the end is a hole */
	CHECK_ERR(lseek(fd, 0x7fff0001, SEEK_DATA), ENXIO);     /* at the end */
	CHECK_ERR(lseek(fd, 0x7fff0001, SEEK_HOLE), ENXIO);
	CHECK_ERR(lseek(fd, -1, SEEK_DATA), ENXIO);
	CHECK_ERR(lseek(fd, 0, 5), EINVAL);                     /* no such whence */
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
