namespace BnMlNet.Engine.Ensembles;

/// <summary>
/// Converts an ensemble layer between its stored form (the dense wide Out×In matrix of payload v3 and of
/// <see cref="InferenceNetwork.Layers"/>, zeros off the diagonal blocks) and its computed form (only the G blocks of
/// (Out/G)×(In/G), block g at g·(Out/G)·(In/G); see <see cref="Layers.BlockDenseLayer"/>).
/// </summary>
internal static class BlockDiagonal
{
    /// <summary>The dense Out×In matrix whose diagonal blocks are <paramref name="blocks"/> and whose other entries are 0.</summary>
    public static float[] ToDense(ReadOnlySpan<float> blocks, int inSize, int outSize, int groups)
    {
        int inPer = inSize / groups, outPer = outSize / groups;
        var dense = new float[inSize * outSize];
        for (int g = 0; g < groups; g++)
            for (int o = 0; o < outPer; o++)
                blocks.Slice((g * outPer + o) * inPer, inPer).CopyTo(dense.AsSpan((g * outPer + o) * inSize + g * inPer, inPer));
        return dense;
    }

    /// <summary>
    /// Copies the diagonal blocks of the dense Out×In <paramref name="dense"/> into <paramref name="blocks"/>; throws
    /// <see cref="ArgumentException"/> naming <paramref name="what"/> and the entry when an off-block weight is not 0
    /// (such a matrix mixes the members and has no block form).
    /// </summary>
    public static void FromDense(IReadOnlyList<float> dense, Span<float> blocks, int inSize, int outSize, int groups, string what)
    {
        if (!IsBlockDiagonal(dense, inSize, outSize, groups, out int row, out int column))
            throw new ArgumentException($"{what}: weight [{row},{column}] is {dense[row * inSize + column]}, but an ensemble's layer must be 0 off its members' blocks.");
        int inPer = inSize / groups, outPer = outSize / groups;
        for (int o = 0; o < outSize; o++)
        {
            int g = o / outPer;
            for (int i = 0; i < inPer; i++) blocks[o * inPer + i] = dense[o * inSize + g * inPer + i];
        }
    }

    /// <summary>Whether every weight of the dense Out×In matrix outside the G diagonal blocks is 0 (the first offender otherwise).</summary>
    public static bool IsBlockDiagonal(IReadOnlyList<float> dense, int inSize, int outSize, int groups, out int row, out int column)
    {
        int inPer = inSize / groups, outPer = outSize / groups;
        for (row = 0; row < outSize; row++)
        {
            int g = row / outPer;
            for (column = 0; column < inSize; column++)
                if (column / inPer != g && dense[row * inSize + column] != 0f) return false;
        }
        row = column = -1;
        return true;
    }
}
