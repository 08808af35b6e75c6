using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Ensembles;

/// <summary>
/// The computed form of a folded, block-diagonal ensemble layer for scoring: per member, its outputs' weights over
/// the 8-aligned stretch of the wide input that holds its block (<see cref="BlockRowKernels"/>). Built only when
/// every off-block weight of the folded dense layer is 0 (always so for a trained or loaded ensemble); otherwise the
/// dense layer is used as it is.
/// </summary>
internal sealed class BlockFoldedLayer
{
    private readonly float[] _weights, _bias;
    private readonly int[] _starts, _lengths, _vectorLengths, _offsets;
    private readonly int _inSize, _outSize, _groups;

    private BlockFoldedLayer(FoldedLayer dense, int groups)
    {
        _inSize = dense.InputSize;
        _outSize = dense.OutputSize;
        _groups = groups;
        _bias = dense.Bias;
        int inPer = _inSize / groups, outPer = _outSize / groups;
        int vectorEnd = _inSize - _inSize % 8;   // where RowKernels' scalar tail begins on the dense row
        _starts = new int[groups];
        _lengths = new int[groups];
        _vectorLengths = new int[groups];
        _offsets = new int[groups];
        int total = 0;
        for (int g = 0; g < groups; g++)
        {
            int s = g * inPer, e = s + inPer;
            int c0 = s / 8 * 8, c1 = Math.Max(c0, Math.Min((e + 7) / 8 * 8, vectorEnd));
            _starts[g] = c0;
            _vectorLengths[g] = c1 - c0;
            _lengths[g] = Math.Max(c1, e) - c0;
            _offsets[g] = total;
            total += outPer * _lengths[g];
        }
        _weights = new float[Math.Max(total, 1)];
        for (int g = 0; g < groups; g++)
            for (int o = 0; o < outPer; o++)
                dense.Weights.AsSpan((g * outPer + o) * _inSize + _starts[g], _lengths[g])
                    .CopyTo(_weights.AsSpan(_offsets[g] + o * _lengths[g], _lengths[g]));
    }

    /// <summary>
    /// The block form of each folded layer of a <paramref name="groups"/>-member ensemble: null for the first layer
    /// (dense over the shared input) and for any layer that is not block-diagonal.
    /// </summary>
    public static BlockFoldedLayer?[] For(IReadOnlyList<FoldedLayer> folded, int groups)
    {
        var result = new BlockFoldedLayer?[folded.Count];
        for (int l = 1; l < folded.Count; l++)
        {
            var f = folded[l];
            if (f.InputSize % groups == 0 && f.OutputSize % groups == 0
                && BlockDiagonal.IsBlockDiagonal(f.Weights, f.InputSize, f.OutputSize, groups, out _, out _))
                result[l] = new BlockFoldedLayer(f, groups);
        }
        return result;
    }

    /// <summary>Y[rows × Out] = blockdiag(W')·X + b' per row (before the activation).</summary>
    public void MatMulRows(Span<float> y, ReadOnlySpan<float> x, int rows)
        => BlockRowKernels.MatMulRows(y, _weights, _bias, x, rows, _inSize, _outSize, _groups, _starts, _lengths, _vectorLengths, _offsets);
}
