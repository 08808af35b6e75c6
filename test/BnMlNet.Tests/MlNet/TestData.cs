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
        return FeaturizeAndSplit(ml, Shipped.Adult.Load(ml), Shipped.Adult.Featurize(ml), 0.2);
    }

    public static (IDataView Train, IDataView Test) BreastCancer(MLContext ml)
    {
        DatasetGuard.Require(Shipped.BreastCancer.FindDefaultPath(), Shipped.BreastCancer.Describe());
        return FeaturizeAndSplit(ml, Shipped.BreastCancer.Load(ml), Shipped.BreastCancer.Featurize(ml), 0.2);
    }

    public static (IDataView Train, IDataView Test) Housing(MLContext ml)
    {
        DatasetGuard.Require(Shipped.Housing.FindDefaultPath(), Shipped.Housing.Describe());
        return FeaturizeAndSplit(ml, Shipped.Housing.Load(ml), Shipped.Housing.Featurize(ml), 0.2);
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
    public static (IDataView Train, IDataView Test) Anes96(MLContext ml) =>
        FeaturizeAndSplit(ml, Shipped.Anes96.Load(ml), Shipped.Anes96.Featurize(ml), 0.25);

    /// <summary>Featurizes, then splits with a fixed seed; both parts cached.</summary>
    private static (IDataView Train, IDataView Test) FeaturizeAndSplit(MLContext ml, IDataView data, IEstimator<ITransformer> featurizer, double testFraction)
    {
        var featurized = featurizer.Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(featurized, testFraction, seed: 1);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }
}
