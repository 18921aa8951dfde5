/* The SRAM area model. */
#include "synth/sram.h"

#include <math.h>

double fast_sram_cell_um2(int64_t process_nm)
{
    /* REFERENCES.md, "Cells and memories": 6T high-density bit cell, TSMC 16 nm FinFET
     * about 0.07 um^2, TSMC N7 about 0.027 um^2 (TSMC at IEDM/ISSCC). For 45 and 28 nm
     * REFERENCES.md has no cell; we extend the power law through those two points,
     * cell(n) = 0.07 * (n / 16)^p with p = ln(0.07 / 0.027) / ln(16 / 7) = 1.15. This is
     * an assumption (docs/cost.md): it gives 0.23 um^2 at 45 nm and 0.13 um^2 at 28 nm. */
    const double c16 = 0.07, c7 = 0.027;
    double p = log(c16 / c7) / log(16.0 / 7.0);
    return c16 * pow((double)process_nm / 16.0, p);
}

double fast_sram_efficiency(double bits)
{
    /* Our assumption, not a published figure (docs/cost.md, section 3): the periphery of a
     * small macro is a large share of it. Points (macro size, efficiency): 1 KiB 0.35,
     * 8 KiB 0.55, 32 KiB 0.65, 256 KiB 0.75, 1 MiB and more 0.80. */
    static const double kib[5] = {1, 8, 32, 256, 1024};
    static const double eff[5] = {0.35, 0.55, 0.65, 0.75, 0.80};
    double k = bits / 8192.0;
    if (k <= kib[0])
        return eff[0];
    for (int i = 0; i < 4; i++)
        if (k <= kib[i + 1]) {
            double t = log(k / kib[i]) / log(kib[i + 1] / kib[i]);
            return eff[i] + t * (eff[i + 1] - eff[i]);
        }
    return eff[4];
}

double fast_sram_macro_um2(double bits, int64_t process_nm)
{
    if (!(bits > 0))
        return 0;
    return bits * fast_sram_cell_um2(process_nm) / fast_sram_efficiency(bits);
}

double fast_sram_chip_mm2(const fast_arch *a)
{
    double banks = (double)a->memory.banks;
    int64_t nm = a->process_nm;
    const int64_t kib[3] = {a->memory.input_kib, a->memory.weight_kib, a->memory.acc_kib};
    double core_um2 = 0;
    for (int i = 0; i < 3; i++)
        core_um2 += banks * fast_sram_macro_um2((double)kib[i] * 8192.0 / banks, nm);
    double global_um2 =
        banks * fast_sram_macro_um2((double)a->memory.global_mib * 8388608.0 / banks, nm);
    return ((double)a->cores * core_um2 + global_um2) * 1e-6;
}
