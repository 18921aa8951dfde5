/* The JSON form of a workload (docs/workloads.md): reading with full checking, and writing
 * a form that reads back to the identical graph. */
#ifndef FAST_FORMAT_H
#define FAST_FORMAT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "workloads/graph.h"

/* Version of the format this build reads and writes. */
#define FAST_WORKLOAD_FORMAT_VERSION 1

/* Parses workload JSON text (len bytes); file names it in messages. batch > 0 replaces the
 * first dimension of every graph input (and reshape targets written with -1 follow it);
 * batch 0 keeps the file's. Ops may appear in any order: they are sorted topologically.
 * Returns a graph the caller owns, or NULL with one diagnostic per problem found. */
fast_graph *fast_workload_parse(const char *text, size_t len, const char *file, int64_t batch,
                                fast_diag *d);

/* The JSON tree of a graph; the caller frees it with cJSON_Delete. NULL when out of memory. */
cJSON *fast_workload_to_json(const fast_graph *g);

/* Writes the graph's JSON form, indented, atomically to path. */
fast_status fast_workload_save(const fast_graph *g, const char *path, fast_diag *d);

#endif
