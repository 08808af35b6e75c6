using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// Where the categorical embedding's blocks sit in its input u [rows×<see cref="InputWidth"/>] (the first dense layer's
/// input without it) and where its output o [rows×<see cref="OutputWidth"/>] puts them: block b's d values at
/// b·d … b·d + d − 1 (blocks in order), then every position of u outside the blocks, ascending.
/// The table holds E_b [levels_b×d] row-major, block after block (block b from <see cref="TableOffset"/>[b]).
/// </summary>
internal sealed class CategoricalLayout
{
    public CategoricalLayout(int inputWidth, int[] starts, int[] levels, int dimension)
    {
        InputWidth = inputWidth;
        Starts = starts;
        Levels = levels;
        Dimension = dimension;
        TableOffset = new int[starts.Length];
        var inBlock = new bool[inputWidth];
        for (int b = 0, at = 0; b < starts.Length; b++)
        {
            TableOffset[b] = at;
            at += levels[b] * dimension;
            TableSize = at;
            for (int j = 0; j < levels[b]; j++) inBlock[starts[b] + j] = true;
        }
        PassThrough = Enumerable.Range(0, inputWidth).Where(i => !inBlock[i]).ToArray();
        PaddedLevels = levels.Select(l => (l + 15) / 16 * 16).ToArray();
        TransposedOffset = new int[starts.Length];
        for (int b = 0, at = 0; b < starts.Length; b++)
        {
            TransposedOffset[b] = at;
            at += PaddedLevels[b] * dimension;
            TransposedSize = at;
        }
    }

    public int InputWidth { get; }
    public int[] Starts { get; }
    public int[] Levels { get; }
    public int Dimension { get; }
    public int[] TableOffset { get; }
    public int TableSize { get; }
    /// <summary>Positions of u outside every block, ascending (after the blocks in the output).</summary>
    public int[] PassThrough { get; }
    /// <summary>Each block's level count rounded up to a multiple of 16 (the transposed table's row length, <see cref="CategoricalEmbeddingVector"/>).</summary>
    public int[] PaddedLevels { get; }
    /// <summary>Where block b's Eᵀ [d×<see cref="PaddedLevels"/>[b]] starts in the transposed table.</summary>
    public int[] TransposedOffset { get; }
    /// <summary>Σ_b d·<see cref="PaddedLevels"/>[b].</summary>
    public int TransposedSize { get; }
    /// <summary>blocks·d + pass-through count.</summary>
    public int OutputWidth => Starts.Length * Dimension + PassThrough.Length;
}

/// <summary>
/// The categorical embedding as a forward/backward pair over flat buffers: o_b = u_block·E_b ∈ ℝᵈ for each block,
/// then the pass-through positions of u (<see cref="CategoricalLayout"/>). Linear, so for a one-hot block it is the
/// lookup of the hot level's row and for an all-zero block 0. One thread: its cost, rows·Σlevels·d, is small beside
/// the first dense layer's; every sum runs in a fixed order, so the bits never depend on the thread count.
/// <see cref="Forward"/> and <see cref="Backward"/> run the vector kernels (<see cref="CategoricalEmbeddingVector"/>,
/// the same bits) unless <see cref="ReferencePaths.Enabled"/> or the hardware has no 256-bit vectors; the scalar
/// loops below them are the reference.
/// </summary>
internal static class CategoricalEmbeddingLayer
{
    /// <summary>o [rows×OutputWidth] from u [rows×InputWidth] and the table E.</summary>
    public static void Forward(Span<float> o, ReadOnlySpan<float> u, ReadOnlySpan<float> table, CategoricalLayout layout, int rows)
    {
        if (!ReferencePaths.Enabled && !ReferencePaths.CategoricalEmbedding && CategoricalEmbeddingVector.CanForward(table, layout))
            CategoricalEmbeddingVector.Forward(o, u, table, layout, rows);
        else
            ForwardReference(o, u, table, layout, rows);
    }

    /// <summary>
    /// From dO [rows×OutputWidth]: ∂E_b[j, k] = Σ_r u[r, start_b + j]·dO[r, b·d + k] (overwritten, rows in order);
    /// when <paramref name="du"/> is not empty, ∂u[r, start_b + j] = Σ_k E_b[j, k]·dO[r, b·d + k] and the pass-through
    /// positions get their part of dO.
    /// </summary>
    public static void Backward(Span<float> du, Span<float> dTable, ReadOnlySpan<float> dO, ReadOnlySpan<float> u,
        ReadOnlySpan<float> table, CategoricalLayout layout, int rows)
    {
        if (!ReferencePaths.Enabled && !ReferencePaths.CategoricalEmbedding && CategoricalEmbeddingVector.IsSupported)
            CategoricalEmbeddingVector.Backward(du, dTable, dO, u, table, layout, rows);
        else
            BackwardReference(du, dTable, dO, u, table, layout, rows);
    }

