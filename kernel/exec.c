/*
 * execve: load an ELF32 executable (exec_elf.c), with its interpreter if
 * it is dynamically linked, into a new address space and switch the task
 * over to it.
 *
 * Everything that can fail happens before the point of no return: the new
 * address space is complete (segments mapped, stack written) while the old
 * program is still intact, so a failing execve returns an error to a
 * program that can still handle it.
 */
#include <kernel/cred.h>
#include <kernel/altmm.h>
#include <kernel/arch.h>
#include <kernel/exec.h>
#include <lib/script.h>
#include <kernel/fpu.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <uapi/resource.h>
#include <kernel/printk.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/trap.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <uapi/elf.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>
#include <uapi/stat.h>

#define PATH_MAX	4096


void vfork_release(struct task *t);
char *vfs_absolute_path(const char *path);

/* --- argument strings -------------------------------------------------- */

static int args_alloc(struct exec_args *a)
{
	a->strings = kmalloc(EXEC_ARG_MAX);
	a->len = 0;
	a->argc = a->envc = 0;
	return a->strings ? 0 : -ENOMEM;
}

void exec_args_free(struct exec_args *a)
{
	kfree(a->strings);
	a->strings = 0;
}

static int args_add_kernel(struct exec_args *a, const char *s)
{
	size_t n = strlen(s) + 1;
	if (a->len + n > EXEC_ARG_MAX)
		return -E2BIG;
	memcpy(a->strings + a->len, s, n);
	a->len += n;
	return 0;
}

int exec_args_from_kernel(struct exec_args *a, const char *const *argv, const char *const *envp)
{
	int err = args_alloc(a);
	for (; !err && *argv; argv++, a->argc++)
		err = args_add_kernel(a, *argv);
	for (; !err && *envp; envp++, a->envc++)
		err = args_add_kernel(a, *envp);
	if (err)
		exec_args_free(a);
	return err;
}

/* Append the strings of a user array of pointers; returns how many, or -errno. */
static int args_add_user(struct exec_args *a, const char *const __user *vec)
{
	int n = 0;
	if (!vec)
		return 0;	/* Linux accepts a NULL argv or envp as empty */
	for (;; n++) {
		const char *s;
		if (copy_from_user(&s, vec + n, sizeof s))
			return -EFAULT;
		if (!s)
			return n;
		int len = strncpy_from_user(a->strings + a->len, s, EXEC_ARG_MAX - a->len);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
		a->len += len + 1;
	}
}

/*
 * Some faults of a file Linux finds only after it has let go of the old
 * program (begin_new_exec): a segment it cannot map or whose sizes make
 * no sense.  Its process then dies of SIGSEGV.  We found them before
 * touching anything, but the process must end as Linux's does: with a
 * SIGSEGV no handler catches, which arrives before any instruction of the
 * old program runs again.
 */
static void exec_killed(void)
{
	struct k_sigaction *ka = &current->sig.action[SIGSEGV - 1];
	ka->handler = (uint32_t)SIG_DFL;
	ka->flags = 0;
	force_signal(current, SIGSEGV, SI_KERNEL, 0);
}

/* --- execve --------------------------------------------------------------- */

/* Set the registers so that the return to user mode starts the program. */
static void start_thread(struct trapframe *tf, uint32_t entry, uint32_t sp)
{
	memset(tf, 0, sizeof *tf);
	tf->eip = entry;
	tf->user_esp = sp;
	tf->cs = SEL_USER_CS;
	tf->ds = tf->es = tf->user_ss = SEL_USER_DS;
	tf->fs = tf->gs = 0;
	tf->eflags = 0x202;	/* IF, and the always-one bit 1 */
}

/*
 * Open the program execve runs: path itself, or for a "#!" script its
 * interpreter, scripts running scripts up to SCRIPT_MAX_NEST deep, with
 * a's arguments rewritten at each step as Linux's binfmt_script does
 * (<lib/script.h>).  Every file on the way must be a regular file with an
 * x bit (EACCES) and not open for writing (ETXTBSY).  Returns 0 with the
 * file and, in *run, the path that names it (kmalloc'd), or -errno.
 */
