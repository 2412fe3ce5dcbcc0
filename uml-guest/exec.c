/*
 * execve: a static ELF32 program from the host's files, loaded into guest
 * physical memory, and its first stack, laid out as Linux i386 lays it.
 *
 * The new image is built beside the old one, in a fresh address space
 * (a new host space and page table, mm.c), and swapped in only when it is
 * complete: until then any error (no such file, not ELF, out of memory)
 * leaves the caller exactly as it was, and execve returns the error.
 * The checks are Linux's, and so are their errors; those Linux makes
 * only after it has let go of the old program end the process with
 * SIGSEGV here too (exec_killed).
 *
 * Segments are private mappings of the file, as mmap makes them
 * (filemap.c): pages come when touched, a page beyond the end of the
 * file is SIGBUS, a later segment over an earlier one replaces it.
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
#include <uapi/resource.h>
#include <uapi/elf.h>
#include <lib/script.h>

#define ARG_MAX_        (128 * 1024)    /* argument and environment strings */
#define PLATFORM        "i686"

#define PHDRS_MAX_BYTES PAGE            /* Linux's limit on the program header table */
#define EM_486          6               /* Linux i386 runs these too */
#define ET_DYN_BASE     0x00400000u     /* where a position-independent program goes (as the host) */
/* load_elf's answer for a file that Linux refuses only after the point
 * of no return: see exec_killed().  Never seen by a program. */
#define EXEC_KILLED     1000

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

/*
 * Map one PT_LOAD segment: the file's pages privately, then zeroed memory
 * up to p_memsz.  What Linux cannot map (it finds out after the point of
 * no return) is -EXEC_KILLED.
 */
static int load_segment(struct mm *mm, int fd, uint64_t file_size, const struct elf32_phdr *ph, uint32_t bias)
{
	uint32_t vaddr = ph->p_vaddr + bias;
	struct mm_layout *l = &mm->layout;      /* Linux's start_code... for /proc */
	if ((ph->p_flags & PF_X) && (!l->start_code || vaddr < l->start_code))
		l->start_code = vaddr;
	if ((ph->p_flags & PF_X) && vaddr + ph->p_filesz > l->end_code)
		l->end_code = vaddr + ph->p_filesz;
	if ((ph->p_flags & PF_W) && (!l->start_data || vaddr < l->start_data))
		l->start_data = vaddr;
	if ((ph->p_flags & PF_W) && vaddr + ph->p_filesz > l->end_data)
		l->end_data = vaddr + ph->p_filesz;
	if (ph->p_filesz > ph->p_memsz || (ph->p_offset & (PAGE - 1)) != (vaddr & (PAGE - 1)) ||
	    vaddr + ph->p_memsz < vaddr || vaddr + ph->p_memsz > MMAP_TOP)
		return -EXEC_KILLED;
	int prot = ((ph->p_flags & PF_R) ? PROT_READ : 0) | ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
	           ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
	uint32_t start = PAGE_DOWN(vaddr), file_end = vaddr + ph->p_filesz;
	uint32_t mem_end = PAGE_UP(vaddr + ph->p_memsz), anon_start = start;
	if (ph->p_filesz) {
		anon_start = PAGE_UP(file_end);
		vma_remove(mm, start, anon_start);      /* over an earlier segment: replaces it */
		struct vma *v = vma_add(mm, start, anon_start, prot, VMA_FILE);
		if (!v)
			return -ENOMEM;
		v->fm = fmap_new(fd, 0);
		v->pgoff = ph->p_offset / PAGE;
		if (!v->fm)
			return -ENOMEM;
		/* The rest of the last file page is .bss: zeros.  Unless the
		 * page is beyond the end of the file: it is SIGBUS, as on Linux. */
		uint32_t tail = anon_start - file_end;
		int in_file = PAGE_DOWN(ph->p_offset + ph->p_filesz - 1) < file_size;
		if (tail && ph->p_memsz > ph->p_filesz && (prot & PROT_WRITE) && in_file) {
			static const uint8_t zeros[PAGE];
			if (copy_to_mm(mm, file_end, zeros, tail))
				return -ENOMEM;
		}
	}
	if (mem_end > anon_start) {
		vma_remove(mm, anon_start, mem_end);
		if (!vma_add(mm, anon_start, mem_end, prot, 0))
			return -ENOMEM;
	}
	return 0;
}

/*
 * A PT_INTERP: Linux opens the interpreter first, so a missing one is
 * that error; the name must be 2 to PATH_MAX bytes with its NUL, and in
 * the file (else EIO).  Having no dynamic linker, we refuse what Linux
 * would run: ENOEXEC.
 */
