using System.Globalization;
using System.Text;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>Identifier columns are left out of the features; high-cardinality text columns are hashed; --ignore and --keep decide.</summary>
[TestClass]
public sealed class IdentifierColumnTests
{
    private static string ShippedAnes96 => RepositoryPaths.DataFile("anes96-vote.csv")
        ?? throw new InvalidOperationException("data/anes96-vote.csv was not found above the test's folder: the repository's data/ folder is expected.");

    [TestMethod]
    public void ShippedCsvsHaveNoFalseIdentifiers()
    {
        // Every column of the shipped CSVs is numeric with repeated values: nothing may be left out.
        string dir = SamplesRunner.NewTempFolder("id-shipped");
        string model = Path.Combine(dir, "m.zip");
        var (code, output) = SamplesRunner.Run("train", "--data", ShippedAnes96, "--label", "vote", "--task", "binary",
            "--out", model, "--epochs", "1", "--hidden", "8");
        Assert.AreEqual(0, code, output);
        var sidecar = ModelSidecar.Load(model);
        Assert.HasCount(9, sidecar.Features);
        Assert.IsEmpty(sidecar.Ignored);
        Assert.DoesNotContain("warning:", output);
    }

    [TestMethod]
    public void AnIdColumnIsLeftOutWithAWarningAndCarriedThroughPredict()
    {
        string dir = SamplesRunner.NewTempFolder("id-anes");
        string withId = WithIdColumn(ShippedAnes96, Path.Combine(dir, "anes-id.csv"));
        string model = Path.Combine(dir, "m.zip");

        var (code, output) = SamplesRunner.Run("train", "--data", withId, "--label", "vote", "--task", "binary",
            "--out", model, "--epochs", "2", "--hidden", "8");
        Assert.AreEqual(0, code, output);
        Assert.Contains("warning: column 'id' looks like an identifier (944 distinct values in 944 rows)", output);
        Assert.Contains("--keep id", output);
        var sidecar = ModelSidecar.Load(model);
        Assert.IsFalse(sidecar.Features.Any(f => f.Name == "id"), "the sidecar's features must leave the id out");
        CollectionAssert.AreEqual(new[] { "id" }, sidecar.Ignored.ToArray());
        Assert.AreEqual(9, FeatureWidth(model, withId), "the feature vector holds the 9 numeric columns, no one-hot of ids");

        // predict carries the ignored column through unchanged, row by row.
        string predictions = Path.Combine(dir, "p.csv");
        (code, output) = SamplesRunner.Run("predict", "--model", model, "--data", withId, "--out", predictions);
        Assert.AreEqual(0, code, output);
        var inputLines = File.ReadAllLines(withId);
        var outputLines = File.ReadAllLines(predictions);
        Assert.HasCount(inputLines.Length, outputLines);
        Assert.StartsWith("id,", outputLines[0]);
        for (int i = 1; i < inputLines.Length; i++)
            Assert.AreEqual(inputLines[i].Split(',')[0], outputLines[i].Split(',')[0]);

        // The id is not needed to score: a CSV without it scores the same.
        string predictionsWithoutId = Path.Combine(dir, "p2.csv");
        (code, output) = SamplesRunner.Run("predict", "--model", model, "--data", ShippedAnes96, "--out", predictionsWithoutId);
        Assert.AreEqual(0, code, output);
        var without = File.ReadAllLines(predictionsWithoutId);
        for (int i = 1; i < without.Length; i++)
            Assert.AreEqual(string.Join(',', outputLines[i].Split(',')[^3..]), string.Join(',', without[i].Split(',')[^3..]));
    }

    [TestMethod]
    public void KeepAndIgnoreGiveTheUserTheLastWord()
    {
        string dir = SamplesRunner.NewTempFolder("id-keep");
        string withId = WithIdColumn(ShippedAnes96, Path.Combine(dir, "anes-id.csv"));

        string kept = Path.Combine(dir, "kept.zip");
        var (code, output) = SamplesRunner.Run("train", "--data", withId, "--label", "vote", "--task", "binary",
            "--out", kept, "--epochs", "1", "--hidden", "8", "--keep", "id");
        Assert.AreEqual(0, code, output);
        Assert.DoesNotContain("warning:", output);
        var sidecar = ModelSidecar.Load(kept);
        Assert.IsTrue(sidecar.Features.Any(f => f.Name == "id" && f.Kind == CsvColumnKind.Text));
        // 944 ids > 256 levels: hashed into 256 slots, not a 944-wide one-hot.
        Assert.Contains("column 'id' has 944 distinct values: hashed into 256 slots", output);
        CollectionAssert.AreEqual(new[] { "id" }, sidecar.Hashed.ToArray());
        Assert.AreEqual(9 + FeatureSelection.HashSlots, FeatureWidth(kept, withId));

        string ignored = Path.Combine(dir, "ignored.zip");
        (code, output) = SamplesRunner.Run("train", "--data", withId, "--label", "vote", "--task", "binary",
            "--out", ignored, "--epochs", "1", "--hidden", "8", "--ignore", "id,popul");
        Assert.AreEqual(0, code, output);
        sidecar = ModelSidecar.Load(ignored);
        CollectionAssert.AreEquivalent(new[] { "id", "popul" }, sidecar.Ignored.ToArray());
        Assert.HasCount(8, sidecar.Features);
        Assert.AreEqual(8, FeatureWidth(ignored, withId));
    }

