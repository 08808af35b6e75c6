using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// Writes and describes the payload-version-6 fixtures: ensembles of 3 members sharing one periodic numerical embedding
/// (binary, multiclass, regression), otherwise the version 5 fixtures' settings (<see cref="CompatibilityV5Fixture"/>),
/// trained on rows with NaN and ±∞. Written by <c>dotnet run --project tools/CompatFixtures -- shared-embedding-v6</c>.
/// </summary>
public static class CompatibilityV6Fixture
{
    /// <summary>The members of the fixtures' ensembles.</summary>
    public const int Members = 3;

    /// <summary>The pipeline of one fixture: the version 5 fixture's, with <see cref="Members"/> members.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, SyntheticData.Task task, int epochs = 6) =>
        CompatibilityV5Fixture.Pipeline(ml, task, epochs, ensembleSize: Members);

    /// <summary>Writes v6-shared-embedding-{task}.zip and .predictions.json into <paramref name="target"/>; never overwrites.</summary>
    public static IEnumerable<string> WriteFixtures(string target) =>
        CompatibilityV2Fixture.WriteOnRowsWithHoles(target, "v6-shared-embedding", 6,
            "Written by Embedding/CompatibilityV6Fixture.WriteFixtures (tools/CompatFixtures shared-embedding-v6): 3 members sharing the periodic embedding (k 4, d 3) on the recipe's defaults. Floats are round-trip strings.",
            (ml, task) => Pipeline(ml, task));
}
