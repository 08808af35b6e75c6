namespace BnMlNet.Engine.Optimizers;

/// <summary>
/// An update rule over the flat parameter buffer: one loop over all values. Weight decay applies to the first
/// <c>decayedCount</c> values only (the Dense weights), never to biases, γ or β.
/// </summary>
internal interface IOptimizer
{
    /// <summary>Updates <paramref name="values"/> in place from <paramref name="gradients"/> at learning rate <paramref name="learningRate"/>.</summary>
    void Step(Span<float> values, ReadOnlySpan<float> gradients, int decayedCount, float learningRate);

    /// <summary>Whether every value the last <see cref="Step"/> left is finite (true before the first step).</summary>
    bool LastStepFinite { get; }
}
