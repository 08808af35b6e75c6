namespace BnMlNet.Engine;

/// <summary>
/// Per-thread buffers for <see cref="InferenceNetwork.Predict"/>. Create one per thread with
/// <see cref="InferenceNetwork.CreateScratch"/>; never share one between threads at the same time.
/// </summary>
public sealed class InferenceScratch
{
    internal InferenceScratch(int width)
    {
        A = new float[width];
        B = new float[width];
        Lanes = new int[Kernels.LaneExactMatVec.LaneBufferLength(width)];
    }

    internal float[] A { get; }
    internal float[] B { get; }
    /// <summary>The single-row kernel's lists of non-zero inputs (<see cref="Kernels.LaneExactMatVec"/>).</summary>
    internal int[] Lanes { get; }
}
