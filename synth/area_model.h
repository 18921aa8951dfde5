/* The calibrated logic-area model (docs/cost.md section 2): the logic of one core is a sum
 * of terms, each a count read off the configuration (PEs, skew registers, accumulator
 * columns, vector lanes, ...) times a coefficient in µm² of NanGate 45 nm cells. The
 * coefficients are fitted to Yosys runs by `fast calibrate` and checked in as
 * synth/calibration.json; other nodes scale by logic density. */
#ifndef FAST_SYNTH_AREA_MODEL_H
#define FAST_SYNTH_AREA_MODEL_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "core/arch.h"
#include "core/diag.h"

/* Per (dtype, dataflow): pe, skew_row, skew_col, row, col, array (6 x 4 = 24); per dtype:
 * bank_col and lane (4). The generated core has no logic outside its arrays and vector
 * unit, so there is no per-core term. */
#define FAST_AREA_TERMS 28
#define FAST_AREA_LANE_INT8 26 /* index of "lane.int8"; "lane.bf16" follows */

/* The term names, in order, as synth/calibration.json spells them ("pe.int8.ws", ...). */
extern const char *const fast_area_terms[FAST_AREA_TERMS];

/* Loaded coefficients. A plain value. Invariant after a successful load: every coefficient
 * is finite (µm² at 45 nm per unit of its feature); yosys names the Yosys that produced the
 * fit, n_configs the configurations fitted. */
typedef struct fast_calib {
    double coef_um2[FAST_AREA_TERMS];
    int lanes_fitted; /* 1 when the lane terms come from Yosys runs of a vector unit, 0 when
                         they are the published figure (docs/cost.md section 2) */
    char yosys[96];
    int n_configs;
} fast_calib;

/* The features of one core of configuration a: f[i] multiplies coefficient i. */
void fast_area_features(const fast_arch *a, double f[FAST_AREA_TERMS]);

/* Logic area of one core at 45 nm (NanGate cells), µm². */
double fast_area_core_um2(const fast_arch *a, const fast_calib *c);

/* Logic density used to move 45 nm area to other nodes, million transistors per mm². */
double fast_area_density_mtr_mm2(int64_t process_nm);

/* Factor from 45 nm logic area to process_nm: density(45) / density(process_nm). */
double fast_area_node_scale(int64_t process_nm);

/* Logic area of the whole chip at its node, mm²: cores x one core, scaled. */
double fast_area_logic_mm2(const fast_arch *a, const fast_calib *c);

/* Reads calibration JSON text (len bytes); file names it in messages. Missing, unknown or
 * non-finite coefficients, or a missing "yosys" string, are diagnostics of kind
 * "calibration"; returns FAST_OK, or FAST_EINPUT with *c zeroed. */
fast_status fast_calib_parse(const char *text, size_t len, const char *file, fast_calib *c,
                             fast_diag *d);

/* Reads a calibration file (fast_calib_parse of its contents); a missing or unreadable
 * file is one diagnostic and FAST_EINPUT. */
fast_status fast_calib_load(const char *path, fast_calib *c, fast_diag *d);

/* Reads the checked-in synth/calibration.json of the source tree ($FAST_SOURCE_DIR when
 * set, else the tree fast was built from). */
fast_status fast_calib_load_default(fast_calib *c, fast_diag *d);

#endif
