#ifndef KASANE_CKERNELS_H
#define KASANE_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// CPUs in the calling thread's affinity mask, or 0 where that cannot be read.
int kasane_affinity_cpus(void);

#endif
