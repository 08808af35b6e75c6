using System.Diagnostics;
using System.Globalization;
using BnMlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

// The ensemble cost of docs/ensembles.md and docs/performance/ensemble.md: EnsembleSize K against 1 on one dataset of the
// development suite, interleaved in one process (rounds alternate 1, K and K, 1; the ratios are the medians over rounds).
// Training: a fixed 5 epochs, no early stopping, 1 thread, the other options on their defaults; "epoch s" is the mean of
// the training history's per-epoch seconds (training and that epoch's validation), "fit s" the whole Fit. Scoring: bulk
// Transform of the test split, rows/s of the best of 3. Indicative only on a shared machine: quote the load average.
// Usage: dotnet run -c Release --project tools/EnsembleCost -- DIRECTORY DATASET [ROUNDS=3] [K=8]
if (args.Length is < 2 or > 4 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("Usage: EnsembleCost DIRECTORY DATASET [ROUNDS] [K]   (DIRECTORY: the development suite, with manifest.tsv)");
    return 2;
}
var d = DevSuite.Read(args[0]).SingleOrDefault(s => s.Name == args[1]);
if (d is null)
{
    Console.Error.WriteLine($"{args[1]} is not in {args[0]}/manifest.tsv");
    return 2;
}
int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
int big = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
var ml = new MLContext(seed: 1);
var (train, test) = d.Load(ml, args[0]);
long testRows = 0;
using (var cursor = test.GetRowCursor([])) while (cursor.MoveNext()) testRows++;
Console.WriteLine($"dataset {d.Name} ({d.Task}), {testRows} test rows, load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| round | k | fit s | epoch s | score rows/s | metric |");
Console.WriteLine("|---|---|---|---|---|---|");
var fit = new List<double>[2] { [], [] };
var epoch = new List<double>[2] { [], [] };
var score = new List<double>[2] { [], [] };
for (int round = 1; round <= rounds; round++)
{
    int[] order = round % 2 == 1 ? [1, big] : [big, 1];
    foreach (int k in order)
    {
        var (fitSeconds, epochSeconds, rowsPerSecond, metric) = Measure(k);
        int at = k == 1 ? 0 : 1;
        fit[at].Add(fitSeconds);
        epoch[at].Add(epochSeconds);
        score[at].Add(rowsPerSecond);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {k} | {fitSeconds:F2} | {epochSeconds:F3} | {rowsPerSecond:F0} | {metric:F4} |"));
    }
}
static double Median(IEnumerable<double> v) { var s = v.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }
double Ratio(List<double>[] x, int i, bool inverse) => inverse ? x[0][i] / x[1][i] : x[1][i] / x[0][i];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median k={big}/k=1 over {rounds} rounds: fit {Median(Enumerable.Range(0, rounds).Select(i => Ratio(fit, i, false))):F2}×, " +
    $"epoch {Median(Enumerable.Range(0, rounds).Select(i => Ratio(epoch, i, false))):F2}×, " +
    $"bulk scoring time {Median(Enumerable.Range(0, rounds).Select(i => Ratio(score, i, true))):F2}×"));
Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

(double Fit, double Epoch, double RowsPerSecond, double Metric) Measure(int k)
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
    double fitSeconds = clock.Elapsed.TotalSeconds;
    var history = ((ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>)model).Model.TrainingHistory;
    double epochSeconds = history.Average(e => e.Seconds);
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
        _ = d.Task == "multiclass" ? scored.GetColumn<VBuffer<float>>("Score").Count() : scored.GetColumn<float>("Score").Count();
        best = Math.Min(best, s.Elapsed.TotalSeconds);
    }
    return (fitSeconds, epochSeconds, testRows / best, metric);
}

static T Make<T>(T o, Action<BatchNormMlpOptionsBase> configure) where T : BatchNormMlpOptionsBase
{
    o.Seed = 1;
    o.NumberOfThreads = 1;
    configure(o);
    return o;
}