static int check_interp(struct proc *p, int fd, const struct elf32_phdr *ph)
{
	static char name[PATH_MAX_], host[PATH_MAX_ + 8];
	if (ph->p_filesz > PATH_MAX_ || ph->p_filesz < 2)
		return -ENOEXEC;
	long r = __syscall5(__NR_pread64, fd, name, ph->p_filesz, ph->p_offset, 0);
	if (r != (long)ph->p_filesz)
		return r < 0 ? (int)r : -EIO;
	if (name[ph->p_filesz - 1])
		return -ENOEXEC;
	static char abs[2 * PATH_MAX_ + 2];
	snprintf(abs, sizeof abs, "%s%s%s", name[0] == '/' ? "" : p->cwd, name[0] == '/' ? "" : "/", name);
	int err = guest_to_host(abs, host, sizeof host);
	if (err)
		return err;
	int ifd = __syscall3(__NR_open, host, O_RDONLY | O_CLOEXEC, 0);
	if (ifd < 0)
		return ifd;
	struct stat64 st;
	err = __syscall2(__NR_fstat64, ifd, &st);
	close(ifd);
	if (!err)
		err = !S_ISREG(st.st_mode) || !(st.st_mode & 0111) ? -EACCES : -ENOEXEC;
	return err;
}

static int load_elf(struct proc *p, struct mm *mm, int fd, uint64_t file_size, struct image *img)
{
	struct elf32_ehdr eh;
	static struct elf32_phdr ph[PHDRS_MAX_BYTES / sizeof(struct elf32_phdr)];

	/* Linux's header checks: magic, type, machine, the table's entry
	 * size and total size (the class and byte order it never reads). */
	if (__syscall5(__NR_pread64, fd, &eh, sizeof eh, 0, 0) != sizeof eh || eh.e_magic != ELF_MAGIC ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    (eh.e_machine != EM_386 && eh.e_machine != EM_486) || eh.e_phentsize != sizeof ph[0])
		return -ENOEXEC;
	uint32_t size = (uint32_t)eh.e_phnum * sizeof ph[0];
	if (!size || size > sizeof ph || __syscall5(__NR_pread64, fd, ph, size, eh.e_phoff, 0) != (long)size)
		return -ENOEXEC;
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_INTERP) {
			int err = check_interp(p, fd, &ph[i]);
			if (err)
				return err;
		}

	uint32_t bias = 0, lowest = 0xffffffff;
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr < lowest)
			lowest = ph[i].p_vaddr;
	if (eh.e_type == ET_DYN && lowest != 0xffffffff)
		bias = ET_DYN_BASE - PAGE_DOWN(lowest);
	/* Nothing to load is no error: the program starts where nothing is,
	 * and faults, as on Linux. */
	img->entry = eh.e_entry + bias;
	img->phnum = eh.e_phnum;
	img->phdr = img->brk = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_PHDR)
			img->phdr = ph[i].p_vaddr + bias;
		if (ph[i].p_type != PT_LOAD)
			continue;
		int err = load_segment(mm, fd, file_size, &ph[i], bias);
		if (err)
			return err;
		/* The program headers, if this segment carries them. */
		if (!img->phdr && eh.e_phoff >= ph[i].p_offset && eh.e_phoff < ph[i].p_offset + ph[i].p_filesz)
			img->phdr = ph[i].p_vaddr + bias + (eh.e_phoff - ph[i].p_offset);
		uint32_t end = PAGE_UP(ph[i].p_vaddr + bias + ph[i].p_memsz);
		if (end > img->brk)
			img->brk = end;
	}
	return 0;
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
	mm->layout.arg_start = strings_at;      /* what /proc/PID/cmdline and environ read */
	mm->layout.arg_end = mm->layout.env_start = s;
	mm->layout.env_end = fn_at;
	mm->layout.start_stack = sp;
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

/*
 * Open the program to run: hostpath itself, or for a "#!" script its
 * interpreter, scripts running scripts up to SCRIPT_MAX_NEST deep, with
 * a's arguments rewritten at each step as Linux's binfmt_script does
 * (<lib/script.h>, shared with the host kernel).  Each file must be a
 * regular file with an x bit (EACCES, even for root) and not open for
 * writing by a guest process (ETXTBSY).  execfn is the path as execve got
 * it, the first script's name in the interpreter's argv.  On success: our
 * descriptor of the program and its stat, and hostpath and exe (its guest
 * path, for /proc/PID/exe) naming it.
 */
