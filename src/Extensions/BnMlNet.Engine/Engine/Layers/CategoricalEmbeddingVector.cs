using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// The categorical embedding's passes (<see cref="CategoricalEmbeddingLayer"/>) on 256-bit vectors, giving the bits of
/// the scalar reference: every output element is the same sequence of float multiplies and adds (a separate multiply
/// then an add, never fused), in the same order; only independent elements share a vector.
/// <list type="bullet">
/// <item>Forward: eight embedding positions k per vector, levels j in order, eight rows at a time (independent chains).
/// A zero input is not skipped but its product added: with a finite table it is ±0, and an accumulator that starts at
/// +0 is never −0 (round to nearest gives −0 only for −0 + −0), so adding ±0 leaves its bits as they were. Hence
/// <see cref="CanForward"/>: only for an all-finite table (0·∞ would be NaN where the reference skips).</item>
/// <item>∂E: eight positions k per vector, rows in order (with d = 8 four rows per load and store of a level's row), a
/// zero input skipped as in the reference.</item>
/// <item>∂u: eight levels j per vector (sixteen with d = 8 on 512-bit hardware) through a transposed copy of the table
/// (Eᵀ, levels padded to a multiple of 16), so each lane sums its k = 0 … d − 1 in order from +0, as the reference
/// does for one level.</item>
/// </list>
/// </summary>
internal static partial class CategoricalEmbeddingVector
{
    private const int Lanes = 8;

    /// <summary>Whether the hardware runs 256-bit float vectors natively.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>Whether <see cref="Forward"/> gives the reference's bits for this table: vectors, and every entry finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool CanForward(ReadOnlySpan<float> table, CategoricalLayout layout)
    {
        if (!IsSupported) return false;
        var t = table[..layout.TableSize];
        int i = 0;
        var bad = Vector256<float>.Zero;
        for (; i + Lanes <= t.Length; i += Lanes)
        {
            var v = Vector256.Create(t.Slice(i, Lanes));
            bad |= Vector256.Equals(v - v, Vector256<float>.Zero) ^ Vector256<float>.AllBitsSet;   // v − v is NaN for ±∞ and NaN
        }
        if (bad != Vector256<float>.Zero) return false;
        for (; i < t.Length; i++)
            if (!float.IsFinite(t[i])) return false;
        return true;
    }

    /// <summary>o [rows×OutputWidth] from u [rows×InputWidth] and an all-finite table (<see cref="CanForward"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> o, ReadOnlySpan<float> u, ReadOnlySpan<float> table, CategoricalLayout layout, int rows)
    {
        int d = layout.Dimension, nb = layout.Starts.Length, w = layout.InputWidth, ow = layout.OutputWidth;
        if (u.Length < rows * w || o.Length < rows * ow || table.Length < layout.TableSize)
            throw new ArgumentException("A buffer is shorter than rows × its width.");
        ref float U = ref MemoryMarshal.GetReference(u);
        ref float O = ref MemoryMarshal.GetReference(o);
        ref float T = ref MemoryMarshal.GetReference(table);
        var pass = layout.PassThrough;
        int r = 0;
        for (; r + 8 <= rows; r += 8)
            for (int b = 0; b < nb; b++)
                ForwardBlock8(ref U, ref O, ref T, r, w, ow, layout.Starts[b], layout.Levels[b], layout.TableOffset[b], b * d, d);
        for (; r + 4 <= rows; r += 4)
            for (int b = 0; b < nb; b++)
                ForwardBlock4(ref U, ref O, ref T, r, w, ow, layout.Starts[b], layout.Levels[b], layout.TableOffset[b], b * d, d);
        for (; r < rows; r++)
            for (int b = 0; b < nb; b++)
                ForwardBlock1(ref U, ref O, ref T, r, w, ow, layout.Starts[b], layout.Levels[b], layout.TableOffset[b], b * d, d);
        for (r = 0; r < rows; r++)
        {
            int ui = r * w, oi = r * ow + nb * d;
            for (int p = 0; p < pass.Length; p++) Unsafe.Add(ref O, oi + p) = Unsafe.Add(ref U, ui + pass[p]);
        }
    }

