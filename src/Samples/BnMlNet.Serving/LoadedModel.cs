using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Microsoft.ML;

namespace BnMlNet.Serving;

/// <summary>
/// One loaded model, immutable: its sidecar, its input row type and its scorer. A request takes the current
/// <see cref="LoadedModel"/> once and uses it throughout, so a reload never mixes two models in one answer.
/// </summary>
/// <param name="Path">The model zip.</param>
/// <param name="Sidecar">Task, label, feature columns, classes.</param>
/// <param name="Rows">The input row type built from the sidecar's features.</param>
/// <param name="Runner">The pooled scorer.</param>
/// <param name="LoadedAt">When it was loaded (UTC).</param>
/// <param name="Generation">1 for the model loaded at start, then one more per successful reload.</param>
public sealed record LoadedModel(string Path, ModelSidecar Sidecar, InputRowType Rows, IModelRunner Runner,
    DateTimeOffset LoadedAt, int Generation)
{
    /// <summary>
    /// Loads <paramref name="path"/> and its sidecar and checks them: the model must bind to the sidecar's columns,
    /// give the task's output columns, and score a probe row through both the engine and the batch path.
    /// </summary>
    /// <exception cref="UserInputException">The files are missing, damaged or do not fit each other.</exception>
    public static LoadedModel Load(string path, int poolSize, int generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new UserInputException($"Model not found: {path}");
        var sidecar = ModelSidecar.Load(path);
        if (sidecar.Features.Count == 0) throw new UserInputException($"{ModelSidecar.PathFor(path)} names no feature columns.");

        var ml = new MLContext(seed: 1);
        ml.ComponentCatalog.RegisterAssembly(typeof(BatchNormMlpModelParameters).Assembly);
        ITransformer model;
        try
        {
            // Read the whole file first: a writer replacing it midway then fails this load, not a later request.
            using var bytes = new MemoryStream(File.ReadAllBytes(path));
            model = ml.Model.Load(bytes, out _);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UserInputException($"{path} is not a model this service can load: {e.Message}");
        }

        var rows = InputRowType.For(sidecar.Features);
        IModelRunner runner;
        try
        {
            runner = CreateRunner(ml, model, sidecar, rows, poolSize);
            Probe(runner, sidecar, rows);
        }
        catch (Exception e) when (e is not UserInputException and not OutOfMemoryException)
        {
            throw new UserInputException($"{path} does not fit its sidecar {ModelSidecar.PathFor(path)}: {e.Message}");
        }
        return new LoadedModel(path, sidecar, rows, runner, now, generation);
    }

    private static IModelRunner CreateRunner(MLContext ml, ITransformer model, ModelSidecar sidecar, InputRowType rows, int poolSize)
    {
        (Type output, Delegate read) = sidecar.Task switch
        {
            MlTask.Binary => (typeof(BinaryOutput), (Delegate)new Func<BinaryOutput, Prediction>(o => o.ToPrediction())),
            MlTask.Multiclass => (typeof(MulticlassOutput), new Func<MulticlassOutput, Prediction>(o => o.ToPrediction())),
            _ => (typeof(RegressionOutput), new Func<RegressionOutput, Prediction>(o => o.ToPrediction())),
        };
        var runnerType = typeof(ModelRunner<,>).MakeGenericType(rows.Type, output);
        try
        {
            return (IModelRunner)Activator.CreateInstance(runnerType, ml, model, rows.Schema, read, poolSize)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static void Probe(IModelRunner runner, ModelSidecar sidecar, InputRowType rows)
    {
        var row = rows.NewRow();
        for (int i = 0; i < rows.Columns.Count; i++)
        {
            if (rows.Columns[i].Kind == CsvColumnKind.Numeric) rows.SetNumber(row, i, 0f);
            else rows.SetText(row, i, "");
        }
        var each = runner.PredictEach([row])[0];
        var batch = runner.PredictBatch([row])[0];
        if (sidecar.Task == MlTask.Multiclass && each.Scores?.Length != sidecar.Classes.Count)
            throw new UserInputException(
                $"the model scores {each.Scores?.Length} classes but the sidecar names {sidecar.Classes.Count}.");
        if (!float.IsFinite(each.Score) || (each.Scores?.Any(v => !float.IsFinite(v)) ?? false))
            throw new UserInputException("a probe row (zeros and empty text) scored a non-finite value.");
        if (!SameBits(each, batch))
            throw new UserInputException("the PredictionEngine and the batch Transform disagree on a probe row.");
    }

    private static bool SameBits(Prediction a, Prediction b) =>
        BitConverter.SingleToInt32Bits(a.Score) == BitConverter.SingleToInt32Bits(b.Score) &&
        BitConverter.SingleToInt32Bits(a.Probability) == BitConverter.SingleToInt32Bits(b.Probability) &&
        a.PredictedLabel == b.PredictedLabel && a.PredictedClass == b.PredictedClass &&
        (a.Scores ?? []).Select(BitConverter.SingleToInt32Bits).SequenceEqual((b.Scores ?? []).Select(BitConverter.SingleToInt32Bits));
}
