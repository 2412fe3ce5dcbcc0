/*
 * The guest's system calls, as syscall.c dispatches them: one function
 * per call (or per family), each taking the calling process and the
 * arguments from its registers (ebx, ecx, edx, esi, edi, ebp) and
 * returning the result, -errno, or BLOCK (sched.c).
 */
#ifndef UML_SYS_H
#define UML_SYS_H

#include "uml.h"

/* file.c */
long sys_read(struct proc *p, int fd, uint32_t buf, uint32_t n);
long sys_write(struct proc *p, int fd, uint32_t buf, uint32_t n);
long sys_pread_pwrite(struct proc *p, int writing, int fd, uint32_t buf, uint32_t n,
                      uint32_t lo, uint32_t hi);
long sys_readv_writev(struct proc *p, int writing, int fd, uint32_t uiov, int cnt);
long sys_close(struct proc *p, int fd);
long sys_close_range(struct proc *p, uint32_t first, uint32_t last, uint32_t flags);
long sys_dup3(struct proc *p, int fd, int newfd, int flags, int dup2_style);
long sys_fcntl(struct proc *p, int fd, int cmd, uint32_t arg);
long sys_lseek(struct proc *p, int fd, int32_t off, int whence);
long sys_llseek(struct proc *p, int fd, uint32_t hi, uint32_t lo, uint32_t uresult, int whence);
long sys_fstat64(struct proc *p, int fd, uint32_t ust);
long sys_getdents64(struct proc *p, int fd, uint32_t buf, uint32_t n);
long sys_ioctl(struct proc *p, int fd, uint32_t cmd, uint32_t arg);
long sys_fd_call(struct proc *p, int nr, int fd, long a, long b, long c);
long sys_fadvise(struct proc *p, int fd, int64_t len, uint32_t advice);
long sys_sendfile64(struct proc *p, int out, int in, uint32_t uoff, uint32_t count);
long sys_sendfile(struct proc *p, int out, int in, uint32_t uoff, uint32_t count);
long sys_preadv_pwritev(struct proc *p, int writing, int fd, uint32_t uiov, int cnt,
                        uint32_t lo, uint32_t hi);
long sys_memfd_create(struct proc *p, uint32_t uname, uint32_t flags);

struct stat64;

/* cred.c: the ids and groups of guest processes */
void cred_fork(struct proc *c, const struct proc *parent);
int cred_groups_of(const struct proc *p, uint32_t *out, int max);     /* the first max groups */
void cred_free(struct proc *p);
int cred_in_group(const struct proc *p, uint32_t gid);
void cred_exec(struct proc *p, uint32_t mode, uint32_t fuid, uint32_t fgid);
long cred_get(const struct proc *p, uint32_t nr);      /* getuid...getegid32 */
long sys_cred(struct proc *p, uint32_t nr, uint32_t a, uint32_t b, uint32_t c);

/* perm.c: the guest's permission checks on host files (docs/07) */
int guest_permission(struct proc *p, const struct stat64 *st, int mask);
int guest_path_permission(struct proc *p, const char *host, int mask, int follow);
int guest_walk_check(struct proc *p, const char *base, const char *path, int follow);
int guest_may_create(struct proc *p, const char *abs);
int guest_may_delete(struct proc *p, const char *abs, int isdir);
void guest_own_new(struct proc *p, const char *host, const char *abs);
int guest_may_chmod(struct proc *p, const char *host, long *mode);
int guest_may_chmod_stat(struct proc *p, const struct stat64 *st, long *mode);
int guest_may_chown(struct proc *p, const struct stat64 *st, uint32_t uid, uint32_t gid);
int guest_parent_differs(const char *a, const char *b);
void guest_remove_privs(struct proc *p, int hostfd, const char *path);

/* sys_poll.c (time64: the timeout is a struct kernel_timespec64) */
long sys_poll(struct proc *p, uint32_t ufds, uint32_t n, int timeout_ms);
long sys_ppoll(struct proc *p, uint32_t ufds, uint32_t n, uint32_t uts, uint32_t umask,
              uint32_t size, int time64);
