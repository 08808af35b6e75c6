namespace BnMlNet.Serving;

/// <summary>One row's outputs, as the model's scorer produced them.</summary>
/// <param name="Score">Binary and regression: the score.</param>
/// <param name="Probability">Binary: the probability of the positive class.</param>
/// <param name="PredictedLabel">Binary: the predicted class.</param>
/// <param name="PredictedClass">Multiclass: the predicted class name.</param>
/// <param name="Scores">Multiclass: one score per class, in the sidecar's class order.</param>
public readonly record struct Prediction(float Score, float Probability, bool PredictedLabel, string? PredictedClass, float[]? Scores);

/// <summary>The binary scorer's output columns.</summary>
public sealed class BinaryOutput
{
    /// <summary>The predicted class.</summary>
    public bool PredictedLabel { get; set; }
    /// <summary>The calibrated probability.</summary>
    public float Probability { get; set; }
    /// <summary>The raw score.</summary>
    public float Score { get; set; }

    /// <summary>As a <see cref="Prediction"/>.</summary>
    public Prediction ToPrediction() => new(Score, Probability, PredictedLabel, null, null);
}

/// <summary>The multiclass scorer's output columns (PredictedLabel mapped back to the class name by the model).</summary>
public sealed class MulticlassOutput
{
    /// <summary>The predicted class name.</summary>
    public string PredictedLabel { get; set; } = "";
    /// <summary>One score per class.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>As a <see cref="Prediction"/>.</summary>
    public Prediction ToPrediction() => new(0, 0, false, PredictedLabel, Score);
}

/// <summary>The regression scorer's output column.</summary>
public sealed class RegressionOutput
{
    /// <summary>The prediction.</summary>
    public float Score { get; set; }

    /// <summary>As a <see cref="Prediction"/>.</summary>
    public Prediction ToPrediction() => new(Score, 0, false, null, null);
}
