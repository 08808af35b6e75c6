namespace BnMlNet.Engine.Ensembles;

/// <summary>
/// Combines the members' raw outputs, laid side by side per row (member m's C outputs at m·C … m·C + C − 1), into the
/// C raw outputs of the ensemble. Computed in double through log-sum-exp forms, so saturated members give finite
/// results.
/// </summary>
internal static class EnsembleCombiner
{
    /// <summary>The rule that averages what <paramref name="loss"/>'s head reports.</summary>
    public static EnsembleCombination For(LossKind loss) => loss switch
    {
        LossKind.BinaryLogLoss => EnsembleCombination.BinaryLogit,
        LossKind.SoftmaxCrossEntropy => EnsembleCombination.SoftmaxLogits,
        LossKind.Poisson => EnsembleCombination.LogMeanExp,
        _ => EnsembleCombination.Mean,
    };

    /// <summary>Combines <paramref name="rows"/> rows of k·C values in <paramref name="wide"/> into rows × C values.</summary>
    public static void Combine(EnsembleCombination rule, ReadOnlySpan<float> wide, int rows, int members, int outputs, Span<float> combined)
    {
        int width = members * outputs;
        for (int r = 0; r < rows; r++)
        {
            var row = wide.Slice(r * width, width);
            var dst = combined.Slice(r * outputs, outputs);
            switch (rule)
            {
                case EnsembleCombination.Mean:
                    for (int c = 0; c < outputs; c++)
                    {
                        double s = 0;
                        for (int m = 0; m < members; m++) s += row[m * outputs + c];
                        dst[c] = (float)(s / members);
                    }
                    break;
                case EnsembleCombination.LogMeanExp:
                    for (int c = 0; c < outputs; c++)
                        dst[c] = (float)(LogSumExp(row, c, outputs, members, static z => z) - Math.Log(members));
                    break;
                case EnsembleCombination.BinaryLogit:
                    // logit(mean σ(z)) = log Σ σ(z_m) − log Σ σ(−z_m), with log σ(z) = −softplus(−z).
                    dst[0] = (float)(LogSumExp(row, 0, 1, members, static z => -Softplus(-z))
                                   - LogSumExp(row, 0, 1, members, static z => -Softplus(z)));
                    break;
                default:
                    SoftmaxLogits(row, members, outputs, dst);
                    break;
            }
        }
    }

    private static void SoftmaxLogits(ReadOnlySpan<float> row, int members, int outputs, Span<float> dst)
    {
        Span<double> memberLse = members <= 64 ? stackalloc double[members] : new double[members];
        for (int m = 0; m < members; m++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < outputs; c++) max = Math.Max(max, row[m * outputs + c]);
            double s = 0;
            for (int c = 0; c < outputs; c++) s += Math.Exp(row[m * outputs + c] - max);
            memberLse[m] = max + Math.Log(s);
        }
        for (int c = 0; c < outputs; c++)
        {
            double max = double.NegativeInfinity;
            for (int m = 0; m < members; m++) max = Math.Max(max, row[m * outputs + c] - memberLse[m]);
            double s = 0;
            for (int m = 0; m < members; m++) s += Math.Exp(row[m * outputs + c] - memberLse[m] - max);
            dst[c] = (float)(max + Math.Log(s) - Math.Log(members));
        }
    }

    private static double LogSumExp(ReadOnlySpan<float> row, int c, int outputs, int members, Func<double, double> f)
    {
        double max = double.NegativeInfinity;
        for (int m = 0; m < members; m++) max = Math.Max(max, f(row[m * outputs + c]));
        double s = 0;
        for (int m = 0; m < members; m++) s += Math.Exp(f(row[m * outputs + c]) - max);
        return max + Math.Log(s);
    }

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
}
