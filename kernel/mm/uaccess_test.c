/* Self-tests of the user-copy routines (kernel/mm/uaccess.c): a copy that
 * runs off the end of what is mapped fails with -EFAULT, whichever of the
 * two string instructions (words, then bytes) hits the hole. */
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/pmm.h>
#include <kernel/selftest.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

#define BASE 0x10000000u

SELFTEST(uaccess_faults)
{
	uint32_t before = pmm_free_pages();
	struct mm *mm = mm_create();
	EXPECT(mm);
	EXPECT(mm_map(mm, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		      0, 0) == (long)BASE);
	EXPECT(mm_write(mm, BASE, "x", 1) == 0);	/* present from now on */
	mm_activate(mm);
	char buf[16] = "0123456789abcdef", back[16];
	char *end = (char *)(BASE + PAGE_SIZE);
	int whole = copy_to_user(end - 16, buf, 16);
	int from = copy_from_user(back, end - 16, 16);
	bool same = memcmp(back, buf, 16) == 0;
	int words_hole = copy_to_user(end - 8, buf, 16);	/* a word copy reaches the hole */
	int bytes_hole = copy_to_user(end - 3, buf, 6);		/* one word, then bytes reach it */
	int read_hole = copy_from_user(back, end - 2, 3);
	int kernel = copy_to_user((void *)0xC0000000, buf, 1);
	int wrap = copy_from_user(back, (void *)0xFFFFFFF0, 32);
	int str = strncpy_from_user(back, end - 4, sizeof back);	/* "cdef", no NUL before the hole */
	end[-1] = 0;	/* (the page is ours while mm is loaded) */
	int str_ok = strncpy_from_user(back, end - 4, sizeof back);
	int cleared = clear_user(end - 5, 5);
	mm_activate(0);
	mm_put(mm);
	EXPECT(whole == 0 && from == 0 && same);
	EXPECT(words_hole == -EFAULT);
	EXPECT(bytes_hole == -EFAULT);
	EXPECT(read_hole == -EFAULT);
	EXPECT(kernel == -EFAULT && wrap == -EFAULT);
	EXPECT(str == -EFAULT);
	EXPECT(str_ok == 3);
	EXPECT(cleared == 0);
	EXPECT(pmm_free_pages() == before);
}
