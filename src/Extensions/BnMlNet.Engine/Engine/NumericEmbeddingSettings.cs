namespace BnMlNet.Engine;

/// <summary>
/// The shape and initialization of the numerical embedding (see <see cref="NumericEmbedding.Periodic"/>).
/// Initialization: frequencies c ~ N(0, σ²); W and b ~ U(±1/√(2k)) (PyTorch's Linear default for 2k inputs).
/// </summary>
/// <param name="Kind">The embedding; <see cref="NumericEmbedding.None"/> turns it off.</param>
/// <param name="Frequencies">k, frequencies per feature, in <see cref="SettingRules.EmbeddingFrequencies"/> (default 16).</param>
/// <param name="Dimension">d, output dimensions per embedded feature, in <see cref="SettingRules.EmbeddingDimension"/> (default 8).</param>
/// <param name="Sigma">σ of the initial frequencies, in <see cref="SettingRules.EmbeddingSigma"/> (default 0.1, for standardized inputs).</param>
public sealed record NumericEmbeddingSettings(NumericEmbedding Kind = NumericEmbedding.Periodic, int Frequencies = 16, int Dimension = 8, float Sigma = 0.1f)
{
    /// <summary>Whether an embedding is asked for (<see cref="Kind"/> is not <see cref="NumericEmbedding.None"/>).</summary>
    public bool IsOn => Kind != NumericEmbedding.None;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the field and its range.</summary>
    public void Validate()
    {
        SettingRules.CheckDefined(Kind, nameof(Kind));
        SettingRules.EmbeddingFrequencies.Check(Frequencies, nameof(Frequencies));
        SettingRules.EmbeddingDimension.Check(Dimension, nameof(Dimension));
        SettingRules.EmbeddingSigma.Check(Sigma, nameof(Sigma));
    }
}
