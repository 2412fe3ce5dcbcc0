/* POSIX calls on descriptors, processes and paths. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>
#include <sys/syscall.h>
#include <uapi/fcntl.h>   /* F_OK.. and SEEK_* */

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

extern char **environ;

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
off64_t lseek64(int fd, off64_t off, int whence);     /* via _llseek */
ssize_t pread64(int fd, void *buf, size_t n, off64_t off);
ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off);
int dup(int fd);
int dup2(int fd, int newfd);
int dup3(int fd, int newfd, int flags);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int ftruncate(int fd, off_t len);
int truncate(const char *path, off_t len);

pid_t fork(void);
pid_t vfork(void);               /* in crt0.S: the child shares our stack */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);   /* searches /bin */
void _exit(int status) __attribute__((noreturn));
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
pid_t getpgrp(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t setsid(void);
pid_t getsid(pid_t pid);
pid_t tcgetpgrp(int fd);             /* TIOCGPGRP */
int tcsetpgrp(int fd, pid_t pgrp);   /* TIOCSPGRP */
uid_t getuid(void);
uid_t geteuid(void);

int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int access(const char *path, int mode);
int unlink(const char *path);
int rmdir(const char *path);
int rename(const char *from, const char *to);
int link(const char *from, const char *to);
int symlink(const char *target, const char *path);
ssize_t readlink(const char *path, char *buf, size_t size);

int brk(void *addr);
void *sbrk(intptr_t delta);
int isatty(int fd);
unsigned sleep(unsigned seconds);
unsigned alarm(unsigned seconds);    /* also in signal.h */
int pause(void);
int usleep(unsigned usec);
void sync(void);

#endif
