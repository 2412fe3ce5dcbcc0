/*
 * execve: an ELF32 program from the host's files (exec_elf.c loads it,
 * and its interpreter if it is dynamically linked) into guest physical
 * memory, and its first stack, laid out as Linux i386 lays it.
 *
 * The new image is built beside the old one, in a fresh address space
 * (a new host space and page table, mm.c), and swapped in only when it is
 * complete: until then any error (no such file, not ELF, out of memory)
 * leaves the caller exactly as it was, and execve returns the error.
 * The checks are Linux's, and so are their errors; those Linux makes
 * only after it has let go of the old program end the process with
 * SIGSEGV here too (exec_killed).
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
#include <lib/elf_rules.h>
#include <lib/script.h>

#define ARG_MAX_        (128 * 1024)    /* argument and environment strings */
#define PLATFORM        "i686"

/* The strings of argv and envp, one after the other, each with its NUL. */
struct exec_args {
	char *buf;
	uint32_t len;
	int argc, envc;
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

/* ---- The first stack ---- */

/*
 * From the top down: 4 zero bytes, the file name (AT_EXECFN), the
 * strings, "i686" (AT_PLATFORM), 16 random bytes (AT_RANDOM), then from
 * a 16-byte aligned sp up: argc, argv[], NULL, envp[], NULL, auxv pairs.
 */
static int build_stack(struct mm *mm, const struct exec_args *a, const char *execfn,
                       const struct exec_image *img, const struct exec_ids *ids, uint32_t *sp_out)
{
	uint32_t fn_len = strlen(execfn) + 1;
	uint32_t fn_at = USER_TOP - 4 - fn_len;
	uint32_t strings_at = fn_at - a->len;
	uint32_t platform_at = (strings_at & ~15u) - sizeof PLATFORM;
	uint32_t random_at = platform_at - 16;
	uint32_t aux[][2] = {
		{ AT_HWCAP, cpu_features() }, { AT_PAGESZ, PAGE }, { AT_CLKTCK, 100 },
		{ AT_PHDR, img->phdr }, { AT_PHENT, sizeof(struct elf32_phdr) }, { AT_PHNUM, img->phnum },
		{ AT_BASE, img->base }, { AT_FLAGS, 0 }, { AT_ENTRY, img->entry },
		{ AT_UID, ids->uid }, { AT_EUID, ids->euid }, { AT_GID, ids->gid },
		{ AT_EGID, ids->egid }, { AT_SECURE, ids->secure },
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
		/* O_NONBLOCK: a FIFO's open must not wait for a writer (with the
		 * whole guest); it is EACCES just below. */
		int fd = __syscall3(__NR_open, hostpath, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
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

/* exec_new_ids asks whether a gid is one of the caller's: the process
 * that execs, which build_image notes here. */
static struct proc *exec_proc;

static bool exec_in_group(uint32_t gid)
{
	return cred_in_group(exec_proc, gid);
}

/* Build the whole new image from the program open_program found. */
static long build_image(struct proc *p, struct mm *mm, char *hostpath, char *exe, const char *execfn,
                        struct exec_args *a, struct exec_image *img, uint32_t *sp, struct stat64 *file)
{
	struct stat64 st;
	int fd = open_program(p, hostpath, exe, execfn, a, &st);
	if (fd < 0)
		return fd;
	*file = st;                             /* the program's: its set-id bits */
	long err = busy_deny_write(mm, st.st_dev, st.st_ino);      /* ETXTBSY: open for writing */
	if (!err)
		err = exec_load_elf(p, mm, fd, st.st_size, img);
	close(fd);
	if (!err && !vma_add(mm, USER_TOP - STACK_SIZE, USER_TOP,
	                     PROT_READ | PROT_WRITE, VMA_STACK))
		err = -ENOMEM;
	mm_set_stack_limit(mm, p->rlim[RLIMIT_STACK].cur);
	if (!err) {
		/* The ids the program will run with, for its auxiliary vector:
		 * from the ids before, which cred_exec changes only after the
		 * point of no return. */
		exec_proc = p;
		struct exec_ids ids = exec_new_ids(p->uid, p->euid, p->gid, p->egid, st.st_mode,
		                                   st.st_uid, st.st_gid, exec_in_group);
		err = build_stack(mm, a, execfn, img, &ids, sp);
	}
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
	struct exec_image img;
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
	p->regs.eip = img.start;                /* the interpreter's entry, if there is one */
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
