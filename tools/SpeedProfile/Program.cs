using System.Diagnostics;
using System.Globalization;
using BnMlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

// Training seconds of the BN-MLP (defaults, or the named budget variants) beside LightGbm's, same process, after one
// untimed warm-up fit of each on 500 rows, interleaved over ROUNDS rounds; seed 42 and each trainer's default threads,
// as in `bench tabular`. Prints one line per dataset and variant: test metric, epochs run, median seconds, median ratio
// max(s, 0.5)/max(LightGbm s, 0.5). The variant "reference" is the defaults through the engine's reference passes
// (ReferencePaths: the unfused, scalar passes, same bits); with it, a last column gives the median over rounds of
// each round's seconds divided by that round's "reference" seconds (an interleaved A/B). The variant "refcat" is the
// defaults with only the categorical embedding's scalar reference loops (ReferencePaths.CategoricalEmbedding), "refmask"
// the defaults with the dropout mask's serial draws (ReferencePaths.DropoutStreams), "refboth" both, "refprep" the
// preprocessing as before (ReferencePaths.Preprocessing), "refall" all three: the A/B of
// docs/performance/catfast.md; the first of them takes the ratio column when there is no "reference". NO_LIGHTGBM=1 skips the
// timed LightGbm fits (their seconds and the ratio to them then read 0 and ∞).
// Usage: dotnet run -c Release --project tools/SpeedProfile -- DIRECTORY DATASET[,DATASET...] VARIANT[,VARIANT...] [ROUNDS]
if (args.Length < 3 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("Usage: SpeedProfile DIRECTORY DATASET[,...] VARIANT[,...] [ROUNDS]; variants: " + string.Join(", ", Variants.Names));
    return 2;
}
int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
var wanted = args[1].Split(',');
var variants = args[2].Split(',').Select(v => (Name: v, Edit: Variants.Get(v))).ToArray();
bool noLightGbm = Environment.GetEnvironmentVariable("NO_LIGHTGBM") == "1";
var suite = DevSuite.Read(args[0]).Where(d => wanted.Contains(d.Name)).ToList();
Console.WriteLine($"# load {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| dataset | variant | metric | epochs | best | s (median) | LightGbm s | ratio |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
foreach (var d in suite)
{
    var ml = new MLContext(seed: 42);
    var (train, test) = d.Load(ml, args[0]);
    var warm = ml.Data.TakeRows(train, 500);
    Fit(d, ml, warm, null, lightGbm: true);
    foreach (var v in variants) { Reference.Set(v.Name); Fit(d, ml, warm, v.Edit, lightGbm: false); }
    Reference.Set("");
    var lgb = new List<double>();
    var times = variants.Select(_ => new List<double>()).ToArray();
    var results = new (double Metric, int Epochs, int Best)[variants.Length];
    for (int r = 0; r < rounds; r++)
    {
        lgb.Add(noLightGbm ? 0 : Fit(d, ml, train, null, lightGbm: true).Seconds);
        for (int i = 0; i < variants.Length; i++)
        {
            Reference.Set(variants[i].Name);
            var (s, model) = Fit(d, ml, train, variants[i].Edit, lightGbm: false);
            Reference.Set("");
            times[i].Add(s);
            results[i] = (Metric(d, ml, model!, test), Epochs(model!).Count, Epochs(model!).Best);
        }
    }
    double lg = Median(lgb);
    int refIndex = Array.FindIndex(variants, v => v.Name == "reference");
    if (refIndex < 0) refIndex = Array.FindIndex(variants, v => v.Name is "refcat" or "refmask" or "refboth" or "refprep" or "refall");
    for (int i = 0; i < variants.Length; i++)
    {
        double s = Median(times[i]);
        string paired = refIndex < 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $" {Median(times[i].Select((t, r) => t / times[refIndex][r]).ToList()):F3} | {string.Join(" ", times[i].Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))} |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {d.Name} | {variants[i].Name} | {results[i].Metric:R} | {results[i].Epochs} | {results[i].Best} | {s:F2} | {lg:F2} | {Math.Max(s, 0.5) / Math.Max(lg, 0.5):F2} |{paired}"));
    }
}
Console.WriteLine($"# load {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

static double Median(List<double> xs) { var s = xs.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }

static (double Seconds, ITransformer? Model) Fit(DevSuite d, MLContext ml, IDataView data, Action<BatchNormMlpOptionsBase>? edit, bool lightGbm)
{
    IEstimator<ITransformer> estimator = (d.Task, lightGbm) switch
    {
        ("binary", true) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options { Seed = 42 }),
        ("multiclass", true) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options { Seed = 42 }),
        (_, true) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { Seed = 42 }),
        ("binary", _) => ml.BinaryClassification.Trainers.BatchNormMlp(Edit(new BatchNormMlpBinaryTrainer.Options { Seed = 42 }, edit)),
        ("multiclass", _) => ml.MulticlassClassification.Trainers.BatchNormMlp(Edit(new BatchNormMlpMulticlassTrainer.Options { Seed = 42 }, edit)),
        _ => ml.Regression.Trainers.BatchNormMlp(Edit(new BatchNormMlpRegressionTrainer.Options { Seed = 42 }, edit)),
    };
    var clock = Stopwatch.StartNew();
    var model = estimator.Fit(data);
    return (clock.Elapsed.TotalSeconds, model);
}

static T Edit<T>(T o, Action<BatchNormMlpOptionsBase>? edit) where T : BatchNormMlpOptionsBase { edit?.Invoke(o); return o; }

