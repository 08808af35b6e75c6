using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// cos and sin of the angles a_f = ω_f·x (ω = 2π·c, x one value) in float, vectorized with <see cref="Vector{T}"/>: the
/// periodic embedding's training passes. Range reduction a = j·π/2 + r with j = round(a·2/π) and the three-part
/// Cody–Waite π/2 of Cephes' sinf (j·P1 and j·P2 exact for |j| ≤ 2¹³), then Cephes' minimax polynomials for sin and cos
/// on |r| ≤ π/4 and the quadrant j mod 4. Every operation is a separate IEEE float multiply or add (no fused
/// multiply-add, no estimate instruction), and the scalar twin used for the last k mod <see cref="Vector{T}.Count"/>
/// angles repeats them one by one, so a value's bits depend only on the angle, never on where it sits in the span, the
/// vector width or the thread count. An angle with |a| &gt; <see cref="Limit"/> (or not finite) falls back to
/// <see cref="MathF.Cos"/>/<see cref="MathF.Sin"/>. Measured against <see cref="Math.Cos"/>/<see cref="Math.Sin"/> of
/// the same float angle in double: max absolute error ≤ <see cref="MaxAbsoluteError"/> on |a| ≤ <see cref="Limit"/>
/// (test/BnMlNet.Tests/Embedding/PeriodicSinCosTests).
/// </summary>
internal static class PeriodicSinCos
{
    /// <summary>The largest |a| the polynomial path takes (|j| ≤ 2¹³ keeps j·P1 and j·P2 exact).</summary>
    public const float Limit = 8192f;

    /// <summary>
    /// The bound the tests check against double precision: 1e−7 (measured 7.6e−8, about 1.3 float ulps just below 1).
    /// </summary>
    public const double MaxAbsoluteError = 1e-7;

    private const float TwoOverPi = 0.636619772367581343f;
    private const float Round = 12582912f;   // 1.5·2²³: (t + Round) − Round is t rounded to the nearest integer for |t| < 2²²
    private const float P1 = 1.5703125f, P2 = 4.837512969970703125e-4f, P3 = 7.54978995489188216e-8f;
    private const float S1 = -1.6666654611e-1f, S2 = 8.3321608736e-3f, S3 = -1.9515295891e-4f;
    private const float C1 = 4.166664568298827e-2f, C2 = -1.388731625493765e-3f, C3 = 2.443315711809948e-5f;

    /// <summary>
    /// cos[f] = cos(ω_f·x), sin[f] = sin(ω_f·x) for f in [0, ω.Length). <paramref name="cos"/> and
    /// <paramref name="sin"/> must hold ω.Length values.
    /// </summary>
    public static void Compute(ReadOnlySpan<float> omega, float x, Span<float> cos, Span<float> sin)
    {
        int k = omega.Length, f = 0;
        if (Vector.IsHardwareAccelerated && k >= Vector<float>.Count)
        {
            ref float w = ref MemoryMarshal.GetReference(omega);
            ref float c = ref MemoryMarshal.GetReference(cos);
            ref float s = ref MemoryMarshal.GetReference(sin);
            var vx = new Vector<float>(x);
            for (; f <= k - Vector<float>.Count; f += Vector<float>.Count)
            {
                var a = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref w, f)) * vx;
                if (!Vector.LessThanOrEqualAll(Vector.Abs(a), new Vector<float>(Limit)))
                {
                    for (int j = f; j < f + Vector<float>.Count; j++) One(omega[j] * x, out cos[j], out sin[j]);
                    continue;
                }
                Reduced(a, out var cv, out var sv);
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref c, f)) = cv;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref s, f)) = sv;
            }
        }
        for (; f < k; f++) One(omega[f] * x, out cos[f], out sin[f]);
    }

    /// <summary>cos a and sin a for one angle: the scalar twin of the vector path, bit for bit.</summary>
    public static void One(float a, out float cos, out float sin)
    {
        if (!(MathF.Abs(a) <= Limit))
        {
            cos = MathF.Cos(a);
            sin = MathF.Sin(a);
            return;
        }
        float j = (a * TwoOverPi + Round) - Round;
        float r = ((a - j * P1) - j * P2) - j * P3;
        float z = r * r;
        float ps = ((S3 * z + S2) * z + S1) * z * r + r;
        float pc = ((C3 * z + C2) * z + C1) * z * z - 0.5f * z + 1f;
        int q = (int)j;
        bool swap = (q & 1) != 0;
        float sv = swap ? pc : ps, cv = swap ? ps : pc;
        sin = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(sv) ^ ((q & 2) << 30));
        cos = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(cv) ^ (((q + 1) & 2) << 30));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Reduced(Vector<float> a, out Vector<float> cos, out Vector<float> sin)
    {
        var round = new Vector<float>(Round);
        var j = (a * new Vector<float>(TwoOverPi) + round) - round;
        var r = ((a - j * new Vector<float>(P1)) - j * new Vector<float>(P2)) - j * new Vector<float>(P3);
        var z = r * r;
        var ps = ((new Vector<float>(S3) * z + new Vector<float>(S2)) * z + new Vector<float>(S1)) * z * r + r;
        var pc = ((new Vector<float>(C3) * z + new Vector<float>(C2)) * z + new Vector<float>(C1)) * z * z
            - new Vector<float>(0.5f) * z + Vector<float>.One;
        var q = Vector.ConvertToInt32(j);
        var swap = Vector.Equals(q & Vector<int>.One, Vector<int>.One);
        var sv = Vector.ConditionalSelect(swap, pc, ps);
        var cv = Vector.ConditionalSelect(swap, ps, pc);
        // the sign flips as in the scalar twin's negation: the sign bit, (q & 2) << 30 = 2³¹ when set
        var two = new Vector<int>(2);
        var sinSign = Vector.ShiftLeft(q & two, 30);
        var cosSign = Vector.ShiftLeft((q + Vector<int>.One) & two, 30);
        sin = Vector.AsVectorSingle(Vector.AsVectorInt32(sv) ^ sinSign);
        cos = Vector.AsVectorSingle(Vector.AsVectorInt32(cv) ^ cosSign);
    }
}