    /// <summary>One block of rows r … r + 7 (eight independent accumulators: the adds' latency is hidden), as <see cref="ForwardBlock4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlock8(ref float U, ref float O, ref float T, int r, int w, int ow, int start, int levels, int off, int at, int d)
    {
        ref float u0 = ref Unsafe.Add(ref U, r * w + start);
        int k = 0;
        for (; k + Lanes <= d; k += Lanes)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int j = 0; j < levels; j++)
            {
                var e = Vector256.LoadUnsafe(ref T, (nuint)(off + j * d + k));
                ref float x = ref Unsafe.Add(ref u0, j);
                a0 += Vector256.Create(x) * e;
                a1 += Vector256.Create(Unsafe.Add(ref x, w)) * e;
                a2 += Vector256.Create(Unsafe.Add(ref x, 2 * w)) * e;
                a3 += Vector256.Create(Unsafe.Add(ref x, 3 * w)) * e;
                a4 += Vector256.Create(Unsafe.Add(ref x, 4 * w)) * e;
                a5 += Vector256.Create(Unsafe.Add(ref x, 5 * w)) * e;
                a6 += Vector256.Create(Unsafe.Add(ref x, 6 * w)) * e;
                a7 += Vector256.Create(Unsafe.Add(ref x, 7 * w)) * e;
            }
            ref float o = ref Unsafe.Add(ref O, r * ow + at + k);
            a0.StoreUnsafe(ref o);
            a1.StoreUnsafe(ref o, (nuint)ow);
            a2.StoreUnsafe(ref o, (nuint)(2 * ow));
            a3.StoreUnsafe(ref o, (nuint)(3 * ow));
            a4.StoreUnsafe(ref o, (nuint)(4 * ow));
            a5.StoreUnsafe(ref o, (nuint)(5 * ow));
            a6.StoreUnsafe(ref o, (nuint)(6 * ow));
            a7.StoreUnsafe(ref o, (nuint)(7 * ow));
        }
        for (; k < d; k++)
            for (int i = 0; i < 8; i++) ForwardScalar(ref U, ref O, ref T, r + i, w, ow, start, levels, off, at, d, k);
    }

    /// <summary>One block of rows r … r + 3: o[·, at + k] = Σ_j u[·, start + j]·E[off + j·d + k], j ascending from +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlock4(ref float U, ref float O, ref float T, int r, int w, int ow, int start, int levels, int off, int at, int d)
    {
        int u0 = r * w + start, u1 = u0 + w, u2 = u1 + w, u3 = u2 + w;
        int k = 0;
        for (; k + Lanes <= d; k += Lanes)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < levels; j++)
            {
                var e = Vector256.LoadUnsafe(ref T, (nuint)(off + j * d + k));
                a0 += Vector256.Create(Unsafe.Add(ref U, u0 + j)) * e;
                a1 += Vector256.Create(Unsafe.Add(ref U, u1 + j)) * e;
                a2 += Vector256.Create(Unsafe.Add(ref U, u2 + j)) * e;
                a3 += Vector256.Create(Unsafe.Add(ref U, u3 + j)) * e;
            }
            int o0 = r * ow + at + k;
            a0.StoreUnsafe(ref O, (nuint)o0);
            a1.StoreUnsafe(ref O, (nuint)(o0 + ow));
            a2.StoreUnsafe(ref O, (nuint)(o0 + 2 * ow));
            a3.StoreUnsafe(ref O, (nuint)(o0 + 3 * ow));
        }
        for (; k < d; k++)
            for (int i = 0; i < 4; i++) ForwardScalar(ref U, ref O, ref T, r + i, w, ow, start, levels, off, at, d, k);
    }

    /// <summary>One block of one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlock1(ref float U, ref float O, ref float T, int r, int w, int ow, int start, int levels, int off, int at, int d)
    {
        int u0 = r * w + start;
        int k = 0;
        for (; k + Lanes <= d; k += Lanes)
        {
            var a = Vector256<float>.Zero;
            for (int j = 0; j < levels; j++)
                a += Vector256.Create(Unsafe.Add(ref U, u0 + j)) * Vector256.LoadUnsafe(ref T, (nuint)(off + j * d + k));
            a.StoreUnsafe(ref O, (nuint)(r * ow + at + k));
        }
        for (; k < d; k++) ForwardScalar(ref U, ref O, ref T, r, w, ow, start, levels, off, at, d, k);
    }

    /// <summary>One output element as the reference computes it (zero inputs skipped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardScalar(ref float U, ref float O, ref float T, int r, int w, int ow, int start, int levels, int off, int at, int d, int k)
    {
        float acc = 0f;
        int u0 = r * w + start;
        for (int j = 0; j < levels; j++)
        {
            float x = Unsafe.Add(ref U, u0 + j);
            if (x == 0f) continue;
            acc += x * Unsafe.Add(ref T, off + j * d + k);
        }
        Unsafe.Add(ref O, r * ow + at + k) = acc;
    }
}
