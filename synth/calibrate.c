/* Synthesis of generated configurations, the least-squares fit, the held-out check. */
#include "synth/calibrate.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/tools.h"
#include "core/util.h"
#include "gen/gen.h"

#define KIND "synth"

fast_status fast_synth_arch(const fast_arch *a, double timeout_s, fast_synth_result *r,
                            fast_diag *d)
{
    memset(r, 0, sizeof *r);
    fast_status st = fast_tool_require("yosys", d);
    if (st != FAST_OK)
        return st;
    char *base = fast_synth_mkdtemp("fast-synth", d);
    if (!base)
        return FAST_ETOOL;
    char *rtl = fast_format("%s/rtl", base);
    char *work = fast_format("%s/yosys", base);
    fast_gen_result g;
    memset(&g, 0, sizeof g);
    char **files = NULL;
    if (!rtl || !work) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        st = FAST_ETOOL;
        goto out;
    }
    if ((st = fast_gen_emit(a, rtl, &g, d)) != FAST_OK)
        goto out;
    files = calloc((size_t)g.n_files + 1, sizeof *files);
    int n = 0;
    for (int i = 0; files && i < g.n_files; i++) {
        size_t len = strlen(g.files[i]);
        if (len > 2 && strcmp(g.files[i] + len - 2, ".v") == 0)
            /* gen.h promises paths relative to the output directory; take absolute ones
             * as they are too. */
            files[n++] = g.files[i][0] == '/' ? fast_strdup(g.files[i])
                                              : fast_format("%s/%s", rtl, g.files[i]);
    }
    if (!files || mkdir(work, 0700) != 0) {
        fast_diag_add(d, FAST_ETOOL, work, KIND, NULL, NULL, "cannot create a work directory");
        st = FAST_ETOOL;
        goto out;
    }
    st = fast_synth_run((const char *const *)files, n, g.top, work, timeout_s, r, d);
out:
    if (files)
        for (int i = 0; files[i]; i++)
            free(files[i]);
    free(files);
    fast_gen_result_free(&g);
    fast_synth_rmtree(base);
    free(base);
    free(rtl);
    free(work);
    return st;
}

/* ---- least squares ---------------------------------------------------------------- */

int fast_lsq_solve(const double *x, const double *y, int n, int p, double *b, int *bad_col)
{
    /* Copy the non-zero columns, scaled to unit norm, into a column-major work matrix. */
    int *col = malloc((size_t)p * sizeof *col);
    double *scale = malloc((size_t)p * sizeof *scale);
    double *a = malloc((size_t)n * (size_t)p * sizeof *a);
    double *r = malloc((size_t)n * sizeof *r);
    int rc = -1, m = 0;
    if (!col || !scale || !a || !r || n < 1)
        goto out;
    for (int j = 0; j < p; j++) {
        double s = 0;
        for (int i = 0; i < n; i++)
            s += x[i * p + j] * x[i * p + j];
        if (s == 0)
            continue;
        col[m] = j;
        scale[m] = sqrt(s);
        for (int i = 0; i < n; i++)
            a[m * n + i] = x[i * p + j] / scale[m];
        m++;
    }
    if (m > n) {
        if (bad_col)
            *bad_col = col[n];
        goto out;
    }
    for (int i = 0; i < n; i++)
        r[i] = y[i];
    /* Householder QR: column k gets reflected onto e_k; the same reflection applies to r. */
    for (int k = 0; k < m; k++) {
        double *v = &a[k * n];
        double norm = 0;
        for (int i = k; i < n; i++)
            norm += v[i] * v[i];
        norm = sqrt(norm);
        if (norm < 1e-9) { /* dependent on the earlier columns (all have unit norm) */
            if (bad_col)
                *bad_col = col[k];
            goto out;
        }
        double alpha = v[k] > 0 ? -norm : norm;
        v[k] -= alpha; /* v is now the Householder vector u, with R[k][k] = alpha */
        double uu = 0;
        for (int i = k; i < n; i++)
            uu += v[i] * v[i];
        for (int j = k + 1; j < m; j++) {
            double *w = &a[j * n], dot = 0;
            for (int i = k; i < n; i++)
                dot += v[i] * w[i];
            for (int i = k; i < n; i++)
                w[i] -= 2 * dot / uu * v[i];
        }
        double dot = 0;
        for (int i = k; i < n; i++)
            dot += v[i] * r[i];
        for (int i = k; i < n; i++)
            r[i] -= 2 * dot / uu * v[i];
        /* Keep R's diagonal in the vector's slot k; its tail (k+1..n) is no longer needed
         * except by the loop above, which is done with it. */
        v[k] = alpha;
    }
    /* Back substitution: R c = (Q^T y)[0..m); R[i][j] is a[j * n + i] for j > i. */
    double *c = malloc((size_t)(m ? m : 1) * sizeof *c);
    if (!c)
        goto out;
    for (int i = m - 1; i >= 0; i--) {
        double s = r[i];
        for (int j = i + 1; j < m; j++)
            s -= a[j * n + i] * c[j];
        c[i] = s / a[i * n + i];
    }
    for (int j = 0; j < p; j++)
        b[j] = 0;
    for (int k = 0; k < m; k++)
        b[col[k]] = c[k] / scale[k];
    free(c);
    rc = 0;
out:
    free(col);
    free(scale);
    free(a);
    free(r);
    return rc;
}

