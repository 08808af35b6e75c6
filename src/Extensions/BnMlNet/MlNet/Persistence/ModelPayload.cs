using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine;

namespace BnMlNet.MlNet.Persistence;

/// <summary>Everything a saved BatchNormMlp model holds, independent of how it is framed in the zip.</summary>
internal sealed record ModelPayload(ModelTask Task, InferenceNetwork Network, IReadOnlyList<EpochReport> History, FeaturePreprocessor? Preprocessor = null, bool ExponentialScore = false,
    NonFiniteScoring NonFiniteScoring = NonFiniteScoring.Impute);
