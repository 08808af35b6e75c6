using System.Globalization;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>
/// Models trained once for the whole test run with the sample app's own <c>train</c> command (as a user would),
/// on small CSVs written here: numeric x1, x2, text color, and one label per task.
/// </summary>
[TestClass]
public static class ServingModels
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>The folder holding the CSVs and the models.</summary>
    public static string Folder { get; private set; } = "";

    /// <summary>Binary (label vote), trained with seed 1.</summary>
    public static string Binary => Path.Combine(Folder, "binary.zip");

    /// <summary>Binary with the same columns, other training data and seed (the model swapped in by reload tests).</summary>
    public static string BinaryOther => Path.Combine(Folder, "binary-other.zip");

    /// <summary>Multiclass (label kind: low, mid, high).</summary>
    public static string Multiclass => Path.Combine(Folder, "multiclass.zip");

    /// <summary>Regression (label amount).</summary>
    public static string Regression => Path.Combine(Folder, "regression.zip");

    /// <summary>80 rows without labels, some with a missing number, to score.</summary>
    public static string Rows => Path.Combine(Folder, "rows.csv");

    [AssemblyInitialize]
    public static void TrainAll(TestContext _)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"bnmlnet-serving-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        Train(Write("binary.csv", 300, 1, "vote"), "vote", "binary", Binary, seed: 1);
        Train(Write("binary-other.csv", 300, 7, "vote"), "vote", "binary", BinaryOther, seed: 9);
        Train(Write("multiclass.csv", 300, 2, "kind"), "kind", "multiclass", Multiclass, seed: 1);
        Train(Write("regression.csv", 300, 3, "amount"), "amount", "regression", Regression, seed: 1);
        Write("rows.csv", 80, 4, label: null, missingEvery: 9);
    }

    [AssemblyCleanup]
    public static void Cleanup()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing a file; the temp folder is left behind.
        }
    }

    private static void Train(string csv, string label, string task, string model, int seed)
    {
        var output = new StringWriter();
        int code = BnMlNet.Samples.Program.Run(["train", "--data", csv, "--label", label, "--task", task, "--out", model,
            "--epochs", "15", "--hidden", "16,8", "--learning-rate", "0.01", "--seed", seed.ToString(CultureInfo.InvariantCulture)], output);
        Assert.AreEqual(0, code, output.ToString());
    }

    /// <summary>
    /// Writes x1, x2, color and the label (vote 0/1, kind low/mid/high, amount), all depending on x1 and color;
    /// with <paramref name="missingEvery"/>, every n-th row has an empty x2.
    /// </summary>
    private static string Write(string name, int rows, int seed, string? label, int missingEvery = 0)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("x1,x2,color" + (label is null ? "" : "," + label) + "\n");
        for (int i = 0; i < rows; i++)
        {
            // Seven significant digits: numbers as a client would send them, not only short decimals.
            double x1 = random.NextDouble() * 4 - 2, x2 = random.NextDouble();
            string color = Colors[random.Next(Colors.Length)];
            double effect = color == "red" ? 1.5 : color == "green" ? -1.5 : 0;
            string value = label switch
            {
                "vote" => x1 + effect > 0 ? "1" : "0",
                "kind" => x1 + effect > 1 ? "high" : x1 + effect < -1 ? "low" : "mid",
                "amount" => (3 * x1 + 2 * effect + 0.1 * x2).ToString("G7", CultureInfo.InvariantCulture),
                _ => "",
            };
            string x2Text = missingEvery > 0 && i % missingEvery == 0 ? "" : x2.ToString("G7", CultureInfo.InvariantCulture);
            sb.Append(x1.ToString("G7", CultureInfo.InvariantCulture)).Append(',').Append(x2Text).Append(',').Append(color);
            if (label is not null) sb.Append(',').Append(value);
            sb.Append('\n');
        }
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
