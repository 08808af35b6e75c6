using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Datasets;

/// <summary>The data/ sets ship with the repository, so these tests never skip.</summary>
[TestClass]
public sealed class ShippedDataTests
{
    [TestMethod]
    public void RepositoryRootAndDataFolderAreFound()
    {
        var root = RepositoryPaths.FindRepositoryRoot();
        Assert.IsNotNull(root, "repository root (folder with BnMlNet.sln) not found");
        Assert.IsTrue(File.Exists(Path.Combine(root, RepositoryPaths.SolutionFileName)));
        Assert.AreEqual(Path.Combine(root, "data"), RepositoryPaths.DataDirectory);
        Assert.IsNull(RepositoryPaths.FindRepositoryRoot(Path.GetTempPath()));
    }

    [TestMethod]
    public void Anes96LoadsAsBinaryTask()
    {
        var ml = new MLContext(seed: 1);
        var data = Anes96.Load(ml);
        Assert.AreEqual(BooleanDataViewType.Instance, data.Schema["Label"].Type);
        foreach (var c in Anes96.NumericColumns)
            Assert.AreEqual(NumberDataViewType.Single, data.Schema[c].Type, c);
        var rows = ml.Data.CreateEnumerable<Anes96Row>(data, reuseRowObject: false).ToList();
        Assert.HasCount(Anes96.RowCount, rows);
        Assert.AreEqual(393, rows.Count(r => r.Label), "Dole voters in the source file");
        Assert.IsTrue(rows.All(r => r.PID is >= 0 and <= 6 && r.Income is >= 1 and <= 24));

        var features = Anes96.Featurize(ml).Fit(data).Transform(data);
        var type = (VectorDataViewType)features.Schema["Features"].Type;
        Assert.AreEqual(Anes96.NumericColumns.Count, type.Size);
    }

    [TestMethod]
    public void RandHieLoadsAsRegressionTask()
    {
        var ml = new MLContext(seed: 1);
        var data = RandHie.Load(ml);
        Assert.AreEqual(NumberDataViewType.Single, data.Schema["Label"].Type);
        var labels = data.GetColumn<float>("Label").ToArray();
        Assert.HasCount(RandHie.RowCount, labels);
        Assert.IsTrue(labels.All(v => v >= 0 && float.IsFinite(v)));
        Assert.AreEqual(2.86, labels.Average(), 0.05, "mean of mdvis");

        var features = RandHie.Featurize(ml, normalize: true).Fit(data).Transform(data);
        Assert.AreEqual(9, ((VectorDataViewType)features.Schema["Features"].Type).Size);
    }

    [TestMethod]
    public void SplitIsDeterministic()
    {
        var ml = new MLContext(seed: 1);
        var data = Anes96.Load(ml);
        var a = TabularFeaturization.Split(ml, data, 0.25, seed: 7);
        var b = TabularFeaturization.Split(new MLContext(seed: 99), data, 0.25, seed: 7);
        var ageA = a.TestSet.GetColumn<float>("Age").ToArray();
        CollectionAssert.AreEqual(ageA, b.TestSet.GetColumn<float>("Age").ToArray());
        int train = a.TrainSet.GetColumn<float>("Age").Count();
        Assert.AreEqual(Anes96.RowCount, train + ageA.Length);
        Assert.IsTrue(ageA.Length is > 150 and < 330, $"test rows {ageA.Length}");
    }

    [TestMethod]
    public void MissingFileThrowsNamingTheDataset()
    {
        var missing = Path.Combine(Path.GetTempPath(), "bnmlnet-no-such-file.csv");
        var ex = Assert.ThrowsExactly<FileNotFoundException>(() => Anes96.Load(new MLContext(), missing));
        StringAssert.Contains(ex.Message, "data/anes96-vote.csv");
        Assert.IsFalse(DatasetRequirement.TryLocate(null, "thing X", out var message));
        StringAssert.Contains(message, "thing X");
    }
}
