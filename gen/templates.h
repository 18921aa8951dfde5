/* The RTL templates of rtl_templates/, compiled into the program at build time
 * (cmake/embed_files.cmake). */
#ifndef FAST_GEN_TEMPLATES_H
#define FAST_GEN_TEMPLATES_H

#include <stddef.h>

/* One template file. Invariant: text[len] == '\0'; module is the file name without ".v",
 * which is also the one module the file defines. */
typedef struct fast_gen_template {
    const char *module;
    const unsigned char *text;
    size_t len;
} fast_gen_template;

/* Every template, sorted by module name, terminated by an entry with a NULL module. */
extern const fast_gen_template fast_gen_templates[];

/* The template that defines `module`, or NULL. */
const fast_gen_template *fast_gen_template_find(const char *module);

#endif
