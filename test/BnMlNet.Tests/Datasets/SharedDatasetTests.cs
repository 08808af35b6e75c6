using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Datasets;

/// <summary>
/// The shared sets live in ../shared/datasets (or BNMLNET_SHARED_DIR): skipped when absent,
/// failed when absent and BNMLNET_REQUIRE_DATASETS=1.
/// </summary>
[TestClass]
public sealed class SharedDatasetTests
{
    [TestMethod]
    public void AdultLoadsWithTrimmedCategoricals()
    {
        var path = DatasetGuard.Require(Adult.FindDefaultPath(), Adult.Describe());
        var ml = new MLContext(seed: 1);
        var data = Adult.Load(ml, path);
        Assert.AreEqual(BooleanDataViewType.Instance, data.Schema["Label"].Type);
        Assert.AreEqual(NumberDataViewType.Single, data.Schema["Age"].Type);
        Assert.AreEqual(TextDataViewType.Instance, data.Schema["WorkClass"].Type);
        var rows = ml.Data.CreateEnumerable<AdultRow>(data, reuseRowObject: false).ToList();
        Assert.HasCount(32561, rows);
        Assert.AreEqual(7841, rows.Count(r => r.Label));
        Assert.AreEqual("State-gov", rows[0].WorkClass);
        Assert.IsTrue(rows.All(r => r.NativeCountry.Trim() == r.NativeCountry));

        var featurized = Adult.Featurize(ml).Fit(data).Transform(data);
        var size = ((VectorDataViewType)featurized.Schema["Features"].Type).Size;
        Assert.IsGreaterThan(90, size, "6 numeric + one-hot categories");
    }

    [TestMethod]
    public void BreastCancerSkipsCommentsAndKeepsMissingAsNaN()
    {
        var path = DatasetGuard.Require(BreastCancer.FindDefaultPath(), BreastCancer.Describe());
        var ml = new MLContext(seed: 1);
        var data = BreastCancer.Load(ml, path);
        Assert.AreEqual(BooleanDataViewType.Instance, data.Schema["Label"].Type);
        var rows = ml.Data.CreateEnumerable<BreastCancerRow>(data, reuseRowObject: false).ToList();
        Assert.HasCount(699, rows);
        Assert.AreEqual(241, rows.Count(r => r.Label), "malignant");
        Assert.AreEqual(16, rows.Count(r => float.IsNaN(r.BareNuclei)));

        var featurized = BreastCancer.Featurize(ml).Fit(data).Transform(data);
        var vectors = featurized.GetColumn<VBuffer<float>>("Features").ToList();
        Assert.AreEqual(9, vectors[0].Length);
        Assert.IsTrue(vectors.All(v => v.DenseValues().All(float.IsFinite)));
    }

    [TestMethod]
    public void HousingLoadsAsRegression()
    {
        var path = DatasetGuard.Require(Housing.FindDefaultPath(), Housing.Describe());
        var ml = new MLContext(seed: 1);
        var data = Housing.Load(ml, path);
        Assert.AreEqual(NumberDataViewType.Single, data.Schema["Label"].Type);
        var rows = ml.Data.CreateEnumerable<HousingRow>(data, reuseRowObject: false).ToList();
        Assert.HasCount(506, rows);
        Assert.AreEqual(24.0f, rows[0].Label);
        Assert.AreEqual(4.98f, rows[0].PercentLowIncome);
        Assert.AreEqual(13, ((VectorDataViewType)Housing.Featurize(ml).Fit(data).Transform(data).Schema["Features"].Type).Size);
    }
}
