/*
 * port.c - libamunix's implementation of flip/flip_port.h: the monotonic
 * clock, malloc, getrandom, the writable check (sleep and wakeup are in
 * wait.c), and the sleep queues of Amoeba threads waiting under amu_big
 * (mutexes, semaphores, thread ends): AMU_NCV condition variables chosen
 * by the address of the object waited for.
 */
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "flip/flip_port.h"
#include "host/amunix_impl.h"


pthread_mutex_t amu_net = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t amu_big_cv[AMU_NCV];
static pthread_once_t cv_once = PTHREAD_ONCE_INIT;

/* The sleep queues, on the monotonic clock (once). */
static void
cv_init(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	for (int i = 0; i < AMU_NCV; i++)
		pthread_cond_init(&amu_big_cv[i], &a);
	pthread_condattr_destroy(&a);
}

pthread_cond_t *
amu_cv(pthread_cond_t *tab, const void *obj)
{
	uintptr_t h = (uintptr_t)obj;

	pthread_once(&cv_once, cv_init);
	h ^= h >> 7;
	h ^= h >> 13;
	return &tab[h % AMU_NCV];
}

uint32_t
flip_port_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void *
flip_port_alloc(size_t n)
{
	return malloc(n ? n : 1);
}

void
flip_port_free(void *p)
{
	free(p);
}

void
flip_port_random(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);

		if (r <= 0)
			abort();	/* only before the pool exists */
		p += r;
		n -= (size_t)r;
	}
}

/* A process's own memory does not go away behind its back. */
int
flip_port_writable(void *buf, size_t n)
{
	(void)buf;
	(void)n;
	return 1;
}
