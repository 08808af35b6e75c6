using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Preprocessing;

// Steps 1–4 of a whole row, eight inputs per vector (ApplyRows, ApplyRowsInPlace).
public sealed partial class FeaturePreprocessor
{
    /// <summary>Whether the row passes run <see cref="TransformRow"/> (256-bit vectors, not the reference path).</summary>
    private static bool RowVectorsEnabled => Vector256.IsHardwareAccelerated && !ReferencePaths.Enabled && !ReferencePaths.Preprocessing;

    /// <summary>
    /// output[j] = Transform(j, input[j]) for the <see cref="InputSize"/> inputs, bit for bit: per lane the same IEEE
    /// operations in the same order — NaN → fill, +∞ → maximum, −∞ → minimum (the replacements are finite, so one
    /// select after the other is the scalar else-if chain), a subtraction then a multiplication, and with smooth
    /// clipping the clamp as <see cref="Math.Clamp(float, float, float)"/> does it (NaN passes), z/3, 1 + t·t as a
    /// multiplication then an addition, the square root and the division (all correctly rounded, as the scalar ones).
    /// Each vector is read before it is written, so input and output may be the same span.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformRow(ReadOnlySpan<float> input, Span<float> output)
    {
        int n = _fill.Length, j = 0;
        ref float x0 = ref MemoryMarshal.GetReference(input);
        ref float o0 = ref MemoryMarshal.GetReference(output);
        ref float fill = ref MemoryMarshal.GetArrayDataReference(_fill);
        ref float min = ref MemoryMarshal.GetArrayDataReference(_min);
        ref float max = ref MemoryMarshal.GetArrayDataReference(_max);
        ref float center = ref MemoryMarshal.GetArrayDataReference(_center);
        ref float inv = ref MemoryMarshal.GetArrayDataReference(_inv);
        bool clip = SmoothClip;
        var positive = Vector256.Create(float.PositiveInfinity);
        var negative = Vector256.Create(float.NegativeInfinity);
        var guard = Vector256.Create(ClipGuard);
        var negativeGuard = Vector256.Create(-ClipGuard);
        var three = Vector256.Create(3f);
        var one = Vector256.Create(1f);
        for (; j + 8 <= n; j += 8)
        {
            nuint at = (nuint)j;
            var x = Vector256.LoadUnsafe(ref x0, at);
            x = Vector256.ConditionalSelect(Vector256.Equals(x, x), x, Vector256.LoadUnsafe(ref fill, at));
            x = Vector256.ConditionalSelect(Vector256.Equals(x, positive), Vector256.LoadUnsafe(ref max, at), x);
            x = Vector256.ConditionalSelect(Vector256.Equals(x, negative), Vector256.LoadUnsafe(ref min, at), x);
            var z = (x - Vector256.LoadUnsafe(ref center, at)) * Vector256.LoadUnsafe(ref inv, at);
            if (clip)
            {
                z = Vector256.ConditionalSelect(Vector256.LessThan(z, negativeGuard), negativeGuard,
                    Vector256.ConditionalSelect(Vector256.GreaterThan(z, guard), guard, z));
                var t = z / three;
                z /= Vector256.Sqrt(one + t * t);
            }
            z.StoreUnsafe(ref o0, at);
        }
        for (; j < n; j++) output[j] = Transform(j, input[j]);
    }
}
