#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>
static long ma(void *p, long len, long adv) { return raw_syscall6(__NR_madvise, (long)p, len, adv, 0, 0, 0); }
int main(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fd = open("/tmp/probe", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(fd, 8192);
	char *f = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *fs = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("probe anon:");
	for (int a = 0; a <= 26; a++) printf(" %d=%ld", a, ma(p, 4096, a));
	printf(" 100=%ld 101=%ld\nprobe shanon:", ma(p, 4096, 100), ma(p, 4096, 101));
	for (int a = 0; a <= 26; a++) printf(" %d=%ld", a, ma(s, 4096, a));
	printf("\nprobe fileprivate:");
	for (int a = 0; a <= 26; a++) printf(" %d=%ld", a, ma(f, 4096, a));
	printf("\nprobe fileshared:");
	for (int a = 0; a <= 26; a++) printf(" %d=%ld", a, ma(fs, 4096, a));
	printf("\nprobe unaligned=%ld len0=%ld neglen=%ld hole=%ld wrap=%ld unmapped_ok_len0=%ld\n", ma(p + 1, 4096, 4), ma(p, 0, 4), ma(p, -1, 4),
	       ma(p, 3 * 4096, 4), ma(p, 0x7ffff000, 4), ma((void *)0x1000, 0, 4));
	p[0] = 5; ma(p, 4096, 4); printf("probe after dontneed %d\n", p[0]);
	s[0] = 5; ma(s, 4096, 4); printf("probe shared after dontneed %d\n", s[0]);
	p[0] = 5; ma(p, 4096, 8); printf("probe after free %d\n", p[0]);
	unsigned char vec[4] = {9,9,9,9};
	long r = raw_syscall6(__NR_mincore, (long)p, 8192, (long)vec, 0,0,0);
	printf("probe mincore %ld %d %d\n", r, vec[0], vec[1]);
	return 0;
}