static double Metric(DevSuite d, MLContext ml, ITransformer model, IDataView test)
{
    var scored = model.Transform(test);
    return d.Task switch
    {
        "binary" => ml.BinaryClassification.Evaluate(scored).AreaUnderRocCurve,
        "multiclass" => ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
        _ => ml.Regression.Evaluate(scored).RSquared,
    };
}

static (int Count, int Best) Epochs(ITransformer model)
{
    var p = model switch
    {
        ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters> t => t.Model,
        _ => throw new InvalidOperationException("Not a BN-MLP model."),
    };
    var h = p.TrainingHistory;
    int best = h.Count;
    double low = double.PositiveInfinity;
    foreach (var e in h)
        if (e.ValidationLoss is { } l && l < low) { low = l; best = e.Epoch; }
    return (h.Count, best);
}

/// <summary>Sets the engine's internal ReferencePaths switches (by reflection: they are not public API).</summary>
internal static class Reference
{
    private static readonly Type Paths =
        typeof(BnMlNet.Engine.NetworkTrainer).Assembly.GetType("BnMlNet.Engine.Kernels.ReferencePaths")
        ?? throw new InvalidOperationException("The engine has no ReferencePaths class.");

    private static System.Reflection.FieldInfo Field(string name) =>
        Paths.GetField(name) ?? throw new InvalidOperationException($"The engine has no ReferencePaths.{name} switch.");

    /// <summary>
    /// "reference": every reference pass; "refcat": the categorical embedding's scalar loops only; "refmask": the dropout
    /// mask without side-by-side stretches only; "refboth": those two; "refprep": the preprocessor's row passes only;
    /// "refall": the three (main's code for everything branch catfast changed); anything else: none.
    /// </summary>
    public static void Set(string variant)
    {
        Field("Enabled").SetValue(null, variant == "reference");
        Field("CategoricalEmbedding").SetValue(null, variant is "refcat" or "refboth" or "refall");
        Field("DropoutStreams").SetValue(null, variant is "refmask" or "refboth" or "refall");
        Field("Preprocessing").SetValue(null, variant is "refprep" or "refall");
    }
}

/// <summary>The budget variants measured against the defaults.</summary>
internal static class Variants
{
    private static readonly Dictionary<string, Action<BatchNormMlpOptionsBase>> All = new()
    {
        ["defaults"] = _ => { },
        ["reference"] = _ => { },
        ["refcat"] = _ => { },
        ["refmask"] = _ => { },
        ["refboth"] = _ => { },
        ["refprep"] = _ => { },
        ["refall"] = _ => { },
        ["t1"] = o => o.NumberOfThreads = 1,
        ["b128"] = o => o.BatchSize = 128,
        ["b128p16"] = o => { o.BatchSize = 128; o.EarlyStoppingPatience = 16; },
        ["p12"] = o => o.EarlyStoppingPatience = 12,
        ["p10"] = o => o.EarlyStoppingPatience = 10,
        ["b256"] = o => Batch(o, 256, true),
        ["b512"] = o => Batch(o, 512, true),
        ["b1024"] = o => Batch(o, 1024, true),
        ["b512c"] = o => Batch(o, 512, false),
        ["p8"] = o => o.EarlyStoppingPatience = 8,
        ["b512p8"] = o => { Batch(o, 512, true); o.EarlyStoppingPatience = 8; },
        ["b256p8"] = o => { Batch(o, 256, true); o.EarlyStoppingPatience = 8; },
        ["cos"] = o => o.LearningRateSchedule = LearningRateSchedule.Cosine,
        ["b512cos"] = o => { Batch(o, 512, true); o.LearningRateSchedule = LearningRateSchedule.Cosine; },
        ["e50"] = o => o.NumberOfEpochs = 50,
        // The cost of one epoch at the automatic batch and at 1024 (the linear rule's 8e-3): 20 epochs, no early stopping
        // (docs/performance/steps.md).
        ["e20"] = o => { o.NumberOfEpochs = 20; o.EarlyStoppingPatience = 0; },
        ["e20b1024"] = o => { o.NumberOfEpochs = 20; o.EarlyStoppingPatience = 0; o.BatchSize = 1024; o.LearningRate = 8e-3f; },
        // The cost of the shared-embedding ensemble (docs/ensembles.md): 20 fixed epochs, 1 or 5 members, with or without the embedding.
        ["e20k1"] = o => { o.NumberOfEpochs = 20; o.EarlyStoppingPatience = 0; o.EnsembleSize = 1; o.RefitOnAllRows = false; },
        ["e20k5"] = o => { o.NumberOfEpochs = 20; o.EarlyStoppingPatience = 0; o.EnsembleSize = 5; o.RefitOnAllRows = false; },
        ["e20k1pe"] = o => { o.NumberOfEpochs = 20; o.EarlyStoppingPatience = 0; o.EnsembleSize = 1; o.RefitOnAllRows = false; o.NumericEmbedding = NumericEmbedding.Periodic; },
        ["e20k5pe"] = o => { o.NumberOfEpochs = 20; o.EarlyStoppingPatience = 0; o.EnsembleSize = 5; o.RefitOnAllRows = false; o.NumericEmbedding = NumericEmbedding.Periodic; },
    };

    /// <summary>Batch size b with the learning rate scaled by √(b/128) when asked.</summary>
    private static void Batch(BatchNormMlpOptionsBase o, int b, bool scaleLr)
    {
        o.BatchSize = b;
        if (scaleLr) o.LearningRate = (float)(1e-3 * Math.Sqrt(b / 128.0));
    }

    public static IEnumerable<string> Names => All.Keys;

    public static Action<BatchNormMlpOptionsBase> Get(string name) =>
        All.TryGetValue(name, out var a) ? a : throw new ArgumentException($"Unknown variant '{name}'; known: {string.Join(", ", All.Keys)}.");
}
