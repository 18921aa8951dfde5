#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

char *fast_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *r = malloc(n);
    if (r)
        memcpy(r, s, n);
    return r;
}

char *fast_vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *r = malloc((size_t)n + 1);
    if (r)
        vsnprintf(r, (size_t)n + 1, fmt, ap);
    return r;
}

char *fast_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *r = fast_vformat(fmt, ap);
    va_end(ap);
    return r;
}

char *fast_file_read(const char *path, size_t max_bytes, size_t *len, const char *kind,
                     fast_diag *d)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fast_diag_add(d, FAST_EINPUT, path, kind, NULL, NULL, "cannot open: %s",
                      strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fast_diag_add(d, FAST_EINPUT, path, kind, NULL, NULL, "%s",
                      S_ISDIR(st.st_mode) ? "is a directory, not a file" : "not a regular file");
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > max_bytes) {
        fast_diag_add(d, FAST_EINPUT, path, kind, NULL, NULL,
                      "file is %lld bytes, larger than the limit of %zu",
                      (long long)st.st_size, max_bytes);
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        fast_diag_add(d, FAST_ETOOL, path, kind, NULL, NULL, "out of memory");
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            fast_diag_add(d, FAST_EINPUT, path, kind, NULL, NULL, "cannot read: %s",
                          r < 0 ? strerror(errno) : "file shrank while reading");
            free(buf);
            close(fd);
            return NULL;
        }
        got += (size_t)r;
    }
    close(fd);
    buf[size] = '\0';
    *len = size;
    return buf;
}

fast_status fast_file_write_atomic(const char *path, const void *data, size_t len,
                                   const char *kind, fast_diag *d)
{
    char *tmp = fast_format("%s.tmp.XXXXXX", path);
    if (!tmp) {
        fast_diag_add(d, FAST_ETOOL, path, kind, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fast_diag_add(d, FAST_EINPUT, path, kind, NULL, NULL, "cannot create: %s",
                      strerror(errno));
        free(tmp);
        return FAST_EINPUT;
    }
    const char *p = data;
    size_t done = 0;
    int err = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            err = w < 0 ? errno : EIO;
            break;
        }
        done += (size_t)w;
    }
    if (!err && fchmod(fd, 0644) != 0)
        err = errno;
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp);
        fast_diag_add(d, FAST_ETOOL, path, kind, NULL, NULL, "cannot write: %s", strerror(err));
        free(tmp);
        return FAST_ETOOL;
    }
    free(tmp);
    return FAST_OK;
}

char *fast_dir_stage(const char *out_dir, int (*ours)(const char *dir),
                     const char *foreign_reason, const char *kind, fast_diag *d)
{
    struct stat st;
    if (lstat(out_dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            fast_diag_add(d, FAST_EINPUT, out_dir, kind, NULL, NULL,
                          "exists and is not a directory");
            return NULL;
        }
        if (!ours(out_dir)) {
            fast_diag_add(d, FAST_EINPUT, out_dir, kind, NULL, NULL, "%s", foreign_reason);
            return NULL;
        }
    }
    char *tmp = fast_format("%s.tmp.XXXXXX", out_dir);
    if (!tmp) {
        fast_diag_add(d, FAST_ETOOL, out_dir, kind, NULL, NULL, "out of memory");
        return NULL;
    }
    if (!mkdtemp(tmp)) {
        fast_diag_add(d, FAST_EINPUT, out_dir, kind, NULL, NULL, "cannot create: %s",
                      strerror(errno));
        free(tmp);
        return NULL;
    }
    chmod(tmp, 0755);
    return tmp;
}

void fast_dir_abort(const char *dir)
{
    DIR *h = opendir(dir);
    if (h) {
        struct dirent *e;
        while ((e = readdir(h))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *path = fast_format("%s/%s", dir, e->d_name);
            if (path)
                unlink(path);
            free(path);
        }
        closedir(h);
    }
    rmdir(dir);
}

fast_status fast_dir_commit(const char *tmp, const char *out_dir, const char *kind,
                            fast_diag *d)
{
    struct stat st;
    int exists = lstat(out_dir, &st) == 0;
    char *old = exists ? fast_format("%s.old.XXXXXX", out_dir) : NULL;
    int err = 0;
    if (exists && !old)
        err = ENOMEM;
    /* Move the earlier output aside, put the new one in place, then drop the old. */
    else if (exists && (!mkdtemp(old) || rmdir(old) != 0 || rename(out_dir, old) != 0))
        err = errno;
    if (!err && rename(tmp, out_dir) != 0) {
        err = errno;
        if (exists)
            rename(old, out_dir);
    }
    if (err) {
        fast_diag_add(d, FAST_ETOOL, out_dir, kind, NULL, NULL, "cannot %s: %s",
                      exists ? "replace" : "create", strerror(err));
        fast_dir_abort(tmp);
    } else if (exists) {
        fast_dir_abort(old);
    }
    free(old);
    return err ? FAST_ETOOL : FAST_OK;
}

uint64_t fast_hash64_more(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL; /* FNV-1a 64-bit prime */
    }
    return h;
}

uint64_t fast_hash64(const void *data, size_t len)
{
    return fast_hash64_more(0xcbf29ce484222325ULL, data, len); /* FNV-1a offset basis */
}

size_t fast_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return la > lb ? la : lb;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *fast_suggest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; candidates[i]; i++) {
        size_t dist = fast_edit_distance(word, candidates[i]);
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    if (best && best_d <= 2 && best_d * 2 < strlen(word))
        return best;
    return NULL;
}

int fast_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s || !*s)
        return 1;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return 1;
    *out = v;
    return 0;
}

int fast_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

double fast_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