    [TestMethod]
    public void BadIgnoreOrKeepNamesTheColumn()
    {
        string dir = SamplesRunner.NewTempFolder("id-bad");
        string train = TestCsv.Write(Path.Combine(dir, "train.csv"), 60, seed: 1);
        string model = Path.Combine(dir, "m.zip");
        string[] common = ["train", "--data", train, "--label", "vote", "--task", "binary", "--out", model, "--epochs", "1"];

        var (code, output) = SamplesRunner.Run([.. common, "--ignore", "nosuch"]);
        Assert.AreEqual(2, code, output);
        Assert.Contains("--ignore names column 'nosuch', which is not in", output);
        (code, output) = SamplesRunner.Run([.. common, "--keep", "vote"]);
        Assert.AreEqual(2, code, output);
        Assert.Contains("--keep names the label column 'vote'", output);
        (code, output) = SamplesRunner.Run([.. common, "--ignore", "color", "--keep", "color"]);
        Assert.AreEqual(2, code, output);
        Assert.Contains("Column 'color' is given to both --ignore and --keep", output);
        Assert.IsFalse(File.Exists(model));
    }

    [TestMethod]
    public void ATextColumnWithManyLevelsIsHashedNotOneHot()
    {
        // 1,500 rows, 'city' with 500 levels (3 rows each): not an identifier (a third of the rows), but too many for a one-hot.
        string dir = SamplesRunner.NewTempFolder("id-hash");
        string path = Path.Combine(dir, "cities.csv");
        var random = new Random(5);
        var sb = new StringBuilder("x,city,color,y\n");
        for (int i = 0; i < 1500; i++)
        {
            double x = random.NextDouble() * 2 - 1;
            int city = i % 500;
            sb.Append(CultureInfo.InvariantCulture, $"{x:F4},c{city:D3},{(i % 3 == 0 ? "red" : "blue")},{(x + (city % 2) - 0.5 > 0 ? 1 : 0)}\n");
        }
        File.WriteAllText(path, sb.ToString());
        string model = Path.Combine(dir, "m.zip");
        var (code, output) = SamplesRunner.Run("train", "--data", path, "--label", "y", "--task", "binary",
            "--out", model, "--epochs", "2", "--hidden", "8");
        Assert.AreEqual(0, code, output);
        Assert.Contains("column 'city' has 500 distinct values: hashed into 256 slots", output);
        Assert.DoesNotContain("warning:", output);
        var sidecar = ModelSidecar.Load(model);
        CollectionAssert.AreEqual(new[] { "city" }, sidecar.Hashed.ToArray());
        // x (1) + city hashed (256) + color one-hot (2).
        Assert.AreEqual(1 + 256 + 2, FeatureWidth(model, path));
    }

    [TestMethod]
    public void IdentifierRuleNeedsEnoughRowsAndNearlyAllDistinct()
    {
        Assert.IsTrue(FeatureSelection.IsIdentifier(100, 100));
        Assert.IsTrue(FeatureSelection.IsIdentifier(90, 100));
        Assert.IsFalse(FeatureSelection.IsIdentifier(89, 100));
        Assert.IsFalse(FeatureSelection.IsIdentifier(19, 19), "too few rows to tell");
    }

    /// <summary>The width of the model's feature vector, read from the saved pipeline's output schema.</summary>
    private static int FeatureWidth(string modelPath, string csv)
    {
        var ml = new MLContext(seed: 1);
        var input = CsvModelInput.Load(ml, modelPath, csv, withLabel: false);
        var type = (VectorDataViewType)input.Model.GetOutputSchema(input.Data.Schema)[CsvModelTrainer.FeaturesColumn].Type;
        return type.Size;
    }

    /// <summary>Copies <paramref name="source"/> with a first column <c>id</c> = R0001, R0002, … (one value per row).</summary>
    private static string WithIdColumn(string source, string target)
    {
        var lines = File.ReadAllLines(source);
        File.WriteAllLines(target, lines.Select((l, i) => (i == 0 ? "id" : $"R{i:D4}") + "," + l));
        return target;
    }
}
