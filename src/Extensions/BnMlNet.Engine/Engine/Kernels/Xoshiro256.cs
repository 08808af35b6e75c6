using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018), seeded through SplitMix64: a small, fast generator whose sequence
/// depends only on the seed, on every platform and runtime version. Used for initialization and dropout masks.
/// </summary>
internal sealed partial class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the four state words with SplitMix64(seed), which never yields the all-zero state.</summary>
    public Xoshiro256(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// Makes this generator's state that of <paramref name="source"/> after <paramref name="stepsAhead"/> more draws
    /// (<see cref="XoshiroJump"/>), without drawing them; <paramref name="source"/> is unchanged.
    /// </summary>
    public void SetToJumped(Xoshiro256 source, long stepsAhead)
    {
        ArgumentNullException.ThrowIfNull(source);
        ulong s0 = source._s0, s1 = source._s1, s2 = source._s2, s3 = source._s3;
        XoshiroJump.Advance(ref s0, ref s1, ref s2, ref s3, stepsAhead);
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Whether both generators are in the same state (their next draws are the same).</summary>
    internal bool SameState(Xoshiro256 other) =>
        _s0 == other._s0 && _s1 == other._s1 && _s2 == other._s2 && _s3 == other._s3;

    /// <summary>SplitMix64 step: x += golden gamma, then two xor-shift-multiply rounds.</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits: rotl(s1·5, 7)·9, then the xoshiro state transition.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Standard normal by Box–Muller: √(−2 ln u₁)·cos(2π u₂), u₁ ∈ (0, 1].</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>
    /// mask[i] = NextSingle() ≥ <paramref name="rate"/> ? <paramref name="keep"/> : 0 for every i, in order: the same
    /// draws and values as that loop, with the state held in registers. NextSingle() = k·2⁻²⁴ for the integer
    /// k = bits ≫ 40 is exact, so the comparison is k ≥ ⌈rate·2²⁴⌉ on integers.
    /// </summary>
    public void FillMask(Span<float> mask, float rate, float keep)
    {
        if (ReferencePaths.Enabled)
        {
            FillMaskReference(mask, rate, keep);
            return;
        }
        if (StreamsSupported && mask.Length >= StreamsMinimum && !ReferencePaths.DropoutStreams)
        {
            FillMaskStreams(mask, rate, keep);
            return;
        }
        if (Vector512.IsHardwareAccelerated && mask.Length >= 16)
        {
            FillMaskVector(mask, rate, keep);
            return;
        }
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        long threshold = (long)Math.Ceiling(rate * (double)(1 << 24));
        uint keepBits = BitConverter.SingleToUInt32Bits(keep);
        for (int i = 0; i < mask.Length; i++)
        {
            ulong result = RotateLeft(s1 * 5, 7) * 9;
            ulong t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = RotateLeft(s3, 45);
            // Branch-free select: (k − threshold) ≫ 63 is all ones exactly when k < threshold (drop: the bits of +0).
            long drop = ((long)(result >> 40) - threshold) >> 63;
            mask[i] = BitConverter.UInt32BitsToSingle(keepBits & ~(uint)drop);
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>
    /// <see cref="FillMask"/> in two phases per chunk of up to 256 draws: the state transition alone (the serial part),
    /// keeping each draw's s1; then the output function rotl(s1·5, 7)·9, the comparison and the select in 8-lane vectors
    /// (·5 and ·9 as shift-adds: the same wrapping products).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]   // the chunk buffer is written before it is read: no zeroing per call
    private void FillMaskVector(Span<float> mask, float rate, float keep)
    {
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        ulong threshold = (ulong)Math.Ceiling(rate * (double)(1 << 24));
        var vThreshold = Vector512.Create(threshold);
        var vKeep = Vector512.Create((ulong)BitConverter.SingleToUInt32Bits(keep));
        Span<ulong> raw = stackalloc ulong[256];
        ref ulong r0 = ref MemoryMarshal.GetReference(raw);
        for (int start = 0; start < mask.Length; start += 256)
        {
            int len = Math.Min(256, mask.Length - start);
            for (int j = 0; j < len; j++)
            {
                Unsafe.Add(ref r0, j) = s1;
                ulong t = s1 << 17;
                s2 ^= s0;
                s3 ^= s1;
                s1 ^= s2;
                s0 ^= s3;
                s2 ^= t;
                s3 = RotateLeft(s3, 45);
            }
            ref float m0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(mask), start);
            int i = 0;
            for (; i + 16 <= len; i += 16)
            {
                var lo = Output(Vector512.LoadUnsafe(ref r0, (nuint)i), vThreshold, vKeep);
                var hi = Output(Vector512.LoadUnsafe(ref r0, (nuint)(i + 8)), vThreshold, vKeep);
                Vector512.Narrow(lo, hi).AsSingle().StoreUnsafe(ref m0, (nuint)i);
            }
            for (; i < len; i++)
                Unsafe.Add(ref m0, i) = (RotateLeft(Unsafe.Add(ref r0, i) * 5, 7) * 9 >> 40) >= threshold ? keep : 0f;
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Per lane: rotl(s·5, 7)·9 ≫ 40 ≥ threshold ? the keep value's bits : 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Output(Vector512<ulong> s, Vector512<ulong> threshold, Vector512<ulong> keepBits)
    {
        var x = s + Vector512.ShiftLeft(s, 2);                                  // s·5
        x = Vector512.ShiftLeft(x, 7) | Vector512.ShiftRightLogical(x, 57);     // rotl(·, 7)
        x += Vector512.ShiftLeft(x, 3);                                         // ·9
        return Vector512.GreaterThanOrEqual(Vector512.ShiftRightLogical(x, 40), threshold) & keepBits;
    }

    /// <summary><see cref="FillMask"/> as the plain loop with a conditional (the reference path).</summary>
    private void FillMaskReference(Span<float> mask, float rate, float keep)
    {
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        ulong threshold = (ulong)Math.Ceiling(rate * (double)(1 << 24));
        for (int i = 0; i < mask.Length; i++)
        {
            ulong result = RotateLeft(s1 * 5, 7) * 9;
            ulong t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = RotateLeft(s3, 45);
            mask[i] = (result >> 40) >= threshold ? keep : 0f;
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    internal static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