    /// <summary>The scalar forward pass <see cref="Forward"/> replaced: o_b[k] = Σ_j u[start_b + j]·E_b[j, k], j ascending, zero inputs skipped.</summary>
    internal static void ForwardReference(Span<float> o, ReadOnlySpan<float> u, ReadOnlySpan<float> table, CategoricalLayout layout, int rows)
    {
        int d = layout.Dimension, nb = layout.Starts.Length, w = layout.InputWidth, ow = layout.OutputWidth;
        var pass = layout.PassThrough;
        for (int r = 0; r < rows; r++)
        {
            var ur = u.Slice(r * w, w);
            var or = o.Slice(r * ow, ow);
            for (int b = 0; b < nb; b++)
            {
                var ob = or.Slice(b * d, d);
                ob.Clear();
                int start = layout.Starts[b], off = layout.TableOffset[b];
                for (int j = 0; j < layout.Levels[b]; j++)
                {
                    float x = ur[start + j];
                    if (x == 0f) continue;   // a one-hot row touches one level; 0·E adds nothing
                    var e = table.Slice(off + j * d, d);
                    for (int k = 0; k < d; k++) ob[k] += x * e[k];
                }
            }
            for (int p = 0; p < pass.Length; p++) or[nb * d + p] = ur[pass[p]];
        }
    }

    /// <summary>The scalar backward pass <see cref="Backward"/> replaced (rows ascending for ∂E, k ascending for ∂u, zero inputs skipped in ∂E).</summary>
    internal static void BackwardReference(Span<float> du, Span<float> dTable, ReadOnlySpan<float> dO, ReadOnlySpan<float> u,
        ReadOnlySpan<float> table, CategoricalLayout layout, int rows)
    {
        int d = layout.Dimension, nb = layout.Starts.Length, w = layout.InputWidth, ow = layout.OutputWidth;
        var pass = layout.PassThrough;
        dTable.Clear();
        for (int r = 0; r < rows; r++)
        {
            var ur = u.Slice(r * w, w);
            var dor = dO.Slice(r * ow, ow);
            for (int b = 0; b < nb; b++)
            {
                var g = dor.Slice(b * d, d);
                int start = layout.Starts[b], off = layout.TableOffset[b];
                for (int j = 0; j < layout.Levels[b]; j++)
                {
                    float x = ur[start + j];
                    var e = table.Slice(off + j * d, d);
                    if (x != 0f)
                    {
                        var de = dTable.Slice(off + j * d, d);
                        for (int k = 0; k < d; k++) de[k] += x * g[k];
                    }
                    if (du.IsEmpty) continue;
                    float acc = 0f;
                    for (int k = 0; k < d; k++) acc += e[k] * g[k];
                    du[r * w + start + j] = acc;
                }
            }
            if (du.IsEmpty) continue;
            for (int p = 0; p < pass.Length; p++) du[r * w + pass[p]] = dor[nb * d + p];
        }
    }

    /// <summary>
    /// Folds the embedding into the dense layer after it: W [out×OutputWidth] → W' [out×InputWidth] with
    /// W'[o, start_b + j] = Σ_k W[o, b·d + k]·E_b[j, k] (in double) and the pass-through columns moved back to their
    /// positions, so that W'·u = W·o for every u.
    /// </summary>
    public static float[] FoldInto(ReadOnlySpan<float> weights, int outputs, ReadOnlySpan<float> table, CategoricalLayout layout)
    {
        int d = layout.Dimension, nb = layout.Starts.Length, w = layout.InputWidth, ow = layout.OutputWidth;
        var folded = new float[outputs * w];
        for (int o = 0; o < outputs; o++)
        {
            var src = weights.Slice(o * ow, ow);
            var dst = folded.AsSpan(o * w, w);
            for (int b = 0; b < nb; b++)
                for (int j = 0; j < layout.Levels[b]; j++)
                {
                    var e = table.Slice(layout.TableOffset[b] + j * d, d);
                    double acc = 0;
                    for (int k = 0; k < d; k++) acc += (double)src[b * d + k] * e[k];
                    dst[layout.Starts[b] + j] = (float)acc;
                }
            for (int p = 0; p < layout.PassThrough.Length; p++) dst[layout.PassThrough[p]] = src[nb * d + p];
        }
        return folded;
    }
}