int fast_nnls_solve(const double *x, const double *y, int n, int p, double *b)
{
    int *passive = calloc((size_t)p, sizeof *passive);
    double *xp = malloc((size_t)n * (size_t)p * sizeof *xp);
    double *z = malloc((size_t)p * sizeof *z);
    double *res = malloc((size_t)n * sizeof *res);
    int rc = -1;
    if (!passive || !xp || !z || !res)
        goto out;
    for (int j = 0; j < p; j++)
        b[j] = 0;
    double scale = 0;
    for (int i = 0; i < n * p; i++)
        scale = fmax(scale, fabs(x[i]));
    double tol = 1e-12 * (scale > 0 ? scale : 1) * n;
    for (int outer = 0; outer < 3 * p + 10; outer++) {
        /* The gradient w = X^T (y - X b); the free column with the largest w enters. */
        for (int i = 0; i < n; i++) {
            res[i] = y[i];
            for (int j = 0; j < p; j++)
                res[i] -= x[i * p + j] * b[j];
        }
        int best = -1;
        double wmax = tol;
        for (int j = 0; j < p; j++) {
            if (passive[j])
                continue;
            double w = 0;
            for (int i = 0; i < n; i++)
                w += x[i * p + j] * res[i];
            if (w > wmax) {
                wmax = w;
                best = j;
            }
        }
        if (best < 0) {
            rc = 0;
            goto out;
        }
        passive[best] = 1;
        for (int inner = 0; inner < 3 * p + 10; inner++) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < p; j++)
                    xp[i * p + j] = passive[j] ? x[i * p + j] : 0;
            if (fast_lsq_solve(xp, y, n, p, z, NULL) != 0)
                goto out;
            int feasible = 1;
            double alpha = 1;
            for (int j = 0; j < p; j++)
                if (passive[j] && z[j] <= 0) {
                    feasible = 0;
                    double a = b[j] / (b[j] - z[j]);
                    if (a < alpha)
                        alpha = a;
                }
            if (feasible) {
                for (int j = 0; j < p; j++)
                    b[j] = passive[j] ? z[j] : 0;
                break;
            }
            for (int j = 0; j < p; j++) {
                b[j] += alpha * (z[j] - b[j]);
                if (passive[j] && b[j] <= 1e-12 * (1 + fabs(z[j]))) {
                    passive[j] = 0;
                    b[j] = 0;
                }
            }
        }
    }
out:
    free(passive);
    free(xp);
    free(z);
    free(res);
    return rc;
}

/* ---- the configurations ----------------------------------------------------------- */

/* One small configuration: dtype and dataflow, array shape and count, banks, lanes. */
typedef struct calib_spec {
    int64_t rows, cols, count, banks, lanes;
} calib_spec;

/* The fit set, repeated for each (dtype, dataflow): shapes from 2 to 8, square and not,
 * one or two arrays, 1 to 4 banks, 1 to 16 lanes, so that every term varies on its own. */
static const calib_spec fit_specs[] = {
    {2, 2, 1, 1, 1}, {4, 4, 1, 2, 4}, {8, 8, 1, 1, 8}, {2, 8, 1, 4, 2},
    {8, 2, 2, 1, 3}, {4, 6, 1, 2, 6}, {6, 3, 2, 4, 16},
};