static long open_program(struct proc *p, char *hostpath, char *exe, const char *execfn,
                         struct exec_args *a, struct stat64 *st)
{
	static char head[SCRIPT_BUF], name[PATH_MAX_];
	const char *given = execfn;
	for (int depth = 0; ; depth++) {
		int fd = __syscall3(__NR_open, hostpath, O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0)
			return fd;
		long err = __syscall2(__NR_fstat64, fd, st);
		if (!err)
			err = guest_permission(p, st, 1);      /* x for the guest's ids (perm.c) */
		if (!err && (!S_ISREG(st->st_mode) || !(st->st_mode & 0111)))
			err = -EACCES;          /* directories, and no x bit even for root */
		else if (!err && depth > SCRIPT_MAX_NEST)
			err = -ELOOP;           /* the interpreter of one script too many */
		long got = err ? 0 : __syscall4(__NR_pread64, fd, head, SCRIPT_BUF, 0);
		if (got < 0)
			err = got;
		struct script_line line;
		int script = 0;
		if (!err) {
			memset(head + got, 0, SCRIPT_BUF - got);
			script = script_parse(head, &line);
		}
		if (!err && script == 0)
			return fd;              /* not a script: the loader decides */
		close(fd);
		if (!err)
			err = busy_written(st->st_dev, st->st_ino);        /* a script is not run while written */
		if (!err && script < 0)
			err = script;
		if (!err) {
			size_t len = a->len;
			err = script_args(a->buf, &len, ARG_MAX_, &a->argc, &line, given);
			a->len = len;
		}
		if (!err) {
			snprintf(name, sizeof name, "%s", line.name);
			given = name;
			err = path_host_of(p, name, exe, hostpath, PATH_MAX_);
		}
		if (err)
			return err;
	}
}

/* Build the whole new image from the program open_program found. */
static long build_image(struct proc *p, struct mm *mm, char *hostpath, char *exe, const char *execfn,
                        struct exec_args *a, struct image *img, uint32_t *sp, struct stat64 *file)
{
	struct stat64 st;
	int fd = open_program(p, hostpath, exe, execfn, a, &st);
	if (fd < 0)
		return fd;
	*file = st;                             /* the program's: its set-id bits */
	long err = busy_deny_write(mm, st.st_dev, st.st_ino);      /* ETXTBSY: open for writing */
	if (!err)
		err = load_elf(p, mm, fd, st.st_size, img);
	close(fd);
	if (!err && !vma_add(mm, USER_TOP - STACK_SIZE, USER_TOP,
	                     PROT_READ | PROT_WRITE, VMA_STACK))
		err = -ENOMEM;
	mm_set_stack_limit(mm, p->rlim[RLIMIT_STACK].cur);
	if (!err)
		err = build_stack(mm, a, execfn, img, sp);
	return err;
}

/*
 * Some faults of a file Linux finds only after it has let go of the old
 * program: a segment it cannot map or whose sizes make no sense.  Its
 * process then dies of SIGSEGV.  We found them before touching anything,
 * but the process must end the same way: a SIGSEGV no handler catches,
 * which comes before it runs again.
 */
static void exec_killed(struct proc *p)
{
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = SIGSEGV;
	info.si_code = SI_KERNEL;
	p->action[SIGSEGV - 1].sa_handler = SIG_DFL;
	p->action[SIGSEGV - 1].sa_flags = 0;
	sig_force(p, SIGSEGV, &info);
}

static long exec_common(struct proc *p, char *hostpath, char *exe,
                        const char *execfn, struct exec_args *a)
{
	struct image img;
	uint32_t sp = 0;

	struct mm *mm = mm_create();
	if (!mm)
		return -ENOMEM;
	struct stat64 file;
	long err = build_image(p, mm, hostpath, exe, execfn, a, &img, &sp, &file);
	if (err == -EXEC_KILLED) {
		exec_killed(p);
		err = -ENOEXEC;
	}
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
	cred_exec(p, file.st_mode, file.st_uid, file.st_gid);  /* set-user-id, set-group-id */
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
	/* An empty argv gets one empty string, as since Linux 5.18, so that
	 * a program reading argv[1] on does not walk into envp. */
	if (!err && a.argc == 0 && !(err = add_string(&a, "")))
		a.argc = 1;
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
	static char hostpath[PATH_MAX_], exe[PATH_MAX_];
	struct exec_args a = { .buf = malloc(ARG_MAX_) };
	long err = 0;
	if (!a.buf)
		return -ENOMEM;
	snprintf(exe, sizeof exe, "%s", path);
	for (; *argv && !err; argv++, a.argc++)
		err = add_string(&a, *argv);
	for (; *envp && !err; envp++, a.envc++)
		err = add_string(&a, *envp);
	if (!err)
		err = guest_to_host(path, hostpath, sizeof hostpath);
	if (!err)
		err = exec_common(p, hostpath, exe, path, &a);
	free(a.buf);
	return err;
}
