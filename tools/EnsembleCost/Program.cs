using System.Diagnostics;
using System.Globalization;
using BnMlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

// The ensemble cost table of docs/ensembles.md: for EnsembleSize 1, 4 and 8 on one dataset of the development suite,
// the training seconds (a fixed 5 epochs, no early stopping, 1 thread, the other options on their defaults) and the
// bulk Transform seconds over the test split (best of 3), with the metric. Indicative only on a shared machine.
// Usage: dotnet run -c Release --project tools/EnsembleCost -- DIRECTORY DATASET
if (args.Length != 2 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("Usage: EnsembleCost DIRECTORY DATASET   (DIRECTORY: the development suite, with manifest.tsv)");
    return 2;
}
var d = DevSuite.Read(args[0]).SingleOrDefault(s => s.Name == args[1]);
if (d is null)
{
    Console.Error.WriteLine($"{args[1]} is not in {args[0]}/manifest.tsv");
    return 2;
}
var ml = new MLContext(seed: 1);
var (train, test) = d.Load(ml, args[0]);
Console.WriteLine($"dataset {d.Name} ({d.Task}), load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| k | train s | × k=1 | score s (test) | × k=1 | metric |");
Console.WriteLine("|---|---|---|---|---|---|");
double train1 = 0, score1 = 0;
foreach (int k in new[] { 1, 4, 8 })
{
    void Configure(BatchNormMlpOptionsBase o)
    {
        o.EnsembleSize = k;
        o.NumberOfEpochs = 5;
        o.EarlyStoppingPatience = 0;
    }
    var clock = Stopwatch.StartNew();
    ITransformer model = d.Task switch
    {
        "binary" => ml.BinaryClassification.Trainers.BatchNormMlp(Make(new BatchNormMlpBinaryTrainer.Options(), Configure)).Fit(train),
        "multiclass" => ml.MulticlassClassification.Trainers.BatchNormMlp(Make(new BatchNormMlpMulticlassTrainer.Options(), Configure)).Fit(train),
        _ => ml.Regression.Trainers.BatchNormMlp(Make(new BatchNormMlpRegressionTrainer.Options(), Configure)).Fit(train),
    };
    double trainSeconds = clock.Elapsed.TotalSeconds;
    double metric = d.Task switch
    {
        "binary" => ml.BinaryClassification.Evaluate(model.Transform(test)).AreaUnderRocCurve,
        "multiclass" => ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy,
        _ => ml.Regression.Evaluate(model.Transform(test)).RSquared,
    };
    double best = double.MaxValue;
    for (int rep = 0; rep < 3; rep++)
    {
        var s = Stopwatch.StartNew();
        var scored = model.Transform(test);
        _ = d.Task == "multiclass" ? scored.GetColumn<Microsoft.ML.Data.VBuffer<float>>("Score").Count() : scored.GetColumn<float>("Score").Count();
        best = Math.Min(best, s.Elapsed.TotalSeconds);
    }
    if (k == 1) { train1 = trainSeconds; score1 = best; }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {k} | {trainSeconds:F2} | {trainSeconds / train1:F1} | {best:F3} | {best / score1:F1} | {metric:F4} |"));
}
Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

static T Make<T>(T o, Action<BatchNormMlpOptionsBase> configure) where T : BatchNormMlpOptionsBase
{
    o.Seed = 1;
    o.NumberOfThreads = 1;
    configure(o);
    return o;
}
