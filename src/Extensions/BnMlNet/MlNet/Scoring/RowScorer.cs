using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine;
using Microsoft.ML.Data;

namespace BnMlNet.MlNet.Scoring;

/// <summary>
/// Scores one feature vector at a time through the frozen network, with its own buffers: one instance per ML.NET
/// mapper delegate (so per cursor, per PredictionEngine), never shared between threads. Allocates nothing per row.
/// </summary>
internal sealed class RowScorer
{
    private readonly InferenceNetwork _network;
    private readonly FeaturePreprocessor? _preprocessor;
    private readonly float[] _prepared;
    private readonly InferenceScratch _scratch;
    private readonly float[] _input;
    private readonly float[] _output;

    private readonly bool _exponential;

    private readonly string _column;

    private readonly NonFiniteScoring _policy;

    public RowScorer(InferenceNetwork network, FeaturePreprocessor? preprocessor = null, bool exponential = false, string column = "Features",
        NonFiniteScoring policy = NonFiniteScoring.Impute)
    {
        _column = column;
        _policy = policy;
        _exponential = exponential;
        _network = network;
        _preprocessor = preprocessor;
        _prepared = preprocessor is null ? [] : new float[preprocessor.OutputSize];
        _scratch = network.CreateScratch();
        _input = new float[preprocessor?.InputSize ?? network.InputSize];
        _output = new float[network.OutputSize];
    }

    /// <summary>The head outputs for one row: logits, or the regression value (e^output under Poisson's log link, see <see cref="PoissonHead"/>).</summary>
    public ReadOnlySpan<float> Score(in VBuffer<float> features)
    {
        var raw = Raw(in features);
        if (!_exponential) return raw;
        _output[0] = PoissonHead.Rate(raw[0]);
        return _output;
    }

    private ReadOnlySpan<float> Raw(in VBuffer<float> features)
    {
        if (features.Length != _input.Length)
            throw new InvalidOperationException(
                $"The feature vector has {features.Length} values, but the model was trained on {_input.Length}. " +
                "Score data prepared by the same pipeline as the training data.");
        if (_preprocessor is not null)
        {
            if (features.IsDense)
            {
                NonFiniteScoringCheck.Check(features.GetValues(), _policy, _column);
                _preprocessor.Apply(features.GetValues(), _prepared);
            }
            else
            {
                features.CopyTo(_input);
                NonFiniteScoringCheck.Check(_input, _policy, _column);
                _preprocessor.Apply(_input, _prepared);
            }
            _network.Predict(_prepared, _output, _scratch);
            return _output;
        }
        // No preprocessing and no input batch norm: nothing to impute with, so a non-finite feature is an error.
        if (features.IsDense)
        {
            NonFiniteScoringCheck.Check(features.GetValues(), _policy, _column);
            CheckFinite(features.GetValues(), _column);
            // Dense rows (the usual case) are scored in place: no copy on the single-row path.
            _network.Predict(features.GetValues(), _output, _scratch);
            return _output;
        }
        features.CopyTo(_input);   // sparse rows are densified into the scorer's own buffer
        NonFiniteScoringCheck.Check(_input, _policy, _column);
        CheckFinite(_input, _column);
        _network.Predict(_input, _output, _scratch);
        return _output;
    }

    /// <summary>Throws, naming the column and slot, at the first NaN or ±∞ (for models that carry no statistics to impute with).</summary>
    public static void CheckFinite(ReadOnlySpan<float> values, string column)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException(
                    $"Feature column '{column}' slot {i} is {values[i]}, but this model has no training statistics to replace a " +
                    "non-finite value with: it was saved without preprocessing (NumericScaling None, MissingValues Skip or Throw) " +
                    "and without an input batch norm. Replace missing and infinite values before scoring (for example with " +
                    "ReplaceMissingValues), or retrain with MissingValues = Impute or InputBatchNorm = true.");
    }
}
