/*
 * execve: a static ELF32 program from the host's files, loaded into guest
 * physical memory, and its first stack, laid out as Linux i386 lays it.
 *
 * The new image is built beside the old one, in a fresh address space
 * (a new host space and page table, mm.c), and swapped in only when it is
 * complete: until then any error (no such file, not ELF, out of memory)
 * leaves the caller exactly as it was, and execve returns the error.
 *
 * Segments are read into freshly allocated pages, all at once (no demand
 * paging from files yet), one pread per run of consecutive physical
 * pages, and mapped into the new space with one mm_batch per run.
 */
#include "uml.h"
#include "sys.h"
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <altmm.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <uapi/auxv.h>
#include <uapi/elf.h>

#define ARG_MAX_        (128 * 1024)    /* argument and environment strings */
#define PLATFORM        "i686"

#define MAX_PHDRS       32

/* The strings of argv and envp, one after the other, each with its NUL. */
struct exec_args {
	char *buf;
	uint32_t len;
	int argc, envc;
};

/* What loading found out, for the auxiliary vector. */
struct image {
	uint32_t entry, phdr, phnum, brk;
};

/* The state the FPU is in when a program starts: finit's, SSE masked.
 * The fxsave image is the CPU's own (fpu_init), which also says which
 * MXCSR bits it has (the image's MXCSR_MASK). */
static uint8_t fx_initial[FXSAVE_SIZE] __attribute__((aligned(16)));

static uint32_t cpu_features(void)
{
	uint32_t eax = 1, ebx, ecx, edx;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	return edx;
}

void fpu_init(void)
{
	uint32_t mxcsr = 0x1f80;                /* every SSE exception masked */
	__asm__ volatile("fninit");
	if (cpu_features() & (1u << 25))        /* SSE */
		__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	__asm__ volatile("fxsave %0" : "=m"(fx_initial));
}

void fpu_initial(struct fpstate_32 *f)
{
	memset(f, 0, sizeof *f);
	f->cw = 0xffff037f;                     /* the fsave part: fnsave pads with ones */
	f->sw = 0xffff0000;
	f->tag = 0xffffffff;                    /* every register empty */
	f->magic = X86_FXSR_MAGIC;              /* the fxsave image follows */
	memcpy(f->fxsr_env, fx_initial, FXSAVE_SIZE);
}

int fpu_is_initial(const struct fpstate_32 *f)
{
	static struct fpstate_32 initial;
	if (!initial.magic)
		fpu_initial(&initial);
	return !memcmp(f, &initial, sizeof *f);
}

/* ---- Arguments ---- */

static int add_string(struct exec_args *a, const char *s)
{
	size_t n = strlen(s) + 1;
	if (a->len + n > ARG_MAX_)
		return -E2BIG;
	memcpy(a->buf + a->len, s, n);
	a->len += n;
	return 0;
}

/* Append the strings of a NULL-terminated vector of user pointers. */
static int copy_user_vector(struct proc *p, uint32_t uvec, struct exec_args *a, int *count)
{
	for (uint32_t i = 0; uvec; i++) {
		uint32_t ptr;
		if (copy_from_user(p, &ptr, uvec + 4 * i, 4))
			return -EFAULT;
		if (!ptr)
			break;
		int n = strncpy_from_user(p, a->buf + a->len, ptr, ARG_MAX_ - a->len);
		if (n < 0)
			return n == -ENAMETOOLONG ? -E2BIG : n;
		a->len += n + 1;
		(*count)++;
	}
	return 0;
}

/* ---- Loading ---- */

static int load_segment(struct mm *mm, int fd, const struct elf32_phdr *ph)
{
	uint32_t start = PAGE_DOWN(ph->p_vaddr), end = PAGE_UP(ph->p_vaddr + ph->p_memsz);
	if (ph->p_filesz > ph->p_memsz || end > USER_TOP || end < start || !start)
		return -ENOEXEC;
	if (!vma_range_free(mm, start, end))
		return -ENOEXEC;                /* segments sharing a page: not supported */
	int prot = ((ph->p_flags & PF_R) ? PROT_READ : 0) | ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
	           ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
	if (!vma_add(mm, start, end, prot, 0))
		return -ENOMEM;
	int err = pt_populate(mm, start, end, prot);
	if (!err)
		err = user_pread(mm, fd, ph->p_vaddr, ph->p_filesz, ph->p_offset);
	return err;
}

