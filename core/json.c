#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define JSON_MAX_EXACT 9007199254740992.0 /* 2^53: larger integers lose precision */

static void ctx_vadd(const fast_json_ctx *c, const char *where, const char *value,
                     const char *fmt, va_list ap)
{
    char *reason = fast_vformat(fmt, ap);
    fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, where, value, "%s",
                  reason ? reason : "invalid");
    free(reason);
}

void fast_json_error(const fast_json_ctx *c, const char *path, const cJSON *item,
                     const char *fmt, ...)
{
    char *value = item ? fast_json_value_text(item) : NULL;
    va_list ap;
    va_start(ap, fmt);
    ctx_vadd(c, path, value, fmt, ap);
    va_end(ap);
    free(value);
}

static const char *type_name(const cJSON *item)
{
    if (cJSON_IsNumber(item))
        return "a number";
    if (cJSON_IsString(item))
        return "a string";
    if (cJSON_IsBool(item))
        return "a boolean";
    if (cJSON_IsNull(item))
        return "null";
    if (cJSON_IsArray(item))
        return "an array";
    if (cJSON_IsObject(item))
        return "an object";
    return "invalid";
}

/* Reports duplicate keys anywhere in the tree; cJSON keeps both silently. */
static int check_duplicates(const fast_json_ctx *c, const cJSON *node, const char *path)
{
    int bad = 0;
    for (const cJSON *a = node ? node->child : NULL; a; a = a->next) {
        char *sub = NULL;
        if (cJSON_IsObject(node)) {
            sub = fast_json_path(path, a->string);
            for (const cJSON *b = a->next; b; b = b->next)
                if (b->string && a->string && strcmp(a->string, b->string) == 0) {
                    fast_json_error(c, sub, NULL, "field appears more than once");
                    bad++;
                    break;
                }
        } else {
            sub = fast_format("%s[]", path);
        }
        bad += check_duplicates(c, a, sub ? sub : path);
        free(sub);
    }
    return bad;
}

/* "line L, column C" of byte offset off, 1-based. */
static void position(const char *text, size_t off, char *where, size_t n)
{
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(where, n, "line %zu, column %zu", line, col);
}

cJSON *fast_json_parse(const fast_json_ctx *c, const char *text, size_t len)
{
    char where[64];
    /* cJSON skips NUL bytes as white space; a JSON text never contains one. */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        position(text, (size_t)(nul - text), where, sizeof where);
        fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, where, NULL,
                      "malformed JSON: NUL byte (not a text file?)");
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        if (off > len)
            off = len;
        position(text, off, where, sizeof where);
        size_t k = off;
        while (k < len && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r'))
            k++;
        if (len == 0 || k >= len)
            fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, where, NULL,
                          "malformed JSON: unexpected end of input");
        else if ((unsigned char)text[k] >= 0x20 && (unsigned char)text[k] < 0x7f)
            fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, where, NULL,
                          "malformed JSON near '%c'", text[k]);
        else
            fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, where, NULL,
                          "malformed JSON near byte 0x%02x", (unsigned char)text[k]);
        return NULL;
    }
    /* Trailing content after the document (cJSON stops at the first complete value). */
    size_t off = (size_t)(end - text);
    while (off < len && (text[off] == ' ' || text[off] == '\t' || text[off] == '\r' ||
                         text[off] == '\n'))
        off++;
    if (off < len) {
        position(text, off, where, sizeof where);
        fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, where, NULL,
                      "malformed JSON: content after the end of the document");
        cJSON_Delete(root);
        return NULL;
    }
    if (check_duplicates(c, root, "")) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

char *fast_json_value_text(const cJSON *item)
{
    char *s = cJSON_PrintUnformatted(item);
    if (!s)
        return fast_strdup("?");
    if (cJSON_IsNumber(item) && !isfinite(item->valuedouble)) {
        /* cJSON prints non-finite numbers as null; say what the file said instead. */
        cJSON_free(s);
        return fast_strdup(isnan(item->valuedouble) ? "nan"
                           : item->valuedouble > 0  ? "inf"
                                                    : "-inf");
    }
    size_t n = strlen(s);
    char *r;
    if (n > 40)
        r = fast_format("%.37s...", s);
    else
        r = fast_strdup(s);
    cJSON_free(s);
    return r;
}

char *fast_json_path(const char *parent, const char *key)
{
    if (!parent || !parent[0])
        return fast_strdup(key ? key : "");
    return fast_format("%s.%s", parent, key ? key : "");
}

static const cJSON *field(const fast_json_ctx *c, const cJSON *obj, const char *key,
                          const char *path, int required)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item && required)
        fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, path, NULL,
                      "missing required field");
    return item;
}

static void range_text(char *buf, size_t n, double lo, int lo_open, double hi)
{
    if (lo_open)
        snprintf(buf, n, "greater than %g and at most %g", lo, hi);
    else
        snprintf(buf, n, "%g..%g", lo, hi);
}