long sys_select(struct proc *p, int n, uint32_t uin, uint32_t uout, uint32_t uex, uint32_t utv);
long sys_pselect6(struct proc *p, int n, uint32_t uin, uint32_t uout, uint32_t uex, uint32_t uts,
                  uint32_t usig, int time64);

/* path.c */
int path_host_abs(struct proc *p, int dirfd, uint32_t upath, char *abs, char *out, size_t size);
int path_host_of(struct proc *p, const char *path, char *abs, char *out, size_t size);
long sys_openat(struct proc *p, int dirfd, uint32_t upath, int flags, int mode);
long sys_fstatat64(struct proc *p, int dirfd, uint32_t upath, uint32_t ust, int flags);
long sys_statx(struct proc *p, int dirfd, uint32_t upath, int flags, uint32_t mask, uint32_t ubuf);
long path_call(struct proc *p, int nr, int dirfd, uint32_t upath, long a, long b);
long path_call2(struct proc *p, int nr, int dfd1, uint32_t up1, int dfd2, uint32_t up2, long flags);
long sys_symlinkat(struct proc *p, uint32_t utarget, int dirfd, uint32_t upath);
long sys_readlinkat(struct proc *p, int dirfd, uint32_t upath, uint32_t ubuf, int size);
long sys_chdir(struct proc *p, uint32_t upath);
long sys_fchdir(struct proc *p, int fd);
long sys_getcwd(struct proc *p, uint32_t ubuf, uint32_t size);

/* sys_attr.c: owners, times, file systems, nodes, truncate by path */
#define PATH_IN_PROC 1          /* path_resolve: the path is in the guest's /proc */
int path_resolve(struct proc *p, int dirfd, uint32_t upath, int follow, char *abs, char *host,
                 size_t size);
long sys_fchownat(struct proc *p, int dirfd, uint32_t upath, uint32_t uid, uint32_t gid, int flags);
long sys_fchown32(struct proc *p, int fd, uint32_t uid, uint32_t gid);
uint32_t uid16(uint32_t id);    /* an old 16-bit id: 0xffff is -1 */
long sys_utimensat(struct proc *p, int dirfd, uint32_t upath, uint32_t uts, int flags, int time64);
long sys_futimesat(struct proc *p, int dirfd, uint32_t upath, uint32_t utv);
long sys_utime(struct proc *p, uint32_t upath, uint32_t ubuf);
long sys_statfs(struct proc *p, uint32_t upath, uint32_t size, uint32_t ubuf, int wide);
long sys_fstatfs(struct proc *p, int fd, uint32_t size, uint32_t ubuf, int wide);
long sys_mknodat(struct proc *p, int dirfd, uint32_t upath, uint32_t mode, uint32_t dev);
long sys_truncate(struct proc *p, uint32_t upath, int64_t length);

/* pipe.c */
long sys_pipe2(struct proc *p, uint32_t ufds, int flags);

/* sys_mm.c */
long sys_brk(struct proc *p, uint32_t want);
long sys_mmap2(struct proc *p, uint32_t addr, uint32_t len, int prot, int flags, int fd, uint32_t pgoff);
long sys_munmap(struct proc *p, uint32_t addr, uint32_t len);
long sys_mprotect(struct proc *p, uint32_t addr, uint32_t len, int prot);
long sys_mremap(struct proc *p, uint32_t addr, uint32_t old_len, uint32_t new_len, int flags,
                uint32_t new_addr);                                     /* sys_remap.c */
long sys_madvise(struct proc *p, uint32_t addr, uint32_t len, uint32_t advice);
struct rusage;                                                          /* sys_rusage.c */
long sys_getrusage(struct proc *p, int who, uint32_t uru);
long sys_times(struct proc *p, uint32_t ubuf);
long sys_prctl(struct proc *p, int option, uint32_t arg2);             /* sys_prctl.c */
void rusage_exit(struct proc *p);
void rusage_reap(struct proc *parent, struct proc *child, struct rusage *ru);
void rusage_both(struct proc *child, struct rusage *ru);      /* without reaping */
long sys_mincore(struct proc *p, uint32_t addr, uint32_t len, uint32_t uvec);
long sys_old_mmap(struct proc *p, uint32_t uargs);
long sys_msync(struct proc *p, uint32_t addr, uint32_t len, int flags);

