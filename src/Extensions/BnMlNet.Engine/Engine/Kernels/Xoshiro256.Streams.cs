using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

// The dropout mask drawn as eight stretches of the one sequence at once.
internal sealed partial class Xoshiro256
{
    /// <summary>Stretches drawn side by side: one per 64-bit lane of a 512-bit vector.</summary>
    private const int Streams = 8;

    /// <summary>
    /// Masks of at least this many draws go through <see cref="FillMaskStreams"/>: seven jumps (≈ 256 masked xors of four
    /// words each) cost about as much as a thousand serial draws.
    /// </summary>
    internal const int StreamsMinimum = 8192;

    /// <summary>Whether <see cref="FillMaskStreams"/> can run (AVX-512F: 64-bit lanes, rotations, the narrowing move).</summary>
    internal static bool StreamsSupported => Avx512F.IsSupported;

    /// <summary>
    /// <see cref="FillMask"/> with the draws split into eight consecutive stretches of the same sequence: stretch i is
    /// draws [i·L, (i + 1)·L) (L a multiple of 8; the last stretch shorter), its start state made by jumping
    /// (<see cref="XoshiroJump"/>, exact), and the eight state transitions run in the lanes of one vector, step by step;
    /// every draw's value, comparison and select are those of the serial loop, so the mask is the same bits. Each eight
    /// steps' outputs (8 steps × 8 stretches) are transposed so that every stretch's eight consecutive values are
    /// stored together. The generator ends in the state after all the draws: the last stretch's after its last step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private void FillMaskStreams(Span<float> mask, float rate, float keep)
    {
        int n = mask.Length;
        int stretch = ((n + Streams - 1) / Streams + 7) & ~7;   // ≥ n/8, a multiple of 8
        int last = n - (Streams - 1) * stretch;                  // the last stretch's draws: 1 … stretch (n ≥ 448)
        Span<ulong> start = stackalloc ulong[4 * Streams];
        ulong a0 = _s0, a1 = _s1, a2 = _s2, a3 = _s3;
        for (int i = 0; i < Streams; i++)
        {
            if (i > 0) XoshiroJump.Advance(ref a0, ref a1, ref a2, ref a3, stretch);
            start[i] = a0;
            start[Streams + i] = a1;
            start[2 * Streams + i] = a2;
            start[3 * Streams + i] = a3;
        }
        var s0 = Vector512.Create((ReadOnlySpan<ulong>)start[..Streams]);
        var s1 = Vector512.Create((ReadOnlySpan<ulong>)start.Slice(Streams, Streams));
        var s2 = Vector512.Create((ReadOnlySpan<ulong>)start.Slice(2 * Streams, Streams));
        var s3 = Vector512.Create((ReadOnlySpan<ulong>)start.Slice(3 * Streams, Streams));
        var threshold = Vector512.Create((ulong)Math.Ceiling(rate * (double)(1 << 24)));
        var keepBits = Vector512.Create((ulong)BitConverter.SingleToUInt32Bits(keep));
        ref float m = ref MemoryMarshal.GetReference(mask);
        Span<float> tail = stackalloc float[8];
        Span<float> rows = stackalloc float[64];
        bool ended = false;
        for (int step = 0; step < stretch; step += 8)
        {
            // Eight steps: row t holds draw step + t of every stretch (lane i = stretch i).
            Vector256<float> r0, r1, r2, r3, r4, r5, r6, r7;
            if (step <= last && last <= step + 8)
            {
                // The last stretch ends inside these eight steps or right after them: keep its state at its end.
                for (int t = 0; t < 8; t++)
                {
                    if (step + t == last) { End(s0, s1, s2, s3); ended = true; }
                    Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits).StoreUnsafe(ref MemoryMarshal.GetReference(rows), (nuint)(8 * t));
                }
                if (step + 8 == last) { End(s0, s1, s2, s3); ended = true; }
                r0 = Vector256.Create((ReadOnlySpan<float>)rows[..8]);
                r1 = Vector256.Create((ReadOnlySpan<float>)rows.Slice(8, 8));
                r2 = Vector256.Create((ReadOnlySpan<float>)rows.Slice(16, 8));
                r3 = Vector256.Create((ReadOnlySpan<float>)rows.Slice(24, 8));
                r4 = Vector256.Create((ReadOnlySpan<float>)rows.Slice(32, 8));
                r5 = Vector256.Create((ReadOnlySpan<float>)rows.Slice(40, 8));
                r6 = Vector256.Create((ReadOnlySpan<float>)rows.Slice(48, 8));
                r7 = Vector256.Create((ReadOnlySpan<float>)rows.Slice(56, 8));
            }
            else
            {
                r0 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
                r1 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
                r2 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
                r3 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
                r4 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
                r5 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
                r6 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
                r7 = Draw(ref s0, ref s1, ref s2, ref s3, threshold, keepBits);
            }
            // 8×8 transpose: column i = stretch i's draws step … step + 7.
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7);
            var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);
            Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref m, (nuint)step);
            Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref m, (nuint)(stretch + step));
            Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref m, (nuint)(2 * stretch + step));
            Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref m, (nuint)(3 * stretch + step));
            Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref m, (nuint)(4 * stretch + step));
            Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref m, (nuint)(5 * stretch + step));
            Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref m, (nuint)(6 * stretch + step));
            var c7 = Avx.Permute2x128(u3, u7, 0x31);
            if (step + 8 <= last)
                c7.StoreUnsafe(ref m, (nuint)(7 * stretch + step));
            else if (step < last)
            {
                c7.StoreUnsafe(ref MemoryMarshal.GetReference(tail));
                tail[..(last - step)].CopyTo(mask.Slice(7 * stretch + step, last - step));
            }
        }
        if (!ended) throw new InvalidOperationException("The last stretch's end was not reached.");   // unreachable: last ∈ [1, stretch]
    }

    /// <summary>Makes this generator's state lane 7's (the last stretch's).</summary>
    private void End(Vector512<ulong> s0, Vector512<ulong> s1, Vector512<ulong> s2, Vector512<ulong> s3)
        => (_s0, _s1, _s2, _s3) = (s0.GetElement(7), s1.GetElement(7), s2.GetElement(7), s3.GetElement(7));

    /// <summary>
    /// One draw in every lane: the mask value of rotl(s1·5, 7)·9 ≫ 40 ≥ threshold (keep's bits or +0, as 8 floats), then
    /// the state transition, exactly as <see cref="NextUInt64"/> makes them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Draw(ref Vector512<ulong> s0, ref Vector512<ulong> s1, ref Vector512<ulong> s2, ref Vector512<ulong> s3,
        Vector512<ulong> threshold, Vector512<ulong> keepBits)
    {
        var x = s1 + Vector512.ShiftLeft(s1, 2);                               // s1·5
        x = Avx512F.RotateLeft(x, 7);
        x += Vector512.ShiftLeft(x, 3);                                        // ·9
        var value = Vector512.GreaterThanOrEqual(Vector512.ShiftRightLogical(x, 40), threshold) & keepBits;
        var t = Vector512.ShiftLeft(s1, 17);
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Avx512F.RotateLeft(s3, 45);
        return Avx512F.ConvertToVector256UInt32(value).AsSingle();
    }
}