fast_json_got fast_json_int(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, int64_t lo, int64_t hi,
                            int64_t *out)
{
    const cJSON *item = field(c, obj, key, path, required);
    if (!item)
        return FAST_JSON_ABSENT;
    char range[96];
    snprintf(range, sizeof range, "%lld..%lld", (long long)lo, (long long)hi);
    if (!cJSON_IsNumber(item)) {
        fast_json_error(c, path, item, "must be an integer in %s, not %s", range,
                        type_name(item));
        return FAST_JSON_BAD;
    }
    double v = item->valuedouble;
    if (!isfinite(v)) {
        fast_json_error(c, path, item, "must be finite");
        return FAST_JSON_BAD;
    }
    if (v < (double)lo || v > (double)hi || fabs(v) > JSON_MAX_EXACT) {
        fast_json_error(c, path, item, "must be an integer in %s", range);
        return FAST_JSON_BAD;
    }
    if (v != floor(v)) {
        fast_json_error(c, path, item, "must be a whole number");
        return FAST_JSON_BAD;
    }
    *out = (int64_t)v;
    return FAST_JSON_OK;
}

fast_json_got fast_json_num(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, double lo, int lo_open, double hi,
                            double *out)
{
    const cJSON *item = field(c, obj, key, path, required);
    if (!item)
        return FAST_JSON_ABSENT;
    char range[96];
    range_text(range, sizeof range, lo, lo_open, hi);
    if (!cJSON_IsNumber(item)) {
        fast_json_error(c, path, item, "must be a number (%s), not %s", range,
                        type_name(item));
        return FAST_JSON_BAD;
    }
    double v = item->valuedouble;
    if (!isfinite(v)) {
        fast_json_error(c, path, item, "must be finite");
        return FAST_JSON_BAD;
    }
    if (v < lo || (lo_open && v == lo) || v > hi) {
        fast_json_error(c, path, item, "must be %s", range);
        return FAST_JSON_BAD;
    }
    *out = v;
    return FAST_JSON_OK;
}

fast_json_got fast_json_str(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, size_t max_len, const char **out)
{
    const cJSON *item = field(c, obj, key, path, required);
    if (!item)
        return FAST_JSON_ABSENT;
    if (!cJSON_IsString(item)) {
        fast_json_error(c, path, item, "must be a string, not %s", type_name(item));
        return FAST_JSON_BAD;
    }
    size_t n = strlen(item->valuestring);
    if (n == 0 || n > max_len) {
        fast_json_error(c, path, item, "must be 1..%zu characters long", max_len);
        return FAST_JSON_BAD;
    }
    *out = item->valuestring;
    return FAST_JSON_OK;
}

fast_json_got fast_json_enum(const fast_json_ctx *c, const cJSON *obj, const char *key,
                             const char *path, int required, const char *const *choices,
                             int *out)
{
    const cJSON *item = field(c, obj, key, path, required);
    if (!item)
        return FAST_JSON_ABSENT;
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; choices[i]; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "", choices[i]);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    if (!cJSON_IsString(item)) {
        fast_json_error(c, path, item, "must be one of %s, not %s", list, type_name(item));
        return FAST_JSON_BAD;
    }
    for (int i = 0; choices[i]; i++)
        if (strcmp(item->valuestring, choices[i]) == 0) {
            *out = i;
            return FAST_JSON_OK;
        }
    const char *near = fast_suggest(item->valuestring, choices);
    if (near)
        fast_json_error(c, path, item, "must be one of %s (did you mean \"%s\"?)", list, near);
    else
        fast_json_error(c, path, item, "must be one of %s", list);
    return FAST_JSON_BAD;
}

fast_json_got fast_json_obj(const fast_json_ctx *c, const cJSON *obj, const char *key,
                            const char *path, int required, const cJSON **out)
{
    const cJSON *item = field(c, obj, key, path, required);
    if (!item)
        return FAST_JSON_ABSENT;
    if (!cJSON_IsObject(item)) {
        fast_json_error(c, path, item, "must be an object, not %s", type_name(item));
        return FAST_JSON_BAD;
    }
    *out = item;
    return FAST_JSON_OK;
}

int fast_json_check_keys(const fast_json_ctx *c, const cJSON *obj, const char *path,
                         const char *const *known)
{
    int bad = 0;
    for (const cJSON *it = obj->child; it; it = it->next) {
        int found = 0;
        for (size_t i = 0; known[i] && !found; i++)
            found = strcmp(it->string, known[i]) == 0;
        if (found)
            continue;
        bad++;
        char *where = fast_json_path(path, it->string);
        const char *near = fast_suggest(it->string, known);
        if (near) {
            char *full = fast_json_path(path, near);
            fast_json_error(c, where, it, "unknown field (did you mean %s?)", full);
            free(full);
        } else {
            fast_json_error(c, where, it, "unknown field");
        }
        free(where);
    }
    return bad;
}

fast_status fast_json_save(cJSON *tree, const char *path, const char *kind, fast_diag *d)
{
    char *s = tree ? cJSON_Print(tree) : NULL;
    cJSON_Delete(tree);
    char *text = s ? fast_format("%s\n", s) : NULL;
    cJSON_free(s);
    if (!text) {
        fast_diag_add(d, FAST_ETOOL, path, kind, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    fast_status st = fast_file_write_atomic(path, text, strlen(text), kind, d);
    free(text);
    return st;
}