/* sys_signal.c, sigframe.c */
long sys_rt_sigaction(struct proc *p, int sig, uint32_t uact, uint32_t uold, uint32_t size);
long sys_rt_sigprocmask(struct proc *p, int how, uint32_t uset, uint32_t uold, uint32_t size);
long sys_rt_sigpending(struct proc *p, uint32_t uset, uint32_t size);
long sys_rt_sigsuspend(struct proc *p, uint32_t umask, uint32_t size);
long sys_pause(struct proc *p);
long sys_rt_sigtimedwait(struct proc *p, uint32_t uset, uint32_t uinfo, uint32_t utimeout, uint32_t size,
                         int time64);
/* The old calls, with 32-bit masks (signals 1..32). */
long sys_sigaction(struct proc *p, int sig, uint32_t uact, uint32_t uold);
long sys_signal(struct proc *p, int sig, uint32_t handler);
long sys_sigprocmask(struct proc *p, int how, uint32_t uset, uint32_t uold);
long sys_sigpending(struct proc *p, uint32_t uset);
long sys_sigsuspend(struct proc *p, uint32_t mask);
long sys_kill(struct proc *p, int pid, int sig);
long sys_tgkill(struct proc *p, int tgid, int tid, int sig);
long sys_sigaltstack(struct proc *p, uint32_t uss, uint32_t uold);
long sys_setitimer(struct proc *p, int which, uint32_t unew, uint32_t uold);
long sys_getitimer(struct proc *p, int which, uint32_t uval);
long sys_alarm(struct proc *p, uint32_t seconds);
long sys_rt_sigreturn(struct proc *p);
long sys_sigreturn(struct proc *p);
int sigframe_setup(struct proc *p, int sig, const struct kernel_sigaction *ka,
                   const siginfo_t *info, uint64_t old_blocked);

/* sys_misc.c, futex.c */
long sys_exit(struct proc *p, int code);
long sys_uname(struct proc *p, uint32_t ubuf);
long sys_sysinfo(struct proc *p, uint32_t ubuf);
long sys_setpgid(struct proc *p, int pid, int pgid);
long sys_getpgid(struct proc *p, int pid);
long sys_getsid(struct proc *p, int pid);
long sys_setsid(struct proc *p);
long sys_umask(struct proc *p, int mask);
long sys_nanosleep(struct proc *p, uint32_t ureq, uint32_t urem);
long sys_clock_nanosleep(struct proc *p, int clk, int flags, uint32_t ureq, uint32_t urem, int time64);
long sys_clock_gettime(struct proc *p, int nr, int clk, uint32_t uts);
long sys_gettimeofday(struct proc *p, uint32_t utv, uint32_t utz);
long sys_time(struct proc *p, uint32_t ut);
long sys_getrandom(struct proc *p, uint32_t ubuf, uint32_t n, int flags);
long sys_set_thread_area(struct proc *p, uint32_t udesc);
long sys_get_thread_area(struct proc *p, uint32_t udesc);
long sys_prlimit64(struct proc *p, int pid, int res, uint32_t unew, uint32_t uold);
long sys_ugetrlimit(struct proc *p, int res, uint32_t uold, int old);
long sys_setrlimit(struct proc *p, int res, uint32_t unew);
long sys_reboot(struct proc *p, uint32_t magic1, uint32_t magic2, uint32_t cmd);
long sys_futex(struct proc *p, uint32_t uaddr, int op, uint32_t val, uint32_t utimeout);

/* exec.c; exec_elf.c, its ELF loader: exec_load_elf maps the program (and
 * its interpreter) into mm.  -EXEC_KILLED: a file Linux refuses only after
 * its point of no return, so the process dies (exec_killed); never seen by
 * a program. */
#define EXEC_KILLED     1000
struct exec_image {
	uint32_t entry, phdr, phnum, brk;       /* the program's, for the auxiliary vector */
	uint32_t base, start;                   /* AT_BASE (an ET_DYN interpreter's bias); the first eip */
};
int exec_load_elf(struct proc *p, struct mm *mm, int fd, uint64_t file_size, struct exec_image *img);
void fpu_init(void);
void fpu_initial(struct fpstate_32 *f);
int fpu_is_initial(const struct fpstate_32 *f);   /* f is what fpu_initial makes */

#endif
