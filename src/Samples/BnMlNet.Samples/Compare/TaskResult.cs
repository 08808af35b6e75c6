using BnMlNet.Engine;
using BnMlNet.Samples.Csv;

namespace BnMlNet.Samples.Compare;

/// <summary>One trainer's line in the comparison table.</summary>
/// <param name="Task">binary, multiclass or regression.</param>
/// <param name="Trainer">Trainer name.</param>
/// <param name="Metrics">The task's main metrics on the test set, in table order.</param>
/// <param name="TrainSeconds">Wall-clock seconds of Fit (featurization included).</param>
/// <param name="ScoringMicros">Median microseconds of one PredictionEngine.Predict call.</param>
public sealed record TrainerResult(string Task, string Trainer, IReadOnlyList<Metric> Metrics, double TrainSeconds, double ScoringMicros);

/// <summary>The outcome of a save/load round trip of a BN-MLP pipeline.</summary>
/// <param name="Task">The task.</param>
/// <param name="ModelPath">The saved zip.</param>
/// <param name="Predictions">Predictions compared (test rows).</param>
/// <param name="Mismatches">Predictions whose bits changed after loading.</param>
public sealed record RoundTripResult(string Task, string ModelPath, int Predictions, int Mismatches)
{
    /// <summary>True when every prediction was bitwise identical.</summary>
    public bool Identical => Mismatches == 0 && Predictions > 0;
}

/// <summary>Everything one task of the compare job produced.</summary>
/// <param name="Task">binary, multiclass or regression.</param>
/// <param name="Dataset">Dataset description for the report.</param>
/// <param name="TrainRows">Training rows (the BN-MLP's validation part included).</param>
/// <param name="TestRows">Test rows.</param>
/// <param name="Results">One line per trainer, BN-MLP first.</param>
/// <param name="History">The BN-MLP's epoch reports.</param>
/// <param name="RoundTrip">The BN-MLP's save/load check.</param>
/// <param name="Plot">Data for the task's plot.</param>
public sealed record TaskResult(string Task, string Dataset, int TrainRows, int TestRows, IReadOnlyList<TrainerResult> Results,
    IReadOnlyList<EpochReport> History, RoundTripResult RoundTrip, TaskPlotData Plot);

/// <summary>Data for a task-specific plot.</summary>
public abstract record TaskPlotData;

/// <summary>Binary: (label, score) pairs per trainer, for ROC curves.</summary>
public sealed record RocPlotData(IReadOnlyList<(string Trainer, bool[] Labels, float[] Scores)> Curves) : TaskPlotData;

/// <summary>Multiclass: the BN-MLP's confusion matrix (rows = true class, columns = predicted).</summary>
public sealed record ConfusionPlotData(IReadOnlyList<string> Classes, double[,] Counts) : TaskPlotData;

/// <summary>Regression: the BN-MLP's predictions against the labels.</summary>
public sealed record ScatterPlotData(float[] Actual, float[] Predicted) : TaskPlotData;
