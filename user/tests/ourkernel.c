/*
 * Only on our kernel: it names itself in uname's version (runtests looks
 * for "altmm" there to turn on its leak check) while looking like Linux
 * elsewhere, and /proc/meminfo has the fields the leak check adds up;
 * /proc/kheap counts the kernel heap's live blocks, which a kernel object
 * adds to while it lives and gives back when it goes (a pipe: its inode,
 * two files, its buffer).
 */
#include "check.h"
#include <fcntl.h>

int main(void)
{
	struct new_utsname u;
	char buf[4096];

	if (!on_our_kernel())
		SKIP("only meaningful on the altmm kernel");
	CHECK_OK(uname(&u));
	CHECK_STR(u.sysname, "Linux");
	CHECK(strstr(u.version, "altmm") != NULL);
	CHECK_STR(u.machine, "i686");
	CHECK(u.release[0] >= '3' && u.release[0] <= '9' && u.release[1] == '.');

	int fd = open("/proc/meminfo", O_RDONLY);
	CHECK_OK(fd);
	int n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = 0;
	close(fd);
	CHECK(strstr(buf, "\nMemFree:") != NULL);
	CHECK(strstr(buf, "\nSlab:") != NULL);

	fd = open("/proc/kheap", O_RDONLY);
	CHECK_OK(fd);
	n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = 0;
	close(fd);
	CHECK(!strncmp(buf, "pages: ", 7));
	CHECK(strstr(buf, "\nlive_blocks: ") && strstr(buf, "\nused_bytes: ") &&
	      strstr(buf, "\nfree_blocks: "));
	long before = kheap_blocks();
	CHECK(before > 0);
	int p[2];
	CHECK_OK(pipe(p));
	long with_pipe = kheap_blocks();
	CHECK(with_pipe > before);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_EQ(kheap_blocks(), before);
	return 0;
}