/* The held-out set: shapes and mixes the fit never saw. */
static const calib_spec held_specs[] = {
    {5, 7, 1, 2, 5}, {7, 4, 2, 1, 2}, {8, 6, 1, 4, 12},
};

static void make_arch(fast_arch *a, int dt, int df, const calib_spec *s, int held)
{
    fast_arch_default(a);
    a->process_nm = 45;
    a->clock_mhz = 200;
    a->array.dtype = dt ? FAST_DTYPE_BF16 : FAST_DTYPE_INT8;
    a->array.dataflow = df ? FAST_DATAFLOW_OS : FAST_DATAFLOW_WS;
    a->array.rows = s->rows;
    a->array.cols = s->cols;
    a->array.count = s->count;
    a->memory.banks = s->banks;
    a->vector.lanes = s->lanes;
    /* Small scratchpads: they are SRAM black boxes, only the accumulator depth (address
     * bits) reaches the logic. */
    a->memory.input_kib = 1;
    a->memory.weight_kib = 1;
    a->memory.acc_kib = 2;
    snprintf(a->name, sizeof a->name, "%s-%s-%s-%lldx%lldx%lld-b%lld-v%lld",
             held ? "check" : "cal", dt ? "bf16" : "int8", df ? "os" : "ws",
             (long long)s->rows, (long long)s->cols, (long long)s->count,
             (long long)s->banks, (long long)s->lanes);
}

int fast_calib_configs(int held_out, fast_arch *out, int max)
{
    const calib_spec *specs = held_out ? held_specs : fit_specs;
    int per = held_out ? (int)(sizeof held_specs / sizeof *held_specs)
                       : (int)(sizeof fit_specs / sizeof *fit_specs);
    int n = 0;
    for (int g = 0; g < 4; g++)
        for (int i = 0; i < per; i++, n++)
            if (n < max)
                make_arch(&out[n], g / 2, g % 2, &specs[i], held_out);
    if (held_out) {
        /* The RTL test design of arch/small.json, with its deeper accumulator. */
        if (n < max) {
            fast_arch_default(&out[n]);
            snprintf(out[n].name, sizeof out[n].name, "check-small");
            out[n].process_nm = 45;
            out[n].clock_mhz = 200;
            out[n].vector.lanes = 8;
            out[n].memory.input_kib = out[n].memory.weight_kib = out[n].memory.acc_kib = 16;
            out[n].memory.banks = 2;
            out[n].dram.bandwidth_gbps = 1.6;
        }
        n++;
    }
    return n;
}

/* ---- running many syntheses ------------------------------------------------------- */

/* The shared state of a pool of threads, each running one Yosys process at a time. */
typedef struct pool {
    pthread_mutex_t lock;
    fast_calib_row *rows;
    fast_diag **diags; /* one per row */
    fast_status *status;
    int n, next;
    double timeout_s;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        int i = p->next < p->n ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (i < 0)
            return NULL;
        p->status[i] = fast_synth_arch(&p->rows[i].arch, p->timeout_s, &p->rows[i].synth,
                                       p->diags[i]);
    }
}

/* Copies every entry of src into dst. */
static void diag_merge(fast_diag *dst, const fast_diag *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const fast_diag_entry *e = &src->v[i];
        fast_diag_add(dst, e->status, e->file, e->kind, e->where, e->value, "%s", e->reason);
    }
}

