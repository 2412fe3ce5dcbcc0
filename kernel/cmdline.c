/*
 * The kernel command line.  The boot loader's copy is in memory the kernel
 * will reuse, so cmdline_init copies it.  QEMU passes only the -append text;
 * GRUB passes the kernel's path first, which is just another word here.
 */
#include <kernel/cmdline.h>
#include <kernel/string.h>

#define CMDLINE_MAX 512

static char cmdline[CMDLINE_MAX];

void cmdline_init(const char *s)
{
	size_t n = 0;
	if (s)
		for (; s[n] && n < CMDLINE_MAX - 1; n++)
			cmdline[n] = s[n];
	cmdline[n] = '\0';
}

const char *cmdline_get_all(void)
{
	return cmdline;
}

const char *cmdline_init_args(void)
{
	for (const char *p = cmdline; *p; p++)
		if (p[0] == '-' && p[1] == '-' && (p == cmdline || p[-1] == ' ') && (p[2] == ' ' || !p[2]))
			return p[2] ? p + 3 : p + 2;
	return 0;
}

/* Find `key` as a whole word (followed by '=', space or end); return the
 * start of its value (after '=') or the end of the key, and set *len. */
static const char *find_key(const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;
	const char *end = cmdline_init_args();	/* words after "--" are init's */
	while (*p) {
		while (*p == ' ')
			p++;
		if (end && p >= end)
			break;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		size_t wlen = (size_t)(p - word);
		if (wlen >= klen && strncmp(word, key, klen) == 0) {
			if (wlen == klen) {
				*len = 0;
				return word + klen;
			}
			if (word[klen] == '=') {
				*len = wlen - klen - 1;
				return word + klen + 1;
			}
		}
	}
	return 0;
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
	size_t len;
	const char *v = find_key(key, &len);
	if (!v)
		return false;
	if (size) {
		if (len > size - 1)
			len = size - 1;
		memcpy(buf, v, len);
		buf[len] = '\0';
	}
	return true;
}

bool cmdline_has_item(const char *key, const char *item)
{
	size_t len;
	const char *v = find_key(key, &len);
	if (!v)
		return false;
	size_t ilen = strlen(item);
	const char *end = v + len;
	while (v < end) {
		const char *comma = v;
		while (comma < end && *comma != ',')
			comma++;
		if ((size_t)(comma - v) == ilen && strncmp(v, item, ilen) == 0)
			return true;
		v = comma + 1;
	}
	return false;
}
