using System.Collections.Concurrent;
using BnMlNet.Samples.Bench.Tabular;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// One fitted model's test predictions: the test labels, and per test row the positive-class probability (binary), the
/// K class probabilities (multiclass, row-major) or the score (regression), with the model's own test metric.
/// </summary>
/// <param name="Task">The dataset's task.</param>
/// <param name="Metric">The model's test metric from ML.NET's evaluator (NaN when training diverged).</param>
/// <param name="Labels">Binary: 0/1; multiclass: the 1-based key; regression: the label.</param>
/// <param name="Values">Probabilities or scores, one per row (K per row for multiclass); empty when training diverged.</param>
/// <param name="Classes">K for multiclass, 1 otherwise.</param>
public sealed record TestPredictions(MlTask Task, double Metric, float[] Labels, float[] Values, int Classes);

/// <summary>
/// Fits of the experiments that also keep the test predictions (experiment 12's ensembles), cached per (dataset, mode,
/// variant, seed); and the metric of averaged predictions, computed by ML.NET's evaluator as for a single model.
/// </summary>
public static class TabularPredictions
{
    private static readonly ConcurrentDictionary<(string Name, bool Quick, RecipeVariant Variant, int Seed), Lazy<TestPredictions>> Fits = new();

    /// <summary>Fits <paramref name="variant"/> with <paramref name="seed"/> on one thread (once per process) and returns its test predictions.</summary>
    public static TestPredictions Fit(TabularDataset dataset, bool quick, RecipeVariant variant, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(variant);
        return Fits.GetOrAdd((dataset.Name, quick, variant, seed), _ => new Lazy<TestPredictions>(() => FitOnce(dataset, quick, variant, seed))).Value;
    }

    private static TestPredictions FitOnce(TabularDataset dataset, bool quick, RecipeVariant variant, int seed)
    {
        var (train, test, _) = TabularSuite.Prepare(dataset, quick);
        var ml = new MLContext(seed);
        var trainer = TabularTrainers.BnMlpTrainer(dataset.Task, seed, threads: 1, variant.Edit, variant.Name);
        IDataView scored;
        try
        {
            scored = trainer.Build(ml).Fit(train).Transform(test);
        }
        catch (Exception e) when (e is BnMlNet.Engine.TrainingDivergedException || e.InnerException is BnMlNet.Engine.TrainingDivergedException)
        {
            return new TestPredictions(dataset.Task, double.NaN, [], [], 1);   // diverged; the table shows n/a
        }
        double metric = TabularRunner.Evaluate(ml, dataset.Task, scored);
        var label = scored.Schema[TabularFeaturization.LabelColumn];
        var predictions = dataset.Task switch
        {
            MlTask.Binary => new TestPredictions(dataset.Task, metric, scored.GetColumn<bool>(label).Select(b => b ? 1f : 0f).ToArray(),
                scored.GetColumn<float>("Probability").ToArray(), 1),
            MlTask.Multiclass => new TestPredictions(dataset.Task, metric, scored.GetColumn<uint>(label).Select(k => (float)k).ToArray(),
                scored.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray(), (int)((KeyDataViewType)label.Type).Count),
            _ => new TestPredictions(dataset.Task, metric, scored.GetColumn<float>(label).ToArray(), scored.GetColumn<float>("Score").ToArray(), 1),
        };
        // The averaging path must give one model its own metric back (the same evaluator on the same predictions; a binary AUC may
        // differ in the 5th decimal, since it ranks by the float probability, where the model's own AUC ranks by the logit, and
        // probabilities near 0 or 1 tie in float).
        double again = AveragedMetric([predictions]);
        if (!(Math.Abs(again - metric) <= 1e-4))
            throw new InvalidOperationException(Format.Inv($"{dataset.Name}, {variant.Name}, seed {seed}: the metric of the extracted predictions is {again}, the model's {metric}; labels {string.Join(",", predictions.Labels.Take(10))}, values {string.Join(",", predictions.Values.Take(10))}"));
        return predictions;
    }

    /// <summary>
    /// The test metric of the members' averaged predictions (probabilities for classification, scores for regression), from ML.NET's
    /// evaluator: AUC (the score handed to it is the averaged probability; AUC depends on the order only), micro-accuracy of the
    /// arg-max, or R². NaN when a member diverged.
    /// </summary>
    public static double AveragedMetric(IReadOnlyList<TestPredictions> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("No member.", nameof(members));
        if (members.Any(m => double.IsNaN(m.Metric))) return double.NaN;
        var first = members[0];
        if (members.Any(m => m.Values.Length != first.Values.Length || !m.Labels.AsSpan().SequenceEqual(first.Labels)))
            throw new ArgumentException("The members were not scored on the same test rows.", nameof(members));
        var mean = new float[first.Values.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            double sum = 0;
            foreach (var m in members) sum += m.Values[i];
            mean[i] = (float)(sum / members.Count);
        }
        var ml = new MLContext(0);
        int n = first.Labels.Length, k = first.Classes;
        switch (first.Task)
        {
            case MlTask.Binary:
                var binary = Enumerable.Range(0, n).Select(i => new BinaryRow { Label = first.Labels[i] > 0.5f, Score = mean[i], Probability = mean[i], PredictedLabel = mean[i] > 0.5f });
                return ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(binary)).AreaUnderRocCurve;
            case MlTask.Multiclass:
                var schema = SchemaDefinition.Create(typeof(MulticlassRow));
                schema[nameof(MulticlassRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), k);
                schema[nameof(MulticlassRow.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), k);
                schema[nameof(MulticlassRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
                // A test row whose label is missing (key 0: a class unseen in training) is left out, as the evaluator leaves it out of the model's own metric.
                var multi = Enumerable.Range(0, n).Where(i => first.Labels[i] >= 1).Select(i =>
                {
                    var row = mean.AsSpan(i * k, k);
                    int best = 0;
                    for (int c = 1; c < k; c++) if (row[c] > row[best]) best = c;
                    // LoadFromEnumerable reads a key property as 0-based (value v is key v + 1), so the 1-based keys go in minus 1.
                    return new MulticlassRow { Label = (uint)first.Labels[i] - 1, Score = row.ToArray(), PredictedLabel = (uint)best };
                });
                return ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(multi, schema)).MicroAccuracy;
            default:
                var regression = Enumerable.Range(0, n).Select(i => new RegressionRow { Label = first.Labels[i], Score = mean[i] });
                return ml.Regression.Evaluate(ml.Data.LoadFromEnumerable(regression)).RSquared;
        }
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassRow
    {
        public uint Label { get; set; }
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }
}
