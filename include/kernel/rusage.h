/*
 * Resource usage (kernel/rusage.c): what getrusage, times and wait4 say a
 * process used.
 */
#ifndef KERNEL_RUSAGE_H
#define KERNEL_RUSAGE_H

struct task;
struct rusage;

/* At exit, before its space goes: remember t's peak resident set. */
void rusage_exit(struct task *t);
/* child's usage, its children's included (RUSAGE_BOTH), without reaping
 * it: what wait4 and waitid say of a stopped or continued child. */
void rusage_both(struct task *child, struct rusage *ru);
/* parent reaps child: *ru is the child's usage, its children's included
 * (wait4's answer), which joins the parent's children's figures. */
void rusage_reap(struct task *parent, struct task *child, struct rusage *ru);

#endif