static int load_elf(struct mm *mm, int fd, struct image *img)
{
	struct elf32_ehdr eh;
	static struct elf32_phdr ph[MAX_PHDRS];

	if (__syscall5(__NR_pread64, fd, &eh, sizeof eh, 0, 0) != sizeof eh ||
	    eh.e_magic != ELF_MAGIC || eh.e_class != ELFCLASS32 ||
	    eh.e_data != ELFDATA2LSB || eh.e_machine != EM_386)
		return -ENOEXEC;
	if (eh.e_type != ET_EXEC || eh.e_phentsize != sizeof ph[0] || !eh.e_phnum || eh.e_phnum > MAX_PHDRS)
		return -ENOEXEC;                /* static executables only */
	uint32_t size = eh.e_phnum * sizeof ph[0];
	if (__syscall5(__NR_pread64, fd, ph, size, eh.e_phoff, 0) != (long)size)
		return -ENOEXEC;

	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	img->phdr = img->brk = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return -ENOEXEC;        /* dynamically linked: not supported */
		if (ph[i].p_type == PT_PHDR)
			img->phdr = ph[i].p_vaddr;
		if (ph[i].p_type != PT_LOAD)
			continue;
		int err = load_segment(mm, fd, &ph[i]);
		if (err)
			return err;
		/* The program headers, if this segment carries them. */
		if (!img->phdr && eh.e_phoff >= ph[i].p_offset && eh.e_phoff < ph[i].p_offset + ph[i].p_filesz)
			img->phdr = ph[i].p_vaddr + (eh.e_phoff - ph[i].p_offset);
		if (PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz) > img->brk)
			img->brk = PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz);
	}
	return img->brk ? 0 : -ENOEXEC;
}

/* ---- The first stack ---- */

/*
 * From the top down: 4 zero bytes, the file name (AT_EXECFN), the
 * strings, "i686" (AT_PLATFORM), 16 random bytes (AT_RANDOM), then from
 * a 16-byte aligned sp up: argc, argv[], NULL, envp[], NULL, auxv pairs.
 */
static int build_stack(struct mm *mm, const struct exec_args *a, const char *execfn, const struct image *img,
                       uint32_t *sp_out)
{
	uint32_t fn_len = strlen(execfn) + 1;
	uint32_t fn_at = USER_TOP - 4 - fn_len;
	uint32_t strings_at = fn_at - a->len;
	uint32_t platform_at = (strings_at & ~15u) - sizeof PLATFORM;
	uint32_t random_at = platform_at - 16;
	uint32_t aux[][2] = {
		{ AT_HWCAP, cpu_features() }, { AT_PAGESZ, PAGE }, { AT_CLKTCK, 100 },
		{ AT_PHDR, img->phdr }, { AT_PHENT, sizeof(struct elf32_phdr) }, { AT_PHNUM, img->phnum },
		{ AT_BASE, 0 }, { AT_FLAGS, 0 }, { AT_ENTRY, img->entry },
		{ AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 }, { AT_SECURE, 0 },
		{ AT_RANDOM, random_at }, { AT_EXECFN, fn_at }, { AT_PLATFORM, platform_at },
		{ AT_NULL, 0 },
	};
	uint32_t words = 1 + (a->argc + 1) + (a->envc + 1) + sizeof aux / 4;
	uint32_t sp = (random_at - words * 4) & ~15u;
	uint32_t size = USER_TOP - sp;

	uint8_t *block = calloc(1, size);
	if (!block)
		return -ENOMEM;
#define AT(addr) (block + ((addr) - sp))
	memcpy(AT(strings_at), a->buf, a->len);
	memcpy(AT(fn_at), execfn, fn_len);
	memcpy(AT(platform_at), PLATFORM, sizeof PLATFORM);
	__syscall3(__NR_getrandom, AT(random_at), 16, 0);
	uint32_t *w = (uint32_t *)AT(sp);
	*w++ = a->argc;
	uint32_t s = strings_at;
	for (int i = 0; i < a->argc; i++, s += strlen((const char *)AT(s)) + 1)
		*w++ = s;
	*w++ = 0;                               /* end of argv */
	for (int i = 0; i < a->envc; i++, s += strlen((const char *)AT(s)) + 1)
		*w++ = s;
	*w++ = 0;                               /* end of envp */
	memcpy(w, aux, sizeof aux);
#undef AT
	int err = copy_to_mm(mm, sp, block, size);
	free(block);
	*sp_out = sp;
	return err;
}