static int open_program(const char *path, struct exec_args *a, struct file **out, char **run)
{
	char *buf = kmalloc(SCRIPT_BUF), *name = kstrdup(path);
	int err = buf && name ? 0 : -ENOMEM;
	for (int depth = 0; !err; depth++) {
		struct file *f;
		err = vfs_open(name, O_RDONLY | O_KEXEC, 0, &f);	/* x, not r */
		if (err)
			break;
		uint32_t mode = inode_mode(f->inode);
		if (S_ISDIR(mode) || !S_ISREG(mode) || !(mode & 0111))
			err = -EACCES;
		else if (depth > SCRIPT_MAX_NEST)
			err = -ELOOP;		/* the interpreter of one script too many */
		long got = err ? 0 : vfs_read_at(f, buf, SCRIPT_BUF, 0);
		if (got < 0)
			err = (int)got;
		struct script_line line;
		int script = 0;
		if (!err) {
			memset(buf + got, 0, SCRIPT_BUF - (size_t)got);
			script = script_parse(buf, &line);
		}
		if (!err && script == 0) {	/* not a script: the loader decides */
			*out = f;
			*run = name;
			kfree(buf);
			return 0;
		}
		/* A script is read and let go, but not while open for writing. */
		if (!err && !(err = inode_deny_write(f->inode)))
			inode_allow_write(f->inode);
		file_put(f);
		if (!err)
			err = script < 0 ? script : script_args(a->strings, &a->len, EXEC_ARG_MAX, &a->argc, &line, name);
		if (!err) {
			char *next = kstrdup(line.name);
			kfree(name);
			name = next;
			err = name ? 0 : -ENOMEM;
		}
	}
	kfree(buf);
	kfree(name);
	return err;
}

long do_execve(const char *path, struct exec_args *a)
{
	struct file *f;
	char *run;
	int err = open_program(path, a, &f, &run);
	if (err)
		return err;
	uint32_t file_mode = inode_mode(f->inode), file_uid, file_gid;
	inode_owner(f->inode, &file_uid, &file_gid);	/* the program's (a script's interpreter's) */
	struct mm *mm = 0;
	struct exec_image img;
	err = inode_deny_write(f->inode);	/* ETXTBSY: open for writing */
	if (!err) {
		err = exec_load_elf(f, &mm, &img);
		if (err) {
			inode_allow_write(f->inode);
		} else {		/* the new space holds the denial */
			inode_get(f->inode);
			mm->exe = f->inode;
		}
	}
	file_put(f);
	char *exe = err ? 0 : vfs_absolute_path(run);	/* /proc/PID/exe: the interpreter */
	kfree(run);
	img.ids = exec_new_ids(current->uid, current->euid, current->gid, current->egid,
			       file_mode, file_uid, file_gid, in_group_p);
	uint32_t sp = 0;
	if (!err && !exe)
		err = -ENOMEM;
	if (!err && !(sp = exec_build_stack(mm, a, path, &img)))
		err = -ENOMEM;
	if (err == -EXEC_KILLED) {
		exec_killed();
		err = -ENOEXEC;
	}
	if (err) {
		if (mm)
			mm_put(mm);
		kfree(exe);
		return err;
	}

	/* The point of no return: the old program goes away. */
	struct mm *old = current->mm, *old_active = current->active_mm;
	altmm_exec(current);		/* sigaltmm off */
	current->mm = mm;
	mm_get(mm);			/* the reference of "running in it" */
	current->active_mm = mm;
	current->active_mm_fd = -1;
	mm_activate(mm);
	if (old)
		mm_put(old);
	if (old_active)
		mm_put(old_active);
	kfree(current->exe_path);
	current->exe_path = exe;
	task_set_comm(current, path);
	files_close_on_exec(current->files);
	signal_exec(current);
	current->exec_done = true;
	cred_exec(file_mode, file_uid, file_gid);	/* set-user-id and set-group-id files */
	memset(current->tls_entries, 0, sizeof current->tls_entries);
	tls_load(current);
	fpu_task_init(current);
	vfork_release(current);
	start_thread(task_trapframe(current), img.start, sp);
	return 0;
}

static long sys_execve(const char __user *upath, const char *const __user *uargv,
		       const char *const __user *uenvp)
{
	char *path = kmalloc(PATH_MAX);
	struct exec_args a;
	if (!path)
		return -ENOMEM;
	long err = strncpy_from_user(path, upath, PATH_MAX);
	if (err >= 0)
		err = args_alloc(&a);
	if (err < 0) {
		kfree(path);
		return err;
	}
	int n = args_add_user(&a, uargv);
	/* An empty argv gets one empty string, as since Linux 5.18 (which
	 * also warns in its log), so that a program reading argv[1] on does
	 * not walk into envp. */
	if (n == 0)
		n = args_add_kernel(&a, "") ? -E2BIG : 1;
	if (n >= 0) {
		a.argc = n;
		n = args_add_user(&a, uenvp);
		a.envc = n;
	}
	err = n < 0 ? n : do_execve(path, &a);
	exec_args_free(&a);
	kfree(path);
	/* On success the trapframe now holds the new program's registers;
	 * returning 0 leaves them alone except eax, which starts as 0. */
	return err;
}
SYSCALL(execve, sys_execve);
