namespace BnMlNet.MlNet;

/// <summary>The machine-learning task a model was trained for; it decides the head and the scorer's columns.</summary>
internal enum ModelTask
{
    /// <summary>One logit; Score (logit), Probability (sigmoid) and PredictedLabel (bool).</summary>
    Binary = 0,
    /// <summary>K logits; Score is the softmax probability vector, PredictedLabel the arg-max key.</summary>
    Multiclass = 1,
    /// <summary>One value; Score.</summary>
    Regression = 2,
}
