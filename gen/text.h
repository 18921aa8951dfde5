/* A growable text buffer for the emitters. Appends never fail visibly: out of memory sets
 * a flag that the caller checks once at the end. */
#ifndef FAST_GEN_TEXT_H
#define FAST_GEN_TEXT_H

#include <stddef.h>

/* Invariant: when !oom, s[0 .. len) is the text and s[len] == '\0' (s may be NULL while
 * len == 0). */
typedef struct fast_text {
    char *s;
    size_t len, cap;
    int oom; /* an append ran out of memory; the text is incomplete */
} fast_text;

/* Appends printf-formatted text. */
void fast_text_printf(fast_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends len bytes. */
void fast_text_append(fast_text *t, const char *s, size_t len);

/* Frees the buffer and empties it; the struct can be reused. */
void fast_text_free(fast_text *t);

#endif