/* Synthesizes rows[0 .. n) with `jobs` threads; the first failure's status. */
static fast_status run_all(fast_calib_row *rows, int n, int jobs, double timeout_s,
                           fast_diag *d)
{
    pool p;
    memset(&p, 0, sizeof p);
    p.rows = rows;
    p.n = n;
    p.timeout_s = timeout_s;
    p.diags = calloc((size_t)n, sizeof *p.diags);
    p.status = calloc((size_t)n, sizeof *p.status);
    fast_status st = FAST_OK;
    if (!p.diags || !p.status) {
        free(p.diags);
        free(p.status);
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    for (int i = 0; i < n; i++)
        p.diags[i] = fast_diag_create();
    pthread_mutex_init(&p.lock, NULL);
    if (jobs < 1)
        jobs = 1;
    if (jobs > 16)
        jobs = 16;
    pthread_t tid[16];
    int started = 0;
    for (int j = 0; j < jobs; j++)
        if (pthread_create(&tid[j], NULL, worker, &p) == 0)
            started++;
    if (started == 0)
        worker(&p);
    for (int j = 0; j < started; j++)
        pthread_join(tid[j], NULL);
    pthread_mutex_destroy(&p.lock);
    for (int i = 0; i < n; i++) {
        if (p.diags[i]) {
            size_t from = d ? d->n : 0;
            diag_merge(d, p.diags[i]);
            fast_diag_name_file(d, from, rows[i].arch.name);
        } else {
            p.status[i] = FAST_ETOOL;
        }
        if (p.status[i] != FAST_OK && st == FAST_OK)
            st = p.status[i];
        fast_diag_destroy(p.diags[i]);
    }
    free(p.diags);
    free(p.status);
    return st;
}

/* ---- the fit and the report ------------------------------------------------------- */

double fast_calib_model_um2(const fast_arch *a, const fast_calib *c, int with_lanes)
{
    double f[FAST_AREA_TERMS], s = 0;
    fast_area_features(a, f);
    if (!with_lanes)
        f[FAST_AREA_LANE_INT8] = f[FAST_AREA_LANE_INT8 + 1] = 0;
    for (int i = 0; i < FAST_AREA_TERMS; i++)
        s += f[i] * c->coef_um2[i];
    return s;
}

static void price_rows(fast_calib_report *rep, int from)
{
    rep->worst = 0;
    rep->worst_row = -1;
    for (int i = from; i < rep->n_rows; i++) {
        fast_calib_row *w = &rep->rows[i];
        w->model_um2 = fast_calib_model_um2(&w->arch, &rep->calib, w->synth.has_vector);
        w->rel_error = w->synth.area_um2 > 0
                           ? (w->model_um2 - w->synth.area_um2) / w->synth.area_um2
                           : 0;
        if (i >= rep->n_fit && fabs(w->rel_error) >= rep->worst) {
            rep->worst = fabs(w->rel_error);
            rep->worst_row = i;
        }
    }
}

/* Weighted least squares: each row divided by its Yosys area, so that the fit minimizes
 * relative errors and small configurations count as much as large ones. */
static fast_status fit(fast_calib_report *rep, fast_diag *d)
{
    int n = rep->n_fit, p = FAST_AREA_TERMS;
    double *x = calloc((size_t)n * (size_t)p, sizeof *x);
    double *y = calloc((size_t)n, sizeof *y);
    fast_status st = FAST_OK;
    if (!x || !y) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        st = FAST_ETOOL;
        goto out;
    }
    /* Without a vector unit in the RTL the lane terms cannot be fitted: they take the
     * published area of an fp32 multiply (7700 um^2) plus an fp32 add (4184 um^2) at 45 nm
     * (Horowitz, ISSCC 2014; REFERENCES.md), one of each per lane. */
    int lanes = 1;
    for (int i = 0; i < n; i++)
        lanes = lanes && rep->rows[i].synth.has_vector;
    rep->calib.lanes_fitted = lanes;
    for (int i = 0; i < n; i++) {
        double area = rep->rows[i].synth.area_um2;
        double f[FAST_AREA_TERMS];
        fast_area_features(&rep->rows[i].arch, f);
        if (!lanes)
            f[FAST_AREA_LANE_INT8] = f[FAST_AREA_LANE_INT8 + 1] = 0;
        for (int j = 0; j < p; j++)
            x[i * p + j] = area > 0 ? f[j] / area : 0;
        y[i] = area > 0 ? 1 : 0;
    }
    /* Every term is hardware, so no coefficient may be negative: an unconstrained fit of
     * a few small arrays trades the quadratic terms against the linear ones, and that
     * extrapolates badly to 128 x 128 (docs/cost.md section 2). */
    if (fast_nnls_solve(x, y, n, p, rep->calib.coef_um2) != 0) {
        fast_diag_add(d, FAST_EFAIL, NULL, "calibration", NULL, NULL,
                      "the non-negative least-squares fit did not settle");
        st = FAST_EFAIL;
    }
    if (!lanes)
        rep->calib.coef_um2[FAST_AREA_LANE_INT8] = rep->calib.coef_um2[FAST_AREA_LANE_INT8 + 1] =
            7700.0 + 4184.0;
out:
    free(x);
    free(y);
    return st;
}

