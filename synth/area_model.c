/* The calibrated logic-area model and its calibration file. */
#include "synth/area_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/util.h"
#include "synth/yosys.h"

#define KIND "calibration"

const char *const fast_area_terms[FAST_AREA_TERMS] = {
    "pe.int8.ws", "skew_row.int8.ws", "skew_col.int8.ws", "row.int8.ws", "col.int8.ws",
    "array.int8.ws",
    "pe.int8.os", "skew_row.int8.os", "skew_col.int8.os", "row.int8.os", "col.int8.os",
    "array.int8.os",
    "pe.bf16.ws", "skew_row.bf16.ws", "skew_col.bf16.ws", "row.bf16.ws", "col.bf16.ws",
    "array.bf16.ws",
    "pe.bf16.os", "skew_row.bf16.os", "skew_col.bf16.os", "row.bf16.os", "col.bf16.os",
    "array.bf16.os",
    "bank_col.int8", "bank_col.bf16", "lane.int8", "lane.bf16",
};

void fast_area_features(const fast_arch *a, double f[FAST_AREA_TERMS])
{
    for (int i = 0; i < FAST_AREA_TERMS; i++)
        f[i] = 0;
    int dt = a->array.dtype == FAST_DTYPE_BF16;
    int df = a->array.dataflow == FAST_DATAFLOW_OS;
    double n = (double)a->array.count, r = (double)a->array.rows, c = (double)a->array.cols;
    int base = (dt * 2 + df) * 6;
    f[base + 0] = n * r * c;               /* processing elements and their operand hops */
    f[base + 1] = n * r * (r - 1) / 2;     /* skew registers of the rows (a triangle) */
    f[base + 2] = n * c * (c - 1) / 2;     /* skew or deskew registers of the columns */
    f[base + 3] = n * r;                   /* per-row logic: weight-row decode, edges */
    f[base + 4] = n * c;                   /* per-column logic: accumulator adder, mux */
    f[base + 5] = n;                       /* per-array control and tag pipeline */
    f[24 + dt] = n * c * (double)(a->memory.banks - 1); /* accumulator bank multiplexers */
    f[FAST_AREA_LANE_INT8 + dt] = (double)a->vector.lanes; /* vector lanes */
}

double fast_area_core_um2(const fast_arch *a, const fast_calib *c)
{
    double f[FAST_AREA_TERMS], s = 0;
    fast_area_features(a, f);
    for (int i = 0; i < FAST_AREA_TERMS; i++)
        s += f[i] * c->coef_um2[i];
    return s;
}

double fast_area_density_mtr_mm2(int64_t process_nm)
{
    /* 45 nm: one NAND2_X1 (4 transistors) in 0.798 um^2 (NanGate 45 nm, REFERENCES.md),
     * 5.01 million transistors per mm^2. 16 nm: TSMC 16FF+ about 28.9, 7 nm: TSMC N7 about
     * 91.2 million per mm^2 (WikiChip, REFERENCES.md). 28 nm has no figure there: we
     * interpolate geometrically in the node between 45 and 16 nm (docs/cost.md). */
    const double d45 = 4.0 / 0.798, d16 = 28.9, d7 = 91.2;
    switch (process_nm) {
    case 45: return d45;
    case 16: return d16;
    case 7: return d7;
    default: break;
    }
    double n = (double)process_nm;
    if (n >= 16) {
        double t = log(45.0 / n) / log(45.0 / 16.0);
        return d45 * pow(d16 / d45, t);
    }
    double t = log(16.0 / n) / log(16.0 / 7.0);
    return d16 * pow(d7 / d16, t);
}

double fast_area_node_scale(int64_t process_nm)
{
    return fast_area_density_mtr_mm2(45) / fast_area_density_mtr_mm2(process_nm);
}

double fast_area_logic_mm2(const fast_arch *a, const fast_calib *c)
{
    return (double)a->cores * fast_area_core_um2(a, c) * 1e-6 *
           fast_area_node_scale(a->process_nm);
}

fast_status fast_calib_parse(const char *text, size_t len, const char *file, fast_calib *c,
                             fast_diag *d)
{
    memset(c, 0, sizeof *c);
    fast_json_ctx ctx = {file ? file : "", KIND, d};
    size_t before = d ? fast_diag_errors(d) : 0;
    int bad = 0;
    cJSON *root = fast_json_parse(&ctx, text, len);
    if (!root)
        return FAST_EINPUT;
    if (!cJSON_IsObject(root)) {
        fast_json_error(&ctx, "(root)", root, "must be an object");
        cJSON_Delete(root);
        return FAST_EINPUT;
    }
    const char *yosys = NULL;
    if (fast_json_str(&ctx, root, "yosys", "yosys", 1, sizeof c->yosys - 1, &yosys) ==
        FAST_JSON_OK)
        snprintf(c->yosys, sizeof c->yosys, "%s", yosys);
    else
        bad = 1;
    const cJSON *coef = NULL;
    if (fast_json_obj(&ctx, root, "coefficients", "coefficients", 1, &coef) != FAST_JSON_OK) {
        bad = 1;
    } else {
        const char *known[FAST_AREA_TERMS + 1];
        for (int i = 0; i < FAST_AREA_TERMS; i++) {
            known[i] = fast_area_terms[i];
            char *path = fast_json_path("coefficients", fast_area_terms[i]);
            double v = 0;
            if (fast_json_num(&ctx, coef, fast_area_terms[i], path ? path : "coefficients", 1,
                              -1e12, 0, 1e12, &v) == FAST_JSON_OK)
                c->coef_um2[i] = v;
            else
                bad = 1;
            free(path);
        }
        known[FAST_AREA_TERMS] = NULL;
        if (fast_json_check_keys(&ctx, coef, "coefficients", known) > 0)
            bad = 1;
    }
    const cJSON *lanes = cJSON_GetObjectItemCaseSensitive(root, "lanes_fitted");
    c->lanes_fitted = cJSON_IsTrue(lanes);
    const cJSON *configs = cJSON_GetObjectItemCaseSensitive(root, "configs");
    c->n_configs = cJSON_IsArray(configs) ? cJSON_GetArraySize(configs) : 0;
    cJSON_Delete(root);
    if (bad || (d && fast_diag_errors(d) > before)) {
        memset(c, 0, sizeof *c);
        return FAST_EINPUT;
    }
    return FAST_OK;
}

fast_status fast_calib_load(const char *path, fast_calib *c, fast_diag *d)
{
    memset(c, 0, sizeof *c);
    size_t len = 0;
    char *text = fast_file_read(path, 16u << 20, &len, KIND, d);
    if (!text)
        return FAST_EINPUT;
    fast_status st = fast_calib_parse(text, len, path, c, d);
    free(text);
    return st;
}

fast_status fast_calib_load_default(fast_calib *c, fast_diag *d)
{
    char *path = fast_synth_data_path("synth/calibration.json");
    if (!path) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    fast_status st = fast_calib_load(path, c, d);
    free(path);
    return st;
}
