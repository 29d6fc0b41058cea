#define _GNU_SOURCE
#include "CKernels.h"
#if defined(__linux__)
#include <sched.h>
#include <stdlib.h>

int kasane_affinity_cpus(void) {
    // A dynamically sized mask: nodes with more than CPU_SETSIZE (1024) CPUs exist.
    for (int cpus = 1024; cpus <= (1 << 16); cpus *= 4) {
        cpu_set_t *set = CPU_ALLOC(cpus);
        if (!set) return 0;
        size_t size = CPU_ALLOC_SIZE(cpus);
        CPU_ZERO_S(size, set);
        if (sched_getaffinity(0, size, set) == 0) {
            int n = CPU_COUNT_S(size, set);
            CPU_FREE(set);
            return n;
        }
        CPU_FREE(set);
    }
    return 0;
}
#else
int kasane_affinity_cpus(void) { return 0; }
#endif
