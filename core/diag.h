/* Diagnostics: problems found by the library, collected for the caller to print.
 *
 * Library code never prints or exits. It appends entries to a fast_diag and
 * returns a status; the command-line layer prints one line per entry:
 *   FILE: error[KIND]: WHERE = VALUE: reason
 * where the WHERE and VALUE parts are left out when empty.
 */
#ifndef FAST_DIAG_H
#define FAST_DIAG_H

#include <stddef.h>

/* Status codes, identical to the exit codes of the `fast` command. */
typedef enum fast_status {
    FAST_OK = 0,     /* success */
    FAST_EFAIL = 1,  /* the work ran and failed (a validation mismatch, an infeasible search) */
    FAST_EINPUT = 2, /* bad input or usage */
    FAST_ETOOL = 3   /* a missing tool or environment problem */
} fast_status;

/* One problem. Every string is owned by the entry; empty strings are "". */
typedef struct fast_diag_entry {
    fast_status status; /* the exit code this problem implies; FAST_OK marks a warning */
    char *file;         /* the file (or inline spec) the problem is in; "" when none */
    char *kind;         /* the part that rejected it: "config", "workload", "gen", ... */
    char *where;        /* JSON path, op name, or "line L, column C"; "" when none */
    char *value;        /* the offending value as the user wrote it; "" when none */
    char *reason;       /* what is wrong, in a few words */
} fast_diag_entry;

/* A growable list of entries. Invariant: n <= cap; entries [0, n) are valid. */
typedef struct fast_diag {
    fast_diag_entry *v;
    size_t n, cap;
} fast_diag;

/* Creates an empty list; returns NULL only when out of memory. The caller owns it. */
fast_diag *fast_diag_create(void);

/* Frees the list and every entry; NULL is a no-op. */
void fast_diag_destroy(fast_diag *d);

/* Removes every entry, keeping the list usable. */
void fast_diag_clear(fast_diag *d);

/* Appends a problem; file, where and value may be NULL; the reason is printf-formatted.
 * Strings are copied. Out of memory is silently ignored (the status still rises). */
void fast_diag_add(fast_diag *d, fast_status status, const char *file, const char *kind,
                   const char *where, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Appends a warning (status FAST_OK), printed as "warning[KIND]" instead of "error[KIND]". */
void fast_diag_warn(fast_diag *d, const char *file, const char *kind, const char *where,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Gives every entry from index `from` on that names no file the given one (library parts
 * that know no file name report with none; their caller knows it). NULL d is a no-op. */
void fast_diag_name_file(fast_diag *d, size_t from, const char *file);

/* The highest status of all entries: FAST_OK when there is no error. */
fast_status fast_diag_status(const fast_diag *d);

/* Number of entries that are errors (not warnings). */
size_t fast_diag_errors(const fast_diag *d);

/* Formats entry i as one line without a newline; returns a string the caller frees. */
char *fast_diag_line(const fast_diag *d, size_t i);

#endif
