/*
 * Copy-on-write after fork: parent and child start with the same contents
 * and neither sees the other's later writes -- in data, bss, heap, stack
 * and private anonymous mappings.
 */
#include "check.h"
#include <sys/mman.h>

static int data_var = 1;        /* .data */
static int bss_var;             /* .bss */
static char big[16 * PAGE];     /* several pages of .bss */

struct area {
	int *data, *bss, *heap, *stack;
	char *map, *big;
};

static void fill(struct area *a, int v)
{
	*a->data = v;
	*a->bss = v + 1;
	*a->heap = v + 2;
	*a->stack = v + 3;
	memset(a->map, v, 2 * PAGE);
	for (int i = 0; i < 16; i++)
		a->big[i * PAGE] = (char)(v + i);
}

static int same(const struct area *a, int v)
{
	if (*a->data != v || *a->bss != v + 1 || *a->heap != v + 2 || *a->stack != v + 3)
		return 0;
	for (int i = 0; i < 2 * PAGE; i++)
		if (a->map[i] != (char)v)
			return 0;
	for (int i = 0; i < 16; i++)
		if (a->big[i * PAGE] != (char)(v + i))
			return 0;
	return 1;
}

static void test_child_writes(struct area *a)
{
	fill(a, 10);
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		if (!same(a, 10))           /* inherited */
			_exit(2);
		fill(a, 20);
		_exit(same(a, 20) ? 0 : 3); /* sees its own writes */
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK(same(a, 10));                 /* never saw the child's */
}

static void test_parent_writes(struct area *a)
{
	int p[2];
	char c;

	fill(a, 30);
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)     /* wait until the parent has written */
			_exit(2);
		_exit(same(a, 30) ? 0 : 3);
	}
	close(p[0]);
	fill(a, 40);
	CHECK_EQ(write(p[1], "g", 1), 1);
	close(p[1]);
	CHECK_EQ(wait_status(pid), 0);
	CHECK(same(a, 40));
}

/* Two generations: each level writes, nobody sees anybody else's writes. */
static void test_nested(struct area *a)
{
	fill(a, 50);
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		fill(a, 60);
		pid_t g = fork();
		if (g < 0)
			_exit(2);
		if (g == 0) {
			if (!same(a, 60))
				_exit(3);
			fill(a, 70);
			_exit(0);
		}
		int st;
		if (waitpid(g, &st, 0) != g || st != 0)
			_exit(4);
		_exit(same(a, 60) ? 0 : 5);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK(same(a, 50));
}

/* After the child is gone the parent's pages are its own again. */
static void test_after_exit(struct area *a)
{
	fill(a, 80);
	for (int i = 0; i < 5; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		CHECK_EQ(wait_status(pid), 0);
	}
	fill(a, 90);
	CHECK(same(a, 90));
}

int main(void)
{
	int on_stack = 0;
	struct area a = { &data_var, &bss_var, malloc(sizeof(int)), &on_stack, NULL, big };

	CHECK(a.heap != NULL);
	a.map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a.map != MAP_FAILED);
	CHECK_EQ(data_var, 1);
	CHECK_EQ(bss_var, 0);

	test_child_writes(&a);
	test_parent_writes(&a);
	test_nested(&a);
	test_after_exit(&a);

	CHECK_OK(munmap(a.map, 2 * PAGE));
	free(a.heap);
	return 0;
}
