/* Self-tests of vsnprintf (kernel/printk.c) and the command-line parser. */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include <kernel/string.h>

SELFTEST(printk_format)
{
	char buf[64];
	EXPECT(snprintf(buf, sizeof buf, "%d %i %u", -42, 7, 4000000000u) == 16);
	EXPECT(strcmp(buf, "-42 7 4000000000") == 0);
	snprintf(buf, sizeof buf, "%x %X %08x %p", 0xbeefu, 0xbeefu, 0x1fu, (void *)0xc0100000);
	EXPECT(strcmp(buf, "beef BEEF 0000001f 0xc0100000") == 0);
	snprintf(buf, sizeof buf, "[%5d|%-5d|%05d|%-4s|%4s]", 42, 42, -42, "ab", "cd");
	EXPECT(strcmp(buf, "[   42|42   |-0042|ab  |  cd]") == 0);
	snprintf(buf, sizeof buf, "%llu %lld %llx %c%%", 10000000000ull, -5ll, 0x123456789abull, 'z');
	EXPECT(strcmp(buf, "10000000000 -5 123456789ab z%") == 0);
	const char *volatile null_string = 0;
	snprintf(buf, sizeof buf, "%s", null_string);
	EXPECT(strcmp(buf, "(null)") == 0);
	/* Truncation: the return value counts what would have been written. */
	EXPECT(snprintf(buf, 4, "abcdef") == 6);
	EXPECT(strcmp(buf, "abc") == 0);
	EXPECT(snprintf(buf, 0, "xyz") == 3);
}

SELFTEST(cmdline_parse)
{
	char saved[512], buf[16];
	const char *all = cmdline_get_all();
	size_t n = strlen(all);
	memcpy(saved, all, n + 1);

	cmdline_init("/boot/kernel.elf  quiet mem=64 list=a,bc,d selftestx=1 empty=");
	EXPECT(cmdline_get("quiet", buf, sizeof buf) && buf[0] == '\0');
	EXPECT(cmdline_get("mem", buf, sizeof buf) && strcmp(buf, "64") == 0);
	EXPECT(cmdline_get("empty", buf, sizeof buf) && buf[0] == '\0');
	EXPECT(!cmdline_get("me", buf, sizeof buf));
	EXPECT(!cmdline_get("selftest", buf, sizeof buf));
	EXPECT(cmdline_get("list", buf, 3) && strcmp(buf, "a,") == 0);
	EXPECT(cmdline_has_item("list", "bc"));
	EXPECT(cmdline_has_item("list", "d"));
	EXPECT(!cmdline_has_item("list", "b"));
	EXPECT(!cmdline_has_item("nolist", "a"));

	/* Words after a lone "--" belong to init, not to the kernel. */
	EXPECT(cmdline_init_args() == 0);
	cmdline_init("a=1 --x -- y=2 z");
	EXPECT(cmdline_get("a", buf, sizeof buf) && strcmp(buf, "1") == 0);
	EXPECT(!cmdline_get("y", buf, sizeof buf));
	EXPECT(cmdline_init_args() && strcmp(cmdline_init_args(), "y=2 z") == 0);
	cmdline_init("a --");
	EXPECT(cmdline_init_args() && strcmp(cmdline_init_args(), "") == 0);

	cmdline_init(saved);
	EXPECT(strcmp(cmdline_get_all(), saved) == 0);
}
