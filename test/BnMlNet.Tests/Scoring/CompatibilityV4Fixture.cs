using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;

namespace BnMlNet.Tests.Scoring;

/// <summary>
/// Writes and describes the payload-version-4 fixtures (Fixtures/compat/v4-nonfinite-*): the recipe's default pipelines
/// with a throwing <see cref="NonFiniteScoring"/>, one policy per task (binary Throw, multiclass ThrowOnInfinity,
/// regression ThrowOnNaN), trained on rows with NaN and +∞. Each records its predictions on the probe rows its policy
/// accepts, and the probe rows it refuses. Written by <c>dotnet run --project tools/CompatFixtures -- nonfinite-v4</c>.
/// </summary>
public static class CompatibilityV4Fixture
{
    /// <summary>The policy the fixture of <paramref name="task"/> was trained with.</summary>
    public static NonFiniteScoring Policy(SyntheticData.Task task) => task switch
    {
        SyntheticData.Task.Binary => NonFiniteScoring.Throw,
        SyntheticData.Task.Multiclass => NonFiniteScoring.ThrowOnInfinity,
        _ => NonFiniteScoring.ThrowOnNaN,
    };

    /// <summary>Whether <paramref name="policy"/> refuses <paramref name="row"/> (a NaN or ±∞ in X1 or X2).</summary>
    public static bool Refuses(NonFiniteScoring policy, RawRow row) =>
        new[] { row.X1, row.X2 }.Any(v => float.IsNaN(v) ? (policy & NonFiniteScoring.ThrowOnNaN) != 0
            : float.IsInfinity(v) && (policy & NonFiniteScoring.ThrowOnInfinity) != 0);

    /// <summary>The probe: 24 rows, NaN in X1 and X2, +∞ in X2 (as the v2 fixtures), and −∞ in X1 every 7th row.</summary>
    public static List<RawRow> Probe()
    {
        var probe = CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(24, seed: 99));
        for (int i = 5; i < probe.Count; i += 7) probe[i].X1 = float.NegativeInfinity;
        return probe;
    }

    /// <summary>The pipeline of one fixture: the v2 fixtures' pipeline (SyntheticData.Pipeline, 6 epochs) with the task's policy.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, SyntheticData.Task task)
    {
        var features = SyntheticData.Featurize(ml);
        var policy = Policy(task);
        return task switch
        {
            SyntheticData.Task.Binary => ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(features)
                .Append(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
                { HiddenLayerSizes = [16, 8], NumberOfEpochs = 6, BatchSize = 32, Seed = 3, NumberOfThreads = 1, NonFiniteScoring = policy })),
            SyntheticData.Task.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(features)
                .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options
                { HiddenLayerSizes = [16, 8], NumberOfEpochs = 6, BatchSize = 32, Seed = 3, NumberOfThreads = 1, NonFiniteScoring = policy }))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
            _ => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(features)
                .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
                { HiddenLayerSizes = [16, 8], NumberOfEpochs = 6, BatchSize = 32, Seed = 3, NumberOfThreads = 1, NonFiniteScoring = policy })),
        };
    }

    /// <summary>Writes v4-nonfinite-{task}.zip and .predictions.json into <paramref name="target"/>; never overwrites.</summary>
    public static IEnumerable<string> WriteFixtures(string target)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(240, seed: 1)));
        var probe = Probe();
        return CompatibilityFixture.WriteSet(target, "v4-nonfinite", ml, train,
            task => Pipeline(ml, task).Fit(train),
            (task, model) =>
            {
                var policy = Policy(task);
                var accepted = probe.Where(r => !Refuses(policy, r)).ToList();
                return new JsonObject
                {
                    ["payloadVersion"] = 4,
                    ["nonFiniteScoring"] = policy.ToString(),
                    ["note"] = "Written by Scoring/CompatibilityV4Fixture.WriteFixtures (tools/CompatFixtures nonfinite-v4): the recipe's defaults with a throwing NonFiniteScoring. 'output' holds the predictions on 'input' (the probe rows the policy accepts); 'refused' the probe rows it refuses. Floats are round-trip strings.",
                    ["input"] = CompatibilityFixture.Rows(accepted),
                    ["output"] = CompatibilityV2Fixture.Predictions(model, ml.Data.LoadFromEnumerable(accepted), task),
                    ["refused"] = CompatibilityFixture.Rows(probe.Where(r => Refuses(policy, r))),
                };
            });
    }
}