fast_status fast_calibrate(const fast_calib *given, int jobs, double timeout_s,
                           fast_calib_report *rep, fast_diag *d)
{
    memset(rep, 0, sizeof *rep);
    fast_status st = fast_tool_require("yosys", d);
    if (st != FAST_OK)
        return st;
    int n_fit = given ? 0 : fast_calib_configs(0, NULL, 0);
    int n_held = fast_calib_configs(1, NULL, 0);
    rep->rows = calloc((size_t)(n_fit + n_held), sizeof *rep->rows);
    if (!rep->rows) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    fast_arch *archs = calloc((size_t)(n_fit + n_held), sizeof *archs);
    if (!archs) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    if (n_fit)
        fast_calib_configs(0, archs, n_fit);
    fast_calib_configs(1, archs + n_fit, n_held);
    for (int i = 0; i < n_fit + n_held; i++)
        rep->rows[i].arch = archs[i];
    free(archs);
    rep->n_rows = n_fit + n_held;
    rep->n_fit = n_fit;
    rep->worst_row = -1;
    if (given)
        rep->calib = *given;
    if ((st = run_all(rep->rows, rep->n_rows, jobs, timeout_s, d)) != FAST_OK)
        return st;
    for (int i = 0; i < rep->n_rows; i++)
        rep->seconds += rep->rows[i].synth.seconds;
    if (!given) {
        if ((st = fit(rep, d)) != FAST_OK)
            return st;
        snprintf(rep->calib.yosys, sizeof rep->calib.yosys, "%s",
                 rep->rows[0].synth.yosys_version);
        rep->calib.n_configs = n_fit;
    }
    price_rows(rep, 0);
    return FAST_OK;
}

/* Reads one recorded row back; 0 on success. */
static int row_from_json(const cJSON *o, int held, fast_calib_row *w)
{
    const char *keys[] = {"rows", "cols", "count", "banks", "lanes", "acc_kib", "yosys_um2"};
    double v[7];
    for (int k = 0; k < 7; k++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, keys[k]);
        if (!cJSON_IsNumber(it) || !(it->valuedouble > 0))
            return -1;
        v[k] = it->valuedouble;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(o, "dtype");
    const cJSON *df = cJSON_GetObjectItemCaseSensitive(o, "dataflow");
    if (!cJSON_IsString(name) || !cJSON_IsString(dt) || !cJSON_IsString(df))
        return -1;
    calib_spec sp = {(int64_t)v[0], (int64_t)v[1], (int64_t)v[2], (int64_t)v[3],
                     (int64_t)v[4]};
    memset(w, 0, sizeof *w);
    make_arch(&w->arch, strcmp(dt->valuestring, "bf16") == 0,
              strcmp(df->valuestring, "os") == 0, &sp, held);
    w->arch.memory.acc_kib = (int64_t)v[5];
    snprintf(w->arch.name, sizeof w->arch.name, "%s", name->valuestring);
    w->synth.area_um2 = v[6];
    const cJSON *cells = cJSON_GetObjectItemCaseSensitive(o, "cells");
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(o, "transistors");
    w->synth.cells = cJSON_IsNumber(cells) ? (int64_t)cells->valuedouble : 0;
    w->synth.transistors = cJSON_IsNumber(tr) ? (int64_t)tr->valuedouble : 0;
    return 0;
}

fast_status fast_calibrate_refit(const cJSON *doc, const char *file, fast_calib_report *rep,
                                 fast_diag *d)
{
    memset(rep, 0, sizeof *rep);
    const cJSON *fit_rows = cJSON_GetObjectItemCaseSensitive(doc, "configs");
    const cJSON *held_rows = cJSON_GetObjectItemCaseSensitive(doc, "held_out");
    const cJSON *yosys = cJSON_GetObjectItemCaseSensitive(doc, "yosys");
    if (!cJSON_IsArray(fit_rows) || !cJSON_IsArray(held_rows) || !cJSON_IsString(yosys)) {
        fast_diag_add(d, FAST_EINPUT, file, "calibration", NULL, NULL,
                      "no recorded \"configs\", \"held_out\" and \"yosys\" to refit from");
        return FAST_EINPUT;
    }
    int nf = cJSON_GetArraySize(fit_rows), nh = cJSON_GetArraySize(held_rows);
    rep->rows = calloc((size_t)(nf + nh) + 1, sizeof *rep->rows);
    if (!rep->rows) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    for (int i = 0; i < nf + nh; i++) {
        const cJSON *o = cJSON_GetArrayItem(i < nf ? fit_rows : held_rows, i < nf ? i : i - nf);
        if (row_from_json(o, i >= nf, &rep->rows[i]) != 0) {
            char where[48];
            snprintf(where, sizeof where, "%s[%d]", i < nf ? "configs" : "held_out",
                     i < nf ? i : i - nf);
            fast_diag_add(d, FAST_EINPUT, file, "calibration", where, NULL,
                          "not a recorded configuration");
            return FAST_EINPUT;
        }
        /* Recorded runs had no vector unit unless the file says the lanes were fitted. */
        rep->rows[i].synth.has_vector =
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "lanes_fitted"));
    }
    rep->n_rows = nf + nh;
    rep->n_fit = nf;
    fast_status st = fit(rep, d);
    if (st != FAST_OK)
        return st;
    snprintf(rep->calib.yosys, sizeof rep->calib.yosys, "%s", yosys->valuestring);
    rep->calib.n_configs = nf;
    price_rows(rep, 0);
    return FAST_OK;
}

