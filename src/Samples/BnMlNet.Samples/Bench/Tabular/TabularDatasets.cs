using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>A dataset the bench knows but cannot find, with the message that says what is missing.</summary>
/// <param name="Name">The dataset (or, for the whole development suite, <c>development suite</c>).</param>
/// <param name="Message">What is missing and where it was looked for.</param>
public sealed record MissingDataset(string Name, string Message);

/// <summary>The datasets found, and the ones missing.</summary>
/// <param name="Available">Datasets whose files exist, in bench order (development suite first).</param>
/// <param name="Missing">Datasets that could not be found, each with its message.</param>
/// <param name="DevSuiteFound">True when the development suite's manifest was found (its names are known).</param>
public sealed record DatasetDiscovery(IReadOnlyList<TabularDataset> Available, IReadOnlyList<MissingDataset> Missing, bool DevSuiteFound);

/// <summary>
/// Every real dataset <c>bench tabular</c> runs: the development suite (<c>../shared/datasets/tabular</c>), the other
/// shared sets (adult, housing, breast-cancer), the shipped tables in <c>data/</c> and the shipped Fashion-MNIST subset.
/// </summary>
public static class TabularDatasets
{
    /// <summary>Group of the ten development-suite datasets.</summary>
    public const string DevSuiteGroup = "development suite";

    /// <summary>Group of every other dataset.</summary>
    public const string OtherGroup = "other real datasets";

    /// <summary>Seed of the 80/20 split of the datasets that have no fixed split (fixed, so every run sees the same rows).</summary>
    public const int SplitSeed = 42;

    /// <summary>Share of the rows held out as the test set where the split is made here.</summary>
    public const double TestFraction = 0.2;

    /// <summary>
    /// Finds the datasets. <paramref name="sharedDatasets"/> overrides the shared datasets folder (default:
    /// <c>BNMLNET_SHARED_DIR</c> or <c>../shared/datasets</c>).
    /// </summary>
    public static DatasetDiscovery Discover(string? sharedDatasets = null)
    {
        string? shared = sharedDatasets is null ? RepositoryPaths.ExpectedSharedDatasetsDirectory : Path.GetFullPath(sharedDatasets);
        var available = new List<TabularDataset>();
        var missing = new List<MissingDataset>();

        var devDir = DevSuite.FindDirectory(shared);
        if (devDir is not null)
            available.AddRange(DevSuite.ReadManifest(devDir).Select(e => FromDevSuite(devDir, e)));
        else
            missing.Add(new MissingDataset(DevSuiteGroup, DatasetRequirement.MissingMessage(
                $"development suite ({DevSuite.FolderName}/{DevSuite.ManifestFileName} in the shared datasets folder)",
                DevSuite.ExpectedDirectory(shared) is { } d ? Path.Combine(d, DevSuite.ManifestFileName) : null)));

        void Shared(string name, string file, MlTask task, IReadOnlyList<string> numeric, IReadOnlyList<string> categorical,
            Func<MLContext, string, IDataView> load)
        {
            string? path = shared is null ? null : Path.Combine(shared, file);
            if (path is not null && File.Exists(path))
                available.Add(new TabularDataset(name, OtherGroup, task, $"../shared/datasets/{file}, 80/20 split (seed {SplitSeed})",
                    numeric, categorical, ml => Split(ml, load(ml, path))));
            else
                missing.Add(new MissingDataset(name, DatasetRequirement.MissingMessage($"shared dataset {file}", path)));
        }
        Shared("adult", Adult.FileName, MlTask.Binary, Adult.NumericColumns, Adult.CategoricalColumns, (ml, p) => Adult.Load(ml, p));
        Shared("housing", Housing.FileName, MlTask.Regression, Housing.NumericColumns, [], (ml, p) => Housing.Load(ml, p));
        Shared("breast_cancer", BreastCancer.FileName, MlTask.Binary, BreastCancer.NumericColumns, [], (ml, p) => BreastCancer.Load(ml, p));

        void Shipped(string name, string file, MlTask task, IReadOnlyList<string> numeric, Func<MLContext, string, IDataView> load)
        {
            var path = RepositoryPaths.DataFile(file);
            if (path is not null)
                available.Add(new TabularDataset(name, OtherGroup, task, $"data/{file}, 80/20 split (seed {SplitSeed})",
                    numeric, [], ml => Split(ml, load(ml, path))));
            else
                missing.Add(new MissingDataset(name, DatasetRequirement.MissingMessage($"data/{file}", null)));
        }
        Shipped("anes96_vote", Anes96.FileName, MlTask.Binary, Anes96.NumericColumns, (ml, p) => Anes96.Load(ml, p));
        Shipped("randhie_mdvis", RandHie.FileName, MlTask.Regression, RandHie.NumericColumns, (ml, p) => RandHie.Load(ml, p));

        if (FashionMnist.FindDirectory(FashionMnistSource.Subset) is not null)
            available.Add(new TabularDataset("fashion_mnist_subset", OtherGroup, MlTask.Multiclass,
                $"data/{FashionMnist.SubsetDirectoryName} ({FashionMnist.SubsetTrainCount:N0} train / {FashionMnist.SubsetTestCount:N0} test images, 784 pixels)",
                [], [], ml => (FashionMnist.Load(ml, FashionMnistSplit.Train), FashionMnist.Load(ml, FashionMnistSplit.Test)), FeaturesReady: true));
        else
            missing.Add(new MissingDataset("fashion_mnist_subset", DatasetRequirement.MissingMessage(FashionMnist.Describe(FashionMnistSource.Subset), null)));

        return new DatasetDiscovery(available, missing, devDir is not null);
    }

    private static TabularDataset FromDevSuite(string directory, DevSuiteEntry e) =>
        new(e.Name, DevSuiteGroup, e.Task, $"../shared/datasets/{DevSuite.FolderName}/{e.Name}.train.csv / .test.csv (fixed split)",
            e.NumericColumns, e.CategoricalColumns, ml => DevSuite.Load(ml, directory, e));

    private static (IDataView, IDataView) Split(MLContext ml, IDataView data)
    {
        var split = TabularFeaturization.Split(ml, data, TestFraction, SplitSeed);
        return (split.TrainSet, split.TestSet);
    }
}
