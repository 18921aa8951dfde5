/* Strict JSON reading on top of cJSON: parse errors with line and column, typed field
 * readers with ranges, and unknown-field checks with spelling suggestions. Every problem is
 * reported to a diagnostics list as FILE: error[KIND]: PATH = VALUE: reason. */
#ifndef FAST_JSON_H
#define FAST_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "diag.h"

/* Where problems go: the file name and part name printed in every message. Not owned. */
typedef struct fast_json_ctx {
    const char *file;
    const char *kind;
    fast_diag *diag;
} fast_json_ctx;

/* Result of reading one field. */
typedef enum fast_json_got {
    FAST_JSON_BAD = -1,   /* present but wrong: a diagnostic was added */
    FAST_JSON_ABSENT = 0, /* not present (an error was added only when it was required) */
    FAST_JSON_OK = 1      /* present and valid: *out was written */
} fast_json_got;

/* Parses text (len bytes, need not be NUL-terminated) into a tree the caller frees with
 * cJSON_Delete; on malformed JSON adds "line L, column C: malformed JSON ..." and returns
 * NULL. Duplicate keys in an object are reported as errors too. */
cJSON *fast_json_parse(const fast_json_ctx *c, const char *text, size_t len);

/* The item as compact JSON, cut to at most 40 characters with "..." added; caller frees. */
char *fast_json_value_text(const cJSON *item);

/* Joins a parent path and a key ("array" + "rows" -> "array.rows"); caller frees. */
char *fast_json_path(const char *parent, const char *key);

/* Reads an integer-valued number in [lo, hi] (|lo|, |hi| <= 2^53). */
fast_json_got fast_json_int(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, int64_t lo, int64_t hi,
                            int64_t *out);

/* Reads a finite number in [lo, hi]; lo_open excludes lo itself (for "> 0" fields). */
fast_json_got fast_json_num(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, double lo, int lo_open, double hi,
                            double *out);

/* Reads a string of 1..max_len characters; *out points into the tree (not a copy). */
fast_json_got fast_json_str(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, size_t max_len, const char **out);

/* Reads a string that must be one of choices (NULL-terminated); *out is its index. */
fast_json_got fast_json_enum(const fast_json_ctx *c, const cJSON *obj, const char *key,
                             const char *path, int required, const char *const *choices,
                             int *out);

/* Reads an object-valued field; *out points into the tree. */
fast_json_got fast_json_obj(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, const cJSON **out);

/* Reports every key of obj that is not in known (NULL-terminated) as an unknown field,
 * suggesting the nearest known name; returns the number of unknown keys. */
int fast_json_check_keys(const fast_json_ctx *c, const cJSON *obj, const char *path,
                         const char *const *known);

/* Writes tree, indented and ending in a newline, atomically to path (fast_file_write_atomic)
 * and frees it; a NULL tree (a failed build) is reported as out of memory. */
fast_status fast_json_save(cJSON *tree, const char *path, const char *kind, fast_diag *d);

/* Adds an error at path with the item's text as the value. */
void fast_json_error(const fast_json_ctx *c, const char *path, const cJSON *item,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
