using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>The epochs a fitted BN-MLP ran, for the bench's console line (the budget evidence of issue 13).</summary>
public static class BnMlpEpochs
{
    /// <summary>
    /// ", N ep (best B)" for a BN-MLP model: N epochs run, B the epoch of the lowest validation loss; empty for any
    /// other model. B is the epoch kept unless a min-delta (<c>EarlyStoppingMinDelta</c>,
    /// <c>EarlyStoppingRelativeMinDelta</c>) made an earlier epoch the last improvement: then the kept epoch is earlier
    /// than B (the logs of round 11's "rel min-delta" variants read so).
    /// </summary>
    public static string Describe(ITransformer model)
    {
        var parameters = model switch
        {
            BinaryPredictionTransformer<CalibratedModelParametersBase<BatchNormMlpModelParameters, PlattCalibrator>> t => t.Model.SubModel,
            ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters> t => t.Model,
            _ => null,
        };
        if (parameters is null || parameters.TrainingHistory.Count == 0) return "";
        var history = parameters.TrainingHistory;
        int best = 0;
        for (int i = 1; i < history.Count; i++)
            if ((history[i].ValidationLoss ?? double.PositiveInfinity) < (history[best].ValidationLoss ?? double.PositiveInfinity)) best = i;
        return $"  {history.Count} ep (best {history[best].Epoch})";
    }
}