static cJSON *row_json(const fast_calib_row *w)
{
    const fast_arch *a = &w->arch;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", a->name);
    cJSON_AddStringToObject(o, "dtype", fast_dtype_name(a->array.dtype));
    cJSON_AddStringToObject(o, "dataflow", fast_dataflow_name(a->array.dataflow));
    cJSON_AddNumberToObject(o, "rows", (double)a->array.rows);
    cJSON_AddNumberToObject(o, "cols", (double)a->array.cols);
    cJSON_AddNumberToObject(o, "count", (double)a->array.count);
    cJSON_AddNumberToObject(o, "banks", (double)a->memory.banks);
    cJSON_AddNumberToObject(o, "lanes", (double)a->vector.lanes);
    cJSON_AddNumberToObject(o, "acc_kib", (double)a->memory.acc_kib);
    cJSON_AddNumberToObject(o, "cells", (double)w->synth.cells);
    cJSON_AddNumberToObject(o, "transistors", (double)w->synth.transistors);
    cJSON_AddNumberToObject(o, "yosys_um2", round(w->synth.area_um2 * 1000) / 1000);
    cJSON_AddNumberToObject(o, "model_um2", round(w->model_um2 * 1000) / 1000);
    cJSON_AddNumberToObject(o, "rel_error", round(w->rel_error * 1e6) / 1e6);
    return o;
}

cJSON *fast_calib_report_json(const fast_calib_report *rep)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON_AddStringToObject(doc, "format", "fast area calibration 1");
    cJSON_AddStringToObject(doc, "about",
                            "Logic area of one core, in um^2 of NanGate 45 nm cells, per unit "
                            "of each term (docs/cost.md section 2). Written by fast "
                            "calibrate; do not edit.");
    cJSON_AddStringToObject(doc, "yosys", rep->calib.yosys);
    cJSON_AddStringToObject(doc, "liberty", "synth/nangate45_area.lib");
    cJSON_AddStringToObject(doc, "script", "synth/area.ys");
    cJSON_AddBoolToObject(doc, "lanes_fitted", rep->calib.lanes_fitted);
    if (!rep->calib.lanes_fitted)
        cJSON_AddStringToObject(doc, "lanes_source",
                                "the generated RTL has no vector unit yet: lane.* is an fp32 "
                                "multiply plus an fp32 add at 45 nm, 7700 + 4184 um^2 "
                                "(Horowitz, ISSCC 2014)");
    cJSON *coef = cJSON_AddObjectToObject(doc, "coefficients");
    for (int i = 0; i < FAST_AREA_TERMS; i++)
        cJSON_AddNumberToObject(coef, fast_area_terms[i],
                                round(rep->calib.coef_um2[i] * 1e4) / 1e4);
    cJSON *fit = cJSON_AddArrayToObject(doc, "configs");
    cJSON *held = cJSON_AddArrayToObject(doc, "held_out");
    for (int i = 0; i < rep->n_rows; i++)
        cJSON_AddItemToArray(i < rep->n_fit ? fit : held, row_json(&rep->rows[i]));
    cJSON_AddNumberToObject(doc, "held_out_worst_rel_error", round(rep->worst * 1e6) / 1e6);
    return doc;
}

void fast_calib_report_free(fast_calib_report *rep)
{
    if (!rep)
        return;
    free(rep->rows);
    rep->rows = NULL;
    rep->n_rows = rep->n_fit = 0;
}
