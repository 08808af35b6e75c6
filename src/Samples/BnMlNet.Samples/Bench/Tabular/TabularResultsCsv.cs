using System.Globalization;
using BnMlNet.Samples.Csv;
using CsvHelper;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>
/// The bench's results as a CSV file beside report.md (results.csv): one row per trainer or ablation fit, with the
/// figures as the report prints them, so that several runs (seeds) can be summarized together
/// (<c>bench tabular-ablation-summary</c>).
/// </summary>
public static class TabularResultsCsv
{
    /// <summary>The file's name.</summary>
    public const string FileName = "results.csv";

    /// <summary>The kind of a row: one of the four trainers on its defaults.</summary>
    public const string TrainerKind = "trainer";

    /// <summary>The kind of a row: the BN-MLP with one ablation.</summary>
    public const string AblationKind = "ablation";

    private static readonly string[] Header =
        ["seed", "dataset", "group", "task", "train_rows", "test_rows", "features", "categorical_blocks", "kind", "name", "metric", "seconds"];

    /// <summary>The CSV text of one run with <paramref name="seed"/>.</summary>
    public static string Write(int seed, IReadOnlyList<DatasetResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true))
        {
            csv.WriteHeader(Header);
            foreach (var r in results)
                foreach (var (kind, s) in r.Scores.Select(s => (TrainerKind, s)).Concat(r.AblationScores.Select(s => (AblationKind, s))))
                    csv.WriteRecord(
                    [
                        I(seed), r.Dataset, r.Group, r.Task.ToString(), I(r.TrainRows), I(r.TestRows), I(r.Features), I(r.CategoricalBlocks),
                        kind, s.Trainer, s.Metric.ToString("R", CultureInfo.InvariantCulture), s.Seconds.ToString("R", CultureInfo.InvariantCulture),
                    ]);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>One run read back: its seed and its results, datasets in file order.</summary>
    /// <exception cref="InvalidDataException">The file is not a results.csv of one run (its path and the problem named).</exception>
    public static (int Seed, IReadOnlyList<DatasetResult> Results) Read(string path)
    {
        var records = new List<(long Line, string[] Fields)>();
        using (var reader = CsvReader.Create(File.OpenRead(path), CsvReaderOptions.Default with { HasHeader = false, TrackLineNumbers = true }, leaveOpen: false))
            while (reader.Read()) records.Add((reader.LineNumber, reader.Current.ToArray()));
        if (records.Count == 0 || !records[0].Fields.SequenceEqual(Header))
            throw new InvalidDataException($"{path}: not a bench tabular {FileName}; expected the header {string.Join(",", Header)}.");
        var seeds = new HashSet<int>();
        var order = new List<string>();
        var rows = new Dictionary<string, (string Group, MlTask Task, int[] Sizes, List<TrainerScore> Scores, List<TrainerScore> Ablated)>();
        foreach (var (line, f) in records.Skip(1))
        {
            if (f.Length != Header.Length)
                throw new InvalidDataException($"{path}, line {line}: {f.Length} fields, expected {Header.Length}.");
            string Field(string name) => f[Array.IndexOf(Header, name)];
            int Int(string name) => int.TryParse(Field(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
                : throw new InvalidDataException($"{path}, line {line}: {name} '{Field(name)}' is not an integer.");
            double Number(string name) => double.TryParse(Field(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                : throw new InvalidDataException($"{path}, line {line}: {name} '{Field(name)}' is not a number.");

            seeds.Add(Int("seed"));
            string dataset = Field("dataset");
            if (!rows.TryGetValue(dataset, out var entry))
            {
                if (!Enum.TryParse<MlTask>(Field("task"), out var task))
                    throw new InvalidDataException($"{path}, line {line}: task '{Field("task")}' is not one of {string.Join(", ", Enum.GetNames<MlTask>())}.");
                entry = (Field("group"), task, [Int("train_rows"), Int("test_rows"), Int("features"), Int("categorical_blocks")], [], []);
                rows[dataset] = entry;
                order.Add(dataset);
            }
            var score = new TrainerScore(Field("name"), Number("metric"), Number("seconds"));
            switch (Field("kind"))
            {
                case TrainerKind: entry.Scores.Add(score); break;
                case AblationKind: entry.Ablated.Add(score); break;
                default: throw new InvalidDataException($"{path}, line {line}: kind '{Field("kind")}' is neither {TrainerKind} nor {AblationKind}.");
            }
        }
        if (seeds.Count != 1) throw new InvalidDataException($"{path}: expected the rows of one run (one seed); found {seeds.Count} seeds.");
        var results = order.Select(d =>
        {
            var e = rows[d];
            foreach (var t in new[] { TabularTrainers.BnMlp, TabularTrainers.LightGbm, TabularTrainers.FastTree, TabularTrainers.Sdca })
                if (!e.Scores.Any(s => s.Trainer == t)) throw new InvalidDataException($"{path}: dataset {d} has no {TrainerKind} row for {t}.");
            return new DatasetResult(d, e.Group, e.Task, e.Sizes[0], e.Sizes[1], e.Sizes[2], e.Sizes[3], e.Scores, e.Ablated);
        }).ToList();
        return (seeds.Single(), results);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
