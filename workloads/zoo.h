/* The built-in model zoo: EfficientNet-B0..B7, MobileNetV2, ResNet-50 (v1.5 and v2),
 * BERT-base and BERT-large encoders at several sequence lengths, and two tiny models for
 * tests, each built as a fast_graph by a parameterized builder. tests/unit/test_zoo.c checks
 * their sizes against the published ones ("Workloads" in REFERENCES.md).
 */
#ifndef FAST_ZOO_H
#define FAST_ZOO_H

#include <stdint.h>

#include "core/diag.h"
#include "workloads/graph.h"

/* Names of the built-in models in listing order, NULL-terminated (no aliases). */
extern const char *const fast_zoo_names[];

/* Every accepted name including aliases, NULL-terminated (for spelling suggestions). */
extern const char *const fast_zoo_all_names[];

/* One-line description of a built-in model ("EfficientNet-B0, 224x224, Tan and Le 2019");
 * NULL when unknown. The string is static. */
const char *fast_zoo_describe(const char *name);

/* Builds a built-in model at the given batch (>= 1); the caller owns the graph
 * (fast_graph_destroy). Returns NULL without a diagnostic when the name is unknown; NULL with
 * a diagnostic on an internal error (e.g. batch too large so counts overflow). */
fast_graph *fast_zoo_build(const char *name, int64_t batch, fast_diag *d);

#endif
