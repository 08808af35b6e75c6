namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Per-thread packing buffers, grown on demand and then reused, so steady-state calls allocate nothing.
/// </summary>
/// <remarks>
/// The arrays live on the pinned object heap, so their addresses are stable without <c>fixed</c>; the returned
/// pointers are rounded up to 64 bytes so that packed panels start on cache lines (aligned vector loads).
/// Each worker thread has its own buffers, so concurrent calls and parallel work items never share one.
/// </remarks>
internal static unsafe class GemmBuffers
{
    private const int AlignFloats = 16; // 64 bytes

    [ThreadStatic] private static float[]? packedA;
    [ThreadStatic] private static float[]? packedB;
    [ThreadStatic] private static float[]? scratch;

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="length"/> floats for packed A.</summary>
    public static float* PackedA(int length) => Get(ref packedA, length);

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="length"/> floats for packed B.</summary>
    public static float* PackedB(int length) => Get(ref packedB, length);

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="length"/> floats for the direct path.</summary>
    public static float* Scratch(int length) => Get(ref scratch, length);

    private static float* Get(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + AlignFloats)
        {
            buffer = GC.AllocateUninitializedArray<float>(length + AlignFloats, pinned: true);
        }

        // Pinned: taking the address without fixed is safe for the array's lifetime (it is kept in the field).
        float* p = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer[0]);
        return (float*)(((nint)p + 63) & ~(nint)63);
    }
}
