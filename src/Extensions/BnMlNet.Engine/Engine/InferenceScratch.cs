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
    }

    internal float[] A { get; }
    internal float[] B { get; }
}
