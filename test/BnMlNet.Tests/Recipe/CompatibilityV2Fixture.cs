using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using Microsoft.ML;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// Writes the tabular recipe's payload-version-2 fixtures (Fixtures/compat/v2-*): the recipe's default pipelines
/// trained on rows with NaN and +∞, and their predictions on such rows. Shared by the tests and by
/// tools/CompatFixtures (no test framework here); the files' format is <see cref="CompatibilityFixture"/>'s.
/// </summary>
public static class CompatibilityV2Fixture
{
    /// <summary>Writes NaN into every 6th row's X1 and NaN or +∞ into every 8th row's X2 (from row 1 and row 3).</summary>
    public static List<RawRow> WithHoles(List<RawRow> rows)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (i % 6 == 1) rows[i].X1 = float.NaN;
            if (i % 8 == 3) rows[i].X2 = i % 16 == 3 ? float.PositiveInfinity : float.NaN;
        }
        return rows;
    }

    /// <summary>The output columns of the v2-and-later fixtures (<see cref="CompatibilityFixture.Predictions(ITransformer, IDataView, SyntheticData.Task, bool)"/> without PredictedLabel).</summary>
    public static JsonObject Predictions(ITransformer model, IDataView input, SyntheticData.Task task) =>
        CompatibilityFixture.Predictions(model, input, task, withPredictedLabel: false);

    /// <summary>Writes the v2 fixtures into <paramref name="target"/> (run by <c>dotnet run --project tools/CompatFixtures -- recipe-v2</c>); never overwrites.</summary>
    public static IEnumerable<string> WriteFixtures(string target) =>
        WriteOnRowsWithHoles(target, "v2", 2,
            "Written by Recipe/CompatibilityV2Tests.WriteFixtures (tools/CompatFixtures recipe-v2): defaults of the recipe (robust scaling, imputation, hold-out, standardized label). Floats are round-trip strings.",
            (ml, task) => SyntheticData.Pipeline(ml, task, epochs: 6));

    /// <summary>
    /// Writes a fixture set as the v2, v3 and v5 sets are made: <paramref name="pipeline"/> trained on 240 rows with holes
    /// (<see cref="WithHoles"/>, seed 1) and recorded on 24 (seed 99), the document {payloadVersion,
    /// <paramref name="fields"/>, note, input, output}. Never overwrites.
    /// </summary>
    public static IEnumerable<string> WriteOnRowsWithHoles(string target, string name, int payloadVersion, string note,
        Func<MLContext, SyntheticData.Task, IEstimator<ITransformer>> pipeline, params (string Key, JsonNode Value)[] fields)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(WithHoles(SyntheticData.Rows(240, seed: 1)));
        var probe = WithHoles(SyntheticData.Rows(24, seed: 99));
        return CompatibilityFixture.WriteSet(target, name, ml, train,
            task => pipeline(ml, task).Fit(train),
            (task, model) =>
            {
                var document = new JsonObject { ["payloadVersion"] = payloadVersion };
                foreach (var (key, value) in fields) document[key] = value.DeepClone();
                document["note"] = note;
                document["input"] = CompatibilityFixture.Rows(probe);
                document["output"] = Predictions(model, ml.Data.LoadFromEnumerable(probe), task);
                return document;
            });
    }
}
