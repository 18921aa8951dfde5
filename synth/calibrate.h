/* Synthesis of generated configurations and the fit of the area model (docs/cost.md
 * section 2): fast_synth_arch() runs gen and Yosys on one configuration; fast_calibrate()
 * runs a fixed set of small configurations, fits the coefficients by weighted least squares
 * and checks them on configurations held out of the fit. */
#ifndef FAST_SYNTH_CALIBRATE_H
#define FAST_SYNTH_CALIBRATE_H

#include <cjson/cJSON.h>

#include "core/arch.h"
#include "core/diag.h"
#include "synth/area_model.h"
#include "synth/yosys.h"

/* Generates the RTL of a (fast_gen_emit) and synthesizes it (fast_synth_run), in a
 * temporary directory that is removed afterwards whatever happens. Returns the status of
 * the first failing step with its diagnostics. */
fast_status fast_synth_arch(const fast_arch *a, double timeout_s, fast_synth_result *r,
                            fast_diag *d);

/* Solves min |X b - y| over b for an n x p row-major X (n >= p) by Householder QR with
 * columns scaled to unit norm. Columns that are all zero get b = 0. Returns 0, or -1 when
 * the non-zero columns are linearly dependent (then b is not written), with the index of
 * one such column in *bad_col when bad_col is not NULL. */
int fast_lsq_solve(const double *x, const double *y, int n, int p, double *b, int *bad_col);

/* Non-negative least squares (Lawson and Hanson): min |X b - y| subject to b >= 0, for an
 * n x p row-major X, with fast_lsq_solve() on the free columns. Returns 0, or -1 when a
 * subproblem is singular or the iteration does not settle. */
int fast_nnls_solve(const double *x, const double *y, int n, int p, double *b);

/* The configurations of the fit (held_out = 0) or of the held-out check (held_out = 1):
 * writes up to max of them to out and returns how many there are. Every one is valid and
 * synthesizes in seconds. */
int fast_calib_configs(int held_out, fast_arch *out, int max);

/* The model's logic area of one core at 45 nm, µm², comparable with a Yosys run: without
 * the vector lanes when the synthesized RTL had no vector unit (with_lanes = 0). */
double fast_calib_model_um2(const fast_arch *a, const fast_calib *c, int with_lanes);

/* One configuration's outcome. */
typedef struct fast_calib_row {
    fast_arch arch;
    fast_synth_result synth; /* the Yosys run */
    double model_um2;        /* the model's logic area of one core at 45 nm, µm² */
    double rel_error;        /* (model - yosys) / yosys */
} fast_calib_row;

/* The outcome of a calibration or a check. rows[0 .. n_fit) are the fitted configurations
 * (none for a check), rows[n_fit .. n_rows) the held-out ones. worst is the largest
 * |rel_error| among the held-out rows and worst_row its index. */
typedef struct fast_calib_report {
    fast_calib calib;
    int n_rows, n_fit, worst_row;
    double worst;
    double seconds; /* wall time of all the Yosys runs */
    fast_calib_row *rows;
} fast_calib_report;

/* Synthesizes the fit configurations (unless `fit` is NULL: then only the held-out ones
 * are run, against *fit) with `jobs` Yosys processes at a time, fits the coefficients, and
 * prices the held-out configurations with them. The caller frees the report with
 * fast_calib_report_free(). Returns FAST_OK, or the status of a failed synthesis or fit. */
fast_status fast_calibrate(const fast_calib *fit, int jobs, double timeout_s,
                           fast_calib_report *rep, fast_diag *d);

/* Refits the coefficients from the Yosys areas recorded in a calibration file's JSON
 * ("configs" and "held_out"), without running Yosys; fills *rep as fast_calibrate() does.
 * The caller frees the report. */
fast_status fast_calibrate_refit(const cJSON *doc, const char *file, fast_calib_report *rep,
                                 fast_diag *d);

/* The calibration file's JSON: the coefficients, the Yosys version, and every
 * configuration with its Yosys and model areas. The caller deletes it; NULL out of memory. */
cJSON *fast_calib_report_json(const fast_calib_report *rep);

/* Frees the rows of a report; NULL is a no-op. */
void fast_calib_report_free(fast_calib_report *rep);

#endif
