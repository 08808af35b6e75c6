namespace BnMlNet.Engine.Kernels;

/// <summary>
/// A process-wide switch back to the plain passes that faster ones replaced (the scalar GEMM packing, the unfused
/// batch-norm/ReLU/dropout passes, the scalar inference batch norm, the categorical embedding's scalar loops, the
/// dropout mask's serial draws, the preprocessor's one-input-at-a-time rows). Both give the same bits; the switch exists
/// so that tests can compare whole trainings through both and a benchmark can time them interleaved in one process.
/// The narrower switches below turn back one of branch catfast's changes alone, for its interleaved A/B.
/// Never set outside those.
/// </summary>
internal static class ReferencePaths
{
    /// <summary>True: run the reference passes.</summary>
    public static volatile bool Enabled;

    /// <summary>
    /// True: run only the categorical embedding's scalar loops (<see cref="Layers.CategoricalEmbeddingLayer"/>), every
    /// other pass as usual, so that a benchmark can time that one change interleaved (tools/SpeedProfile's "refcat").
    /// </summary>
    public static volatile bool CategoricalEmbedding;

    /// <summary>
    /// True: draw dropout masks without the eight side-by-side stretches (<see cref="Xoshiro256.FillMask"/>'s serial
    /// state transition instead), every other pass as usual (tools/SpeedProfile's "refmask").
    /// </summary>
    public static volatile bool DropoutStreams;

    /// <summary>
    /// True: the preprocessor's row passes one input at a time (<see cref="Preprocessing.FeaturePreprocessor.Apply"/> per
    /// row, as before branch catfast), every other pass as usual (tools/SpeedProfile's "refprep").
    /// </summary>
    public static volatile bool Preprocessing;
}