/* Build the whole new image from the host file at hostpath. */
static long build_image(struct mm *mm, const char *hostpath, const char *execfn, const struct exec_args *a,
                        struct image *img, uint32_t *sp)
{
	int fd = __syscall3(__NR_open, hostpath, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	struct stat64 st;
	long err = __syscall2(__NR_fstat64, fd, &st);
	if (!err && (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)))
		err = -EACCES;                  /* directories, and no x bit even for root */
	if (!err)
		err = load_elf(mm, fd, img);
	close(fd);
	if (!err && !vma_add(mm, USER_TOP - STACK_SIZE, USER_TOP,
	                     PROT_READ | PROT_WRITE, VMA_STACK))
		err = -ENOMEM;
	if (!err)
		err = build_stack(mm, a, execfn, img, sp);
	return err;
}

static long exec_common(struct proc *p, const char *hostpath, const char *exe,
                        const char *execfn, const struct exec_args *a)
{
	struct image img;
	uint32_t sp = 0;

	struct mm *mm = mm_create();
	if (!mm)
		return -ENOMEM;
	long err = build_image(mm, hostpath, execfn, a, &img, &sp);
	if (err) {
		mm_put(mm);
		return err;
	}

	/* The point of no return: the old image goes, the new one comes. */
	mm_put(p->mm);
	p->mm = mm;
	mm->brk_start = mm->brk = img.brk;
	memset(&p->regs, 0, sizeof p->regs);
	p->regs.cs = home_regs.cs;
	p->regs.ss = home_regs.ss;
	p->regs.ds = home_regs.ds;
	p->regs.es = home_regs.es;
	p->regs.eflags = home_regs.eflags;
	p->regs.eip = img.entry;
	p->regs.esp = sp;
	fpu_initial(&p->fpu);
	p->fpu_changed = p->fpu_clean = 1;
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		tls_clear(&p->tls[i]);
	p->tls_changed = 1;
	p->clear_child_tid = 0;
	snprintf(p->exe, sizeof p->exe, "%s", exe);
	p->did_exec = 1;
	const char *base = strrchr(execfn, '/');
	strncpy(p->comm, base ? base + 1 : execfn, sizeof p->comm - 1);
	files_exec(p);
	sig_exec(p);
	proc_vfork_done(p);
	return 0;
}

long do_execve(struct proc *p, uint32_t upath, uint32_t uargv, uint32_t uenvp)
{
	static char hostpath[PATH_MAX_], execfn[PATH_MAX_], abs[PATH_MAX_];
	int n = strncpy_from_user(p, execfn, upath, sizeof execfn);
	if (n < 0)
		return n;
	long err = path_host_abs(p, AT_FDCWD, upath, abs, hostpath, sizeof hostpath);
	if (err < 0)
		return err;
	struct exec_args a = { .buf = malloc(ARG_MAX_) };
	if (!a.buf)
		return -ENOMEM;
	err = copy_user_vector(p, uargv, &a, &a.argc);
	if (!err)
		err = copy_user_vector(p, uenvp, &a, &a.envc);
	if (!err)
		err = exec_common(p, hostpath, abs, execfn, &a);
	free(a.buf);
	return err;
}

/* The first program (init), from our own command line. */
long exec_first(struct proc *p, const char *path, char *const argv[], char *const envp[])
{
	static char hostpath[PATH_MAX_];
	struct exec_args a = { .buf = malloc(ARG_MAX_) };
	long err = 0;
	if (!a.buf)
		return -ENOMEM;
	for (; *argv && !err; argv++, a.argc++)
		err = add_string(&a, *argv);
	for (; *envp && !err; envp++, a.envc++)
		err = add_string(&a, *envp);
	if (!err)
		err = guest_to_host(path, hostpath, sizeof hostpath);
	if (!err)
		err = exec_common(p, hostpath, path, path, &a);
	free(a.buf);
	return err;
}
