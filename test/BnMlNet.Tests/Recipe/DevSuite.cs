using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// One dataset of the development suite (../shared/datasets/tabular, read in place): the manifest's columns, loaded
/// with the same featurization every trainer gets in issue 11's figures (missing numbers → mean, text → one-hot).
/// </summary>
public sealed record DevSuite(string Name, string Task, string[] Numeric, string[] Categorical)
{
    public static IReadOnlyList<DevSuite> Read(string directory) =>
        File.ReadAllLines(Path.Combine(directory, "manifest.tsv")).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(p => new DevSuite(p[0], p[1], Split(p[3]), p.Length > 4 ? Split(p[4]) : [])).ToList();

    private static string[] Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Train and test views with Label (Boolean, key or Single by task) and Features.</summary>
    public (IDataView Train, IDataView Test) Load(MLContext ml, string directory)
    {
        string trainPath = Path.Combine(directory, Name + ".train.csv"), testPath = Path.Combine(directory, Name + ".test.csv");
        var header = File.ReadLines(trainPath).First().Split(',').Select(h => h.Trim('"')).ToList();
        var labelKind = Task switch { "binary" => DataKind.Boolean, "multiclass" => DataKind.String, _ => DataKind.Single };
        var columns = new List<TextLoader.Column> { new("Label", labelKind, header.IndexOf("Label")) };
        columns.AddRange(Numeric.Select(c => new TextLoader.Column(c, DataKind.Single, header.IndexOf(c))));
        columns.AddRange(Categorical.Select(c => new TextLoader.Column(c, DataKind.String, header.IndexOf(c))));
        var options = new TextLoader.Options { Columns = columns.ToArray(), HasHeader = true, Separators = [','], AllowQuoting = true, MissingRealsAsNaNs = true };
        var loader = ml.Data.CreateTextLoader(options);
        IDataView train = loader.Load(trainPath), test = loader.Load(testPath);
        IEstimator<ITransformer> prep = new EstimatorChain<ITransformer>();
        if (Task == "multiclass") prep = prep.Append(ml.Transforms.Conversion.MapValueToKey("Label"));
        if (Numeric.Length > 0) prep = prep.Append(ml.Transforms.ReplaceMissingValues(Numeric.Select(c => new InputOutputColumnPair(c)).ToArray()));
        if (Categorical.Length > 0) prep = prep.Append(ml.Transforms.Categorical.OneHotEncoding(Categorical.Select(c => new InputOutputColumnPair(c)).ToArray()));
        prep = prep.Append(ml.Transforms.Concatenate("Features", Numeric.Concat(Categorical).ToArray()));
        var fitted = prep.Fit(train);
        return (ml.Data.Cache(fitted.Transform(train)), ml.Data.Cache(fitted.Transform(test)));
    }

    /// <summary>AUC (binary), micro-accuracy (multiclass) or R² (regression) of <paramref name="configure"/>'s trainer on the test split.</summary>
    public (double Score, int Epochs, double Seconds) Score(MLContext ml, IDataView train, IDataView test, Action<BatchNormMlpOptionsBase> configure)
    {
        switch (Task)
        {
            case "binary":
            {
                var o = new BatchNormMlpBinaryTrainer.Options { Seed = 1, NumberOfThreads = 1 };
                configure(o);
                var m = ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(train);
                return (ml.BinaryClassification.Evaluate(m.Transform(test)).AreaUnderRocCurve, m.Model.TrainingHistory.Count, m.Model.TrainingHistory.Sum(e => e.Seconds));
            }
            case "multiclass":
            {
                var o = new BatchNormMlpMulticlassTrainer.Options { Seed = 1, NumberOfThreads = 1 };
                configure(o);
                var m = ml.MulticlassClassification.Trainers.BatchNormMlp(o).Fit(train);
                return (ml.MulticlassClassification.Evaluate(m.Transform(test)).MicroAccuracy, m.Model.TrainingHistory.Count, m.Model.TrainingHistory.Sum(e => e.Seconds));
            }
            default:
            {
                var o = new BatchNormMlpRegressionTrainer.Options { Seed = 1, NumberOfThreads = 1 };
                configure(o);
                var m = ml.Regression.Trainers.BatchNormMlp(o).Fit(train);
                return (ml.Regression.Evaluate(m.Transform(test)).RSquared, m.Model.TrainingHistory.Count, m.Model.TrainingHistory.Sum(e => e.Seconds));
            }
        }
    }
}
