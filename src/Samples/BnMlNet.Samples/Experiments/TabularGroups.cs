using System.Globalization;
using BnMlNet.Samples.Bench.Tabular;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// The shared shape of the tabular ablations (experiments 10 and 11): a per-dataset table with one column per recipe variant,
/// and the datasets grouped by size (small tables, where BN was seen to cost accuracy, against large ones) with each variant's
/// mean metric over the group.
/// </summary>
public static class TabularGroups
{
    /// <summary>A table is "small" below this many training rows.</summary>
    public const int SmallRows = 10_000;

    /// <summary>
    /// The small tables only (fewer than <see cref="SmallRows"/> training rows): experiments 10 and 11 ask why BN costs accuracy on small
    /// tables, and the large ones would take most of their compute. In quick mode every table is cut to the first rows, so all are small.
    /// </summary>
    public static IReadOnlyList<TabularDataset> SmallOnly(IReadOnlyList<TabularDataset> datasets, bool quick)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        return datasets.Where(d => TabularSuite.Prepare(d, quick).TrainRows < SmallRows).ToList();
    }

    /// <summary>A sentence for the setup naming the tables used.</summary>
    public static string SmallOnlyText(IReadOnlyList<TabularDataset> small, int all) =>
        string.Create(CultureInfo.InvariantCulture,
            $"the {small.Count} of the {all} development-suite tables with fewer than {SmallRows:N0} training rows ({string.Join(", ", small.Select(d => d.Name))})");

    /// <summary>The groups: name and the indices of their datasets (empty groups left out; "all" last).</summary>
    public static IReadOnlyList<(string Name, int[] Members)> Of(IReadOnlyList<TabularDataset> datasets, bool quick)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        int[] rows = datasets.Select(d => TabularSuite.Prepare(d, quick).TrainRows).ToArray();
        var groups = new List<(string, int[])>
        {
            (string.Create(CultureInfo.InvariantCulture, $"small (< {SmallRows:N0} training rows)"), Enumerable.Range(0, rows.Length).Where(i => rows[i] < SmallRows).ToArray()),
            (string.Create(CultureInfo.InvariantCulture, $"large (≥ {SmallRows:N0} training rows)"), Enumerable.Range(0, rows.Length).Where(i => rows[i] >= SmallRows).ToArray()),
        };
        groups = groups.Where(g => g.Item2.Length > 0).ToList();
        if (groups.Count > 1) groups.Add(("all", Enumerable.Range(0, rows.Length).ToArray()));
        return groups;
    }

    /// <summary>The mean of <paramref name="scores"/>[d][<paramref name="variant"/>] over the group's datasets (NaN when a fit diverged).</summary>
    public static double Mean(double[][] scores, int[] members, int variant)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(members);
        return members.Average(d => scores[d][variant]);
    }

    /// <summary>The per-dataset table: dataset, metric, train rows, then one column per variant.</summary>
    public static ResultTable PerDataset(string caption, IReadOnlyList<TabularDataset> datasets, IReadOnlyList<RecipeVariant> variants, double[][] scores, bool quick)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(scores);
        var table = new ResultTable(caption, [.. new[] { "dataset", "metric", "train rows" }.Concat(variants.Select(v => v.Name))]);
        for (int d = 0; d < datasets.Count; d++)
            table.Add([.. new[] { datasets[d].Name, datasets[d].MetricName, TabularSuite.Prepare(datasets[d], quick).TrainRows.ToString(CultureInfo.InvariantCulture) }
                .Concat(scores[d].Select(s => Format.Fixed(s, 4)))]);
        return table;
    }

    /// <summary>The group table: group, datasets in it, then each variant's mean metric over the group's datasets.</summary>
    public static ResultTable PerGroup(string caption, IReadOnlyList<(string Name, int[] Members)> groups, IReadOnlyList<TabularDataset> datasets,
        IReadOnlyList<RecipeVariant> variants, double[][] scores)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(variants);
        var table = new ResultTable(caption, [.. new[] { "group", "datasets" }.Concat(variants.Select(v => v.Name))]);
        foreach (var (name, members) in groups)
            table.Add([.. new[] { name, string.Join(", ", members.Select(m => datasets[m].Name)) }
                .Concat(Enumerable.Range(0, variants.Count).Select(v => Format.Fixed(Mean(scores, members, v), 4)))]);
        return table;
    }

    /// <summary>Plots each variant's metric minus the reference variant's, per dataset.</summary>
    public static string Plot(ExperimentContext ctx, string file, string title, IReadOnlyList<TabularDataset> datasets, IReadOnlyList<RecipeVariant> variants,
        double[][] scores, int reference)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(scores);
        var plot = ExperimentPlots.Create(title, "dataset", $"metric − {variants[reference].Name}");
        double[] xs = Enumerable.Range(0, datasets.Count).Select(i => (double)i).ToArray();
        int colour = 0;
        for (int v = 0; v < variants.Count; v++)
        {
            if (v == reference) continue;
            ExperimentPlots.Line(plot, xs, scores.Select(s => s[v] - s[reference]).ToArray(), variants[v].Name,
                ExperimentPlots.Palette[colour % ExperimentPlots.Palette.Length],
                // past the palette's end the colours repeat with the other line style, so no two series look alike
                dashed: (colour % 2 == 1) != (colour / ExperimentPlots.Palette.Length % 2 == 1));
            colour++;
        }
        ExperimentPlots.Line(plot, xs, new double[xs.Length], "0", ScottPlot.Colors.Gray, markerSize: 0);
        ExperimentPlots.XTicks(plot, xs, datasets.Select(d => d.Name).ToArray());
        return ExperimentPlots.Save(plot, ctx.Folder, file, ctx.Force);
    }
}
