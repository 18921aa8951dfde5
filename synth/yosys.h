/* The Yosys area flow (docs/cost.md section 1): synthesizes Verilog with synth/area.ys in a
 * work directory, maps it to the NanGate 45 nm cells of synth/nangate45_area.lib, and reads
 * back cell counts, the liberty area and Yosys's CMOS transistor estimate. Memories (modules
 * named fast_sram*) are black boxes: the flow counts them and the SRAM model prices them. */
#ifndef FAST_SYNTH_YOSYS_H
#define FAST_SYNTH_YOSYS_H

#include <stdint.h>

#include "core/diag.h"

#define FAST_LIBERTY_MAX_CELLS 32
#define FAST_LIBERTY_NAME_MAX 31

/* The cells of a liberty file: name and area. Invariant: n_cells <= FAST_LIBERTY_MAX_CELLS;
 * every area_um2 > 0. */
typedef struct fast_liberty {
    int n_cells;
    char name[FAST_LIBERTY_MAX_CELLS][FAST_LIBERTY_NAME_MAX + 1];
    double area_um2[FAST_LIBERTY_MAX_CELLS]; /* µm² */
} fast_liberty;

/* What one synthesis run measured, totalled over the hierarchy below the top module (each
 * module's cells times its instance count). Invariant: area_um2 is the sum over mapped
 * cells of count x liberty area; black-box memories are not in cells, transistors or
 * area_um2. */
typedef struct fast_synth_result {
    int64_t cells;         /* mapped standard cells (NanGate), memories excluded */
    int64_t flops;         /* of which DFF_X1 */
    int64_t transistors;   /* Yosys `stat -tech cmos` estimate over its generic gates */
    int64_t sram_macros;   /* instances of fast_sram* modules (black boxes) */
    double area_um2;       /* liberty area of the mapped cells, µm² at 45 nm */
    double seconds;        /* wall time of the Yosys run */
    int has_vector;        /* the synthesized hierarchy has a module named *vector* */
    char yosys_version[96];/* first line of `yosys -V`, e.g. "Yosys 0.23 (git sha1 ...)" */
} fast_synth_result;

/* Reads the cell names and areas of a liberty file (only `cell (NAME)` and `area : X`
 * are looked at). Returns FAST_OK, or FAST_EINPUT with a diagnostic (kind "synth") when the
 * file is missing or names no cell with a positive area. */
fast_status fast_liberty_load(const char *path, fast_liberty *lib, fast_diag *d);

/* The area of a cell by name, µm²; -1 when the library has no such cell. */
double fast_liberty_area(const fast_liberty *lib, const char *cell);

/* The path of a file of the source tree ("synth/area.ys"); the caller frees it. */
char *fast_synth_data_path(const char *rel);

/* Synthesizes the n_files Verilog files (absolute paths, dependencies first) with `top` as
 * the top module, in work_dir (which must exist; the run leaves its script and reports
 * there, and the caller removes it). Stops Yosys after timeout_s seconds. Returns FAST_OK
 * with *r filled, FAST_ETOOL when Yosys is missing, times out or fails (the last lines of
 * its log in the diagnostic), FAST_EINPUT when a data file is missing. */
fast_status fast_synth_run(const char *const *files, int n_files, const char *top,
                           const char *work_dir, double timeout_s, fast_synth_result *r,
                           fast_diag *d);

/* Creates a fresh private directory under $TMPDIR (or /tmp) named prefix-XXXXXX; returns its
 * path for the caller to free and to remove with fast_synth_rmtree(), or NULL with a
 * diagnostic. */
char *fast_synth_mkdtemp(const char *prefix, fast_diag *d);

/* Removes a directory tree (no symlinks are followed); returns 0 on success. NULL is a
 * no-op. */
int fast_synth_rmtree(const char *path);

/* Removes the trailing commas before '}' or ']' that Yosys 0.23's `stat -json` writes,
 * in place (outside strings only). */
void fast_synth_fix_json(char *text);

#endif
