using BnMlNet.Samples.Datasets;
using Shipped = BnMlNet.Samples.Datasets;
using BnMlNet.Tests.Datasets;
using Microsoft.ML;

namespace BnMlNet.Tests.MlNet;

/// <summary>Real datasets for the end-to-end tests, skipped (or failed in CI) when missing.</summary>
internal static class TestData
{
    /// <summary>Adult, featurized (one-hot + concatenate), split 80/20 with a fixed seed.</summary>
    public static (IDataView Train, IDataView Test) Adult(MLContext ml)
    {
        DatasetGuard.Require(Shipped.Adult.FindDefaultPath(), Shipped.Adult.Describe());
        var data = Shipped.Adult.Load(ml);
        var featurized = Shipped.Adult.Featurize(ml).Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(featurized, testFraction: 0.2, seed: 1);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }

    public static (IDataView Train, IDataView Test) BreastCancer(MLContext ml)
    {
        DatasetGuard.Require(Shipped.BreastCancer.FindDefaultPath(), Shipped.BreastCancer.Describe());
        var data = Shipped.BreastCancer.Load(ml);
        var featurized = Shipped.BreastCancer.Featurize(ml).Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(featurized, testFraction: 0.2, seed: 1);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }

    public static (IDataView Train, IDataView Test) Housing(MLContext ml)
    {
        DatasetGuard.Require(Shipped.Housing.FindDefaultPath(), Shipped.Housing.Describe());
        var data = Shipped.Housing.Load(ml);
        var featurized = Shipped.Housing.Featurize(ml).Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(featurized, testFraction: 0.2, seed: 1);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }

    /// <summary>The full Debian Fashion-MNIST, subsampled (stratified) to keep the test short.</summary>
    public static (IDataView Train, IDataView Test) FashionMnistFull(MLContext ml, int trainPerClass, int testPerClass)
    {
        DatasetGuard.Require(FashionMnist.FindDirectory(FashionMnistSource.Full), FashionMnist.Describe(FashionMnistSource.Full));
        var train = FashionMnist.Load(ml, FashionMnistSplit.Train, FashionMnistSource.Full, perClass: trainPerClass, seed: 1);
        var test = FashionMnist.Load(ml, FashionMnistSplit.Test, FashionMnistSource.Full, perClass: testPerClass, seed: 1);
        return (ml.Data.Cache(train), ml.Data.Cache(test));
    }

    /// <summary>The shipped anes96 binary set (always present: it is in data/).</summary>
    public static (IDataView Train, IDataView Test) Anes96(MLContext ml)
    {
        var data = Shipped.Anes96.Load(ml);
        var featurized = Shipped.Anes96.Featurize(ml).Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(featurized, testFraction: 0.25, seed: 1);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }
}
