/* Small shared utilities: strings, files, hashing, spelling suggestions. */
#ifndef FAST_UTIL_H
#define FAST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Copies s; the caller frees the result; NULL when out of memory. */
char *fast_strdup(const char *s);

/* printf into a new string the caller frees; NULL when out of memory. */
char *fast_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *fast_vformat(const char *fmt, va_list ap);

/* Reads a whole regular file of at most max_bytes into a NUL-terminated buffer the caller
 * frees, with its length in *len. On failure adds one diagnostic (kind as given, naming the
 * file: missing, a directory, unreadable, too large) and returns NULL. */
char *fast_file_read(const char *path, size_t max_bytes, size_t *len, const char *kind,
                     fast_diag *d);

/* Writes data to path atomically: a temporary file in the same directory, flushed, then
 * renamed over path. On failure adds a diagnostic, removes the temporary and returns
 * FAST_EINPUT (unwritable location) or FAST_ETOOL (I/O error); path is then untouched. */
fast_status fast_file_write_atomic(const char *path, const void *data, size_t len,
                                   const char *kind, fast_diag *d);

/* Directories written all at once: fast_dir_stage() checks out_dir and creates an empty
 * temporary directory beside it, the caller fills it, then fast_dir_commit() renames it
 * into place or fast_dir_abort() removes it. An existing out_dir is replaced only when
 * ours(out_dir) says it holds nothing but an earlier output; otherwise the stage fails with
 * "exists and is not a directory" or with foreign_reason, naming out_dir, kind as given. */

/* Returns the temporary directory's path (the caller frees it), or NULL with a diagnostic
 * (FAST_EINPUT for a bad out_dir, FAST_ETOOL out of memory). */
char *fast_dir_stage(const char *out_dir, int (*ours)(const char *dir),
                     const char *foreign_reason, const char *kind, fast_diag *d);

/* Puts the filled temporary directory in place of out_dir (an earlier output is moved
 * aside first, and removed once the new one is in place). On failure adds a diagnostic,
 * removes tmp, leaves out_dir as it was and returns FAST_ETOOL. */
fast_status fast_dir_commit(const char *tmp, const char *out_dir, const char *kind,
                            fast_diag *d);

/* Removes the regular files of dir and then dir itself; errors are ignored (cleanup). */
void fast_dir_abort(const char *dir);

/* Seconds on a monotonic clock (for measuring durations). */
double fast_now_s(void);

/* 64-bit FNV-1a of a byte string: stable across runs, machines and builds. */
uint64_t fast_hash64(const void *data, size_t len);

/* The same hash continued over more bytes: fast_hash64_more(fast_hash64(a, n), b, m) is the
 * hash of a followed by b. */
uint64_t fast_hash64_more(uint64_t h, const void *data, size_t len);

/* Levenshtein distance between two strings (bounded by the longer length). */
size_t fast_edit_distance(const char *a, const char *b);

/* The candidate closest to word when it is a plausible misspelling (distance <= 2 and less
 * than half the word), else NULL. Candidates is a NULL-terminated list; the result points
 * into it. */
const char *fast_suggest(const char *word, const char *const *candidates);

/* Parses a decimal integer in [lo, hi] with nothing after it; returns 0 on success. */
int fast_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);

/* Multiplies with an overflow check: returns 0 and stores the product, or 1 on overflow. */
int fast_mul_u64(uint64_t a, uint64_t b, uint64_t *out);

#endif
