using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BnMlNet.Engine.Layers;

// The backward pass: ∂E (eight positions per vector, rows in order) and ∂u (levels per vector through Eᵀ).
internal static partial class CategoricalEmbeddingVector
{
    /// <summary>The backward pass of <see cref="CategoricalEmbeddingLayer.Backward"/>, same arguments, same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(Span<float> du, Span<float> dTable, ReadOnlySpan<float> dO, ReadOnlySpan<float> u,
        ReadOnlySpan<float> table, CategoricalLayout layout, int rows)
    {
        int d = layout.Dimension, nb = layout.Starts.Length, w = layout.InputWidth, ow = layout.OutputWidth;
        if (u.Length < rows * w || dO.Length < rows * ow || table.Length < layout.TableSize || dTable.Length < layout.TableSize
            || (!du.IsEmpty && du.Length < rows * w))
            throw new ArgumentException("A buffer is shorter than rows × its width.");
        dTable[..layout.TableSize].Clear();
        ref float U = ref MemoryMarshal.GetReference(u);
        ref float G = ref MemoryMarshal.GetReference(dO);
        ref float DT = ref MemoryMarshal.GetReference(dTable);
        int r = 0;
        if (d == Lanes)
            for (; r + 4 <= rows; r += 4)
                for (int b = 0; b < nb; b++)
                    TableGradient4(ref U, ref G, ref DT, r, w, ow, layout.Starts[b], layout.Levels[b], layout.TableOffset[b], b * d);
        for (; r < rows; r++)
            for (int b = 0; b < nb; b++)
                TableGradient(ref U, ref G, ref DT, r, w, ow, layout.Starts[b], layout.Levels[b], layout.TableOffset[b], b * d, d);
        if (du.IsEmpty) return;
        InputGradient(du, dO, table, layout, rows);
    }

    /// <summary>
    /// <see cref="TableGradient"/> for rows r … r + 3 of one block with d = 8: each level's row of ∂E is loaded once and
    /// gets the four rows' products in row order (nonzero inputs only), then stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TableGradient4(ref float U, ref float G, ref float DT, int r, int w, int ow, int start, int levels, int off, int at)
    {
        int u0 = r * w + start, g0 = r * ow + at;
        var g0v = Vector256.LoadUnsafe(ref G, (nuint)g0);
        var g1v = Vector256.LoadUnsafe(ref G, (nuint)(g0 + ow));
        var g2v = Vector256.LoadUnsafe(ref G, (nuint)(g0 + 2 * ow));
        var g3v = Vector256.LoadUnsafe(ref G, (nuint)(g0 + 3 * ow));
        for (int j = 0; j < levels; j++)
        {
            float x0 = Unsafe.Add(ref U, u0 + j), x1 = Unsafe.Add(ref U, u0 + w + j);
            float x2 = Unsafe.Add(ref U, u0 + 2 * w + j), x3 = Unsafe.Add(ref U, u0 + 3 * w + j);
            ref float de = ref Unsafe.Add(ref DT, off + j * Lanes);
            var e = Vector256.LoadUnsafe(ref de);
            if (x0 != 0f) e += Vector256.Create(x0) * g0v;
            if (x1 != 0f) e += Vector256.Create(x1) * g1v;
            if (x2 != 0f) e += Vector256.Create(x2) * g2v;
            if (x3 != 0f) e += Vector256.Create(x3) * g3v;
            e.StoreUnsafe(ref de);
        }
    }

    /// <summary>∂E[off + j·d + k] += u[r, start + j]·dO[r, at + k] for one row and block (nonzero inputs only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TableGradient(ref float U, ref float G, ref float DT, int r, int w, int ow, int start, int levels, int off, int at, int d)
    {
        int u0 = r * w + start, g0 = r * ow + at;
        int vectorEnd = d - d % Lanes;
        for (int j = 0; j < levels; j++)
        {
            float x = Unsafe.Add(ref U, u0 + j);
            if (x == 0f) continue;
            var xv = Vector256.Create(x);
            int e0 = off + j * d;
            int k = 0;
            for (; k < vectorEnd; k += Lanes)
            {
                ref float de = ref Unsafe.Add(ref DT, e0 + k);
                (Vector256.LoadUnsafe(ref de) + xv * Vector256.LoadUnsafe(ref G, (nuint)(g0 + k))).StoreUnsafe(ref de);
            }
            for (; k < d; k++) Unsafe.Add(ref DT, e0 + k) += x * Unsafe.Add(ref G, g0 + k);
        }
    }

    /// <summary>
    /// One row and block of ∂u with d = 8 on 512-bit vectors: the eight dO values broadcast once, then sixteen levels per
    /// vector, each lane ((0 + Eᵀ[0]·g₀) + Eᵀ[1]·g₁) + … + Eᵀ[7]·g₇, k in order as the reference sums it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient512(ref float TT, ref float G, ref float DU, Span<float> du, Span<float> tail, int t0, int pb,
        int g0, int u0, int levels)
    {
        var g0v = Vector512.Create(Unsafe.Add(ref G, g0));
        var g1v = Vector512.Create(Unsafe.Add(ref G, g0 + 1));
        var g2v = Vector512.Create(Unsafe.Add(ref G, g0 + 2));
        var g3v = Vector512.Create(Unsafe.Add(ref G, g0 + 3));
        var g4v = Vector512.Create(Unsafe.Add(ref G, g0 + 4));
        var g5v = Vector512.Create(Unsafe.Add(ref G, g0 + 5));
        var g6v = Vector512.Create(Unsafe.Add(ref G, g0 + 6));
        var g7v = Vector512.Create(Unsafe.Add(ref G, g0 + 7));
        for (int j = 0; j < levels; j += 16)
        {
            ref float t = ref Unsafe.Add(ref TT, t0 + j);
            var a = Vector512<float>.Zero + Vector512.LoadUnsafe(ref t) * g0v;
            a += Vector512.LoadUnsafe(ref t, (nuint)pb) * g1v;
            a += Vector512.LoadUnsafe(ref t, (nuint)(2 * pb)) * g2v;
            a += Vector512.LoadUnsafe(ref t, (nuint)(3 * pb)) * g3v;
            a += Vector512.LoadUnsafe(ref t, (nuint)(4 * pb)) * g4v;
            a += Vector512.LoadUnsafe(ref t, (nuint)(5 * pb)) * g5v;
            a += Vector512.LoadUnsafe(ref t, (nuint)(6 * pb)) * g6v;
            a += Vector512.LoadUnsafe(ref t, (nuint)(7 * pb)) * g7v;
            if (j + 16 <= levels)
                a.StoreUnsafe(ref DU, (nuint)(u0 + j));
            else
            {
                a.StoreUnsafe(ref MemoryMarshal.GetReference(tail));
                tail[..(levels - j)].CopyTo(du.Slice(u0 + j, levels - j));
            }
        }
    }

    /// <summary>∂u from Eᵀ: eight levels per vector, each lane Σ_k E[j, k]·dO[r, at + k] in k order; then the pass-through.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient(Span<float> du, ReadOnlySpan<float> dO, ReadOnlySpan<float> table, CategoricalLayout layout, int rows)
    {
        int d = layout.Dimension, nb = layout.Starts.Length, w = layout.InputWidth, ow = layout.OutputWidth;
        // Eᵀ per block: row k holds E[0 … padded − 1, k], the levels past the block's count 0.
        int[] padded = layout.PaddedLevels, tOffset = layout.TransposedOffset;
        int size = layout.TransposedSize;
        float[] transposed = ArrayPool<float>.Shared.Rent(size);
        try
        {
            var tt = transposed.AsSpan(0, size);
            tt.Clear();
            for (int b = 0; b < nb; b++)
                for (int j = 0; j < layout.Levels[b]; j++)
                    for (int k = 0; k < d; k++)
                        tt[tOffset[b] + k * padded[b] + j] = table[layout.TableOffset[b] + j * d + k];
            ref float TT = ref MemoryMarshal.GetArrayDataReference(transposed);
            ref float G = ref MemoryMarshal.GetReference(dO);
            ref float DU = ref MemoryMarshal.GetReference(du);
            Span<float> tail = stackalloc float[Lanes];
            Span<float> tail16 = stackalloc float[2 * Lanes];
            bool wide = d == Lanes && Vector512.IsHardwareAccelerated;
            var pass = layout.PassThrough;
            for (int r = 0; r < rows; r++)
            {
                for (int b = 0; b < nb; b++)
                {
                    int levels = layout.Levels[b], pb = padded[b], t0 = tOffset[b];
                    int g0 = r * ow + b * d, u0 = r * w + layout.Starts[b];
                    if (wide)
                    {
                        InputGradient512(ref TT, ref G, ref DU, du, tail16, t0, pb, g0, u0, levels);
                        continue;
                    }
                    int j = 0;
                    for (; j + 2 * Lanes <= levels; j += 2 * Lanes)
                    {
                        Vector256<float> a = Vector256<float>.Zero, c = a;
                        for (int k = 0; k < d; k++)
                        {
                            var g = Vector256.Create(Unsafe.Add(ref G, g0 + k));
                            int t = t0 + k * pb + j;
                            a += Vector256.LoadUnsafe(ref TT, (nuint)t) * g;
                            c += Vector256.LoadUnsafe(ref TT, (nuint)(t + Lanes)) * g;
                        }
                        a.StoreUnsafe(ref DU, (nuint)(u0 + j));
                        c.StoreUnsafe(ref DU, (nuint)(u0 + j + Lanes));
                    }
                    for (; j < levels; j += Lanes)
                    {
                        var a = Vector256<float>.Zero;
                        for (int k = 0; k < d; k++)
                            a += Vector256.LoadUnsafe(ref TT, (nuint)(t0 + k * pb + j)) * Vector256.Create(Unsafe.Add(ref G, g0 + k));
                        if (j + Lanes <= levels)
                            a.StoreUnsafe(ref DU, (nuint)(u0 + j));
                        else
                        {
                            a.CopyTo(tail);
                            tail[..(levels - j)].CopyTo(du.Slice(u0 + j, levels - j));
                        }
                    }
                }
                int gp = r * ow + nb * d, ur = r * w;
                for (int p = 0; p < pass.Length; p++) Unsafe.Add(ref DU, ur + pass[p]) = Unsafe.Add(ref G, gp + p);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(transposed);
        }
    }
}
