/*
 * The initial user stack of a new program, laid out as Linux i386 does,
 * from the top of the stack down:
 *
 *   USER_STACK_TOP ->  4 zero bytes
 *                      the executed file name       (AT_EXECFN points here)
 *                      environment strings
 *                      argument strings
 *                      (aligned down to 16)
 *                      "i686"                       (AT_PLATFORM)
 *                      16 random bytes              (AT_RANDOM)
 *                      (aligned so that sp is a multiple of 16)
 *                      auxiliary vector: (type, value) pairs, then AT_NULL
 *                      NULL
 *                      envp[envc-1] ... envp[0]
 *                      NULL
 *                      argv[argc-1] ... argv[0]
 *   sp ->              argc
 *
 * The block is built in a kernel buffer and written into the new address
 * space with mm_write, which faults in the stack pages it touches.
 */
#include <kernel/exec.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/random.h>
#include <kernel/string.h>
#include <uapi/auxv.h>

#define PLATFORM "i686"
#define AUXV_MAX 20	/* pairs, AT_NULL included */

static uint32_t cpu_features(void)
{
	uint32_t eax = 1, ebx, ecx, edx;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	return edx;
}

uint32_t exec_build_stack(struct mm *mm, const struct exec_args *a, const char *execfn,
			  const struct exec_image *img)
{
	size_t fn_len = strlen(execfn) + 1;
	uint32_t strings_at = USER_STACK_TOP - 4 - fn_len - a->len;
	uint32_t fn_at = strings_at + a->len;
	uint32_t platform_at = (strings_at & ~15u) - sizeof PLATFORM;
	uint32_t random_at = platform_at - 16;
	int words = 1 + (a->argc + 1) + (a->envc + 1) + 2 * AUXV_MAX;
	uint32_t sp = (random_at - words * 4) & ~15u;
	uint32_t size = USER_STACK_TOP - sp;

	uint8_t *block = kzalloc(size);
	if (!block)
		return 0;
#define AT(addr) (block + ((addr) - sp))	/* where a user address lies in the block */
	memcpy(AT(strings_at), a->strings, a->len);
	memcpy(AT(fn_at), execfn, fn_len);
	memcpy(AT(platform_at), PLATFORM, sizeof PLATFORM);
	random_bytes(AT(random_at), 16);

	uint32_t *w = (uint32_t *)AT(sp);
	*w++ = a->argc;
	uint32_t s = strings_at;
	for (int i = 0; i < a->argc; i++, s += strlen((const char *)AT(s)) + 1)
		*w++ = s;
	*w++ = 0;	/* end of argv */
	/* What /proc/PID/cmdline and environ read. */
	mm->arg_start = strings_at;
	mm->arg_end = mm->env_start = s;
	mm->env_end = fn_at;
	mm->start_stack = sp;
	for (int i = 0; i < a->envc; i++, s += strlen((const char *)AT(s)) + 1)
		*w++ = s;
	*w++ = 0;	/* end of envp */
	const uint32_t auxv[][2] = {
		{ AT_HWCAP, cpu_features() }, { AT_PAGESZ, PAGE_SIZE }, { AT_CLKTCK, 100 },
		{ AT_PHDR, img->phdr }, { AT_PHENT, 32 }, { AT_PHNUM, img->phnum },
		{ AT_BASE, img->base }, { AT_FLAGS, 0 }, { AT_ENTRY, img->entry },
		{ AT_UID, img->ids.uid }, { AT_EUID, img->ids.euid }, { AT_GID, img->ids.gid },
		{ AT_EGID, img->ids.egid }, { AT_SECURE, img->ids.secure },
		{ AT_RANDOM, random_at }, { AT_EXECFN, fn_at }, { AT_PLATFORM, platform_at },
		{ AT_NULL, 0 },
	};
	_Static_assert(sizeof auxv / sizeof auxv[0] <= AUXV_MAX, "AUXV_MAX too small");
	memcpy(w, auxv, sizeof auxv);
#undef AT
	int err = mm_write(mm, sp, block, size);
	kfree(block);
	return err ? 0 : sp;
}
