using System.Diagnostics;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Bench;

/// <summary>The output row of a binary model for a <see cref="PredictionEngine{TSrc, TDst}"/>.</summary>
public sealed class BinaryScore
{
    /// <summary>The raw score.</summary>
    public float Score { get; set; }
    /// <summary>The calibrated probability.</summary>
    public float Probability { get; set; }
    /// <summary>The predicted label.</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>UCI Adult: the whole pipeline (one-hot featurization + trainer) with the BN-MLP and with FastTree.</summary>
public static class AdultBench
{
    /// <summary>Runs the measurements for both trainers and prints them (FastTree's keys prefixed <c>fasttree_</c>).</summary>
    /// <remarks>
    /// The BN-MLP trains with the trainer's defaults (the tabular recipe: robust scaling, imputation with missing
    /// indicators, early stopping on a 20 % hold-out, 128,64) unless --hidden, --batch-size or --epochs override them.
    /// </remarks>
    public static void Run(BenchSettings s, int[]? hidden, BenchOutput o)
    {
        var ml = new MLContext(seed: s.Seed);
        var split = TabularFeaturization.Split(ml, Adult.Load(ml));
        var testRows = ml.Data.CreateEnumerable<AdultRow>(split.TestSet, reuseRowObject: false).ToList();
        long trainCount = split.TrainSet.GetRowCount() ?? ml.Data.CreateEnumerable<AdultRow>(split.TrainSet, false).LongCount();
        o.Put("train_rows", trainCount, "F0");
        o.Put("test_rows", testRows.Count, "F0");
        var test = ml.Data.LoadFromEnumerable(testRows);

        var options = new BatchNormMlpBinaryTrainer.Options { NumberOfThreads = s.Threads, Seed = s.Seed };
        if (hidden is not null) options.HiddenLayerSizes = hidden;
        if (s.BatchSize is { } batch) options.BatchSize = batch;
        if (s.Epochs is { } epochs) options.NumberOfEpochs = epochs;
        o.Put("recipe", hidden is null && s.BatchSize is null && s.Epochs is null ? "default" : "default-with-overrides");
        var mlp = Measure("", Adult.Featurize(ml).Append(ml.BinaryClassification.Trainers.BatchNormMlp(options)),
            ml, split.TrainSet, test, testRows, s, o);
        var parameters = ((IEnumerable<ITransformer>)mlp).Last() switch
        {
            BinaryPredictionTransformer<Microsoft.ML.Calibrators.CalibratedModelParametersBase<BatchNormMlpModelParameters, Microsoft.ML.Calibrators.PlattCalibrator>> t => t.Model.SubModel,
            ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters> t => t.Model,
            _ => null,
        };
        var history = parameters?.TrainingHistory;
        if (parameters is not null) AdultScoringBreakdown.Run(ml, parameters, ((IEnumerable<ITransformer>)mlp).Last(), ((IEnumerable<ITransformer>)mlp).First().Transform(test), o);
        if (history is { Count: > 0 })
        {
            var seconds = history.Select(r => r.Seconds).ToArray();
            o.Put("train_rows_per_second", trainCount / BenchOutput.Median(seconds.Length > 1 ? seconds.Skip(1) : seconds), "F0");
        }
        var fastTree = Measure("fasttree_", Adult.Featurize(ml).Append(ml.BinaryClassification.Trainers.FastTree()),
            ml, split.TrainSet, test, testRows, s, o);
        AdultScoringProfile.Run(ml, "", mlp, test, o);
        AdultScoringProfile.Run(ml, "fasttree_", fastTree, test, o);
        if (s.Rounds > 0) AdultInterleaved.Run(ml, mlp, fastTree, test, testRows, s.Rounds, o);
    }

    private static ITransformer Measure(string prefix, IEstimator<ITransformer> pipeline, MLContext ml, IDataView train,
        IDataView test, List<AdultRow> testRows, BenchSettings s, BenchOutput o)
    {
        var clock = Stopwatch.StartNew();
        ITransformer model;
        using (var sampler = new WorkingSetSampler())
        {
            model = pipeline.Fit(train);
            o.Put(prefix + "peak_working_set_mb", sampler.PeakBytes / 1048576.0, "F1");
        }
        o.Put(prefix + "train_seconds", clock.Elapsed.TotalSeconds, "F3");
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        o.Put(prefix + "test_auc", metrics.AreaUnderRocCurve, "F4");
        o.Put(prefix + "test_accuracy", metrics.Accuracy, "F4");
        o.Put(prefix + "test_f1", metrics.F1Score, "F4");
        int n = testRows.Count;
        // The featurization alone (the same for both models: the floor of the bulk figure); it also warms up the shared code.
        o.Put(prefix + "featurize_rows_per_second", BenchOutput.BestRowsPerSecond(() => ConsumeFeatures(((IEnumerable<ITransformer>)model).First().Transform(test)), n, 5), "F0");
        o.Put(prefix + "score_rows_per_second", BenchOutput.BestRowsPerSecond(() => Consume(model.Transform(test)), n, 5), "F0");
        var engine = ml.Model.CreatePredictionEngine<AdultRow, BinaryScore>(model);
        var result = new BinaryScore();
        void PredictRow(int i) => engine.Predict(testRows[i % n], ref result);
        o.Put(prefix + "single_row_latency_us", BenchOutput.MedianMicros(PredictRow, s.LatencyCalls, 500), "F2");
        o.Put(prefix + "prediction_engine_bytes_per_row", BenchOutput.BytesPerCall(PredictRow, 10_000), "F2");
        return model;
    }

    /// <summary>Reads the Features column of every row.</summary>
    private static void ConsumeFeatures(IDataView featurized)
    {
        var column = featurized.Schema["Features"];
        using var cursor = featurized.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> v = default;
        while (cursor.MoveNext()) getter(ref v);
    }

    /// <summary>Reads Score, Probability and PredictedLabel of every row of <paramref name="scored"/> (what a caller of bulk Transform pays for).</summary>
    internal static void Consume(IDataView scored)
    {
        var columns = new[] { scored.Schema["Score"], scored.Schema["Probability"], scored.Schema["PredictedLabel"] };
        using var cursor = scored.GetRowCursor(columns);
        var score = cursor.GetGetter<float>(columns[0]);
        var probability = cursor.GetGetter<float>(columns[1]);
        var label = cursor.GetGetter<bool>(columns[2]);
        float a = 0, b = 0;
        bool c = false;
        while (cursor.MoveNext())
        {
            score(ref a);
            probability(ref b);
            label(ref c);
        }
    }
}
