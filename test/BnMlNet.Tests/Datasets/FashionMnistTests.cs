using System.IO.Compression;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Datasets;

[TestClass]
public sealed class FashionMnistTests
{
    /// <summary>Writes an unsigned-byte IDX file by hand: magic 00 00 08 rank, big-endian dims, payload.</summary>
    private static byte[] Idx(int[] dims, byte[] payload)
    {
        var ms = new MemoryStream();
        ms.Write([0, 0, 0x08, (byte)dims.Length]);
        foreach (var d in dims) ms.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        ms.Write(payload);
        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] raw)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    [TestMethod]
    public void LabelKeyIsClassIndexPlusOneForEveryClass()
    {
        // Key 0 means "missing" to ML.NET: a wrong offset silently drops a whole class from training and metrics.
        var ml = new MLContext(1);
        var view = FashionMnist.Load(ml, FashionMnistSplit.Test);
        var keys = view.GetColumn<uint>("Label").ToArray();
        var classes = view.GetColumn<uint>("ClassIndex").ToArray();
        for (int i = 0; i < keys.Length; i++)
            Assert.AreEqual(classes[i] + 1, keys[i], $"row {i}");
        CollectionAssert.AreEquivalent(Enumerable.Range(1, 10).Select(k => (uint)k).ToArray(), keys.Distinct().ToArray());
    }

    [TestMethod]
    public void ReadsTinyIdxFilesRawAndGzipped()
    {
        var dir = Directory.CreateTempSubdirectory("bnmlnet-idx-").FullName;
        try
        {
            // 3 images of 28x28: image i has every pixel = 255 * i / 2 except pixel 0 = i; labels 9, 0, 9.
            var pixels = new byte[3 * 784];
            for (int i = 0; i < 3; i++)
            {
                Array.Fill(pixels, (byte)(255 * i / 2), i * 784, 784);
                pixels[i * 784] = (byte)i;
            }
            var images = Path.Combine(dir, "images-idx3-ubyte");
            var labels = Path.Combine(dir, "labels-idx1-ubyte.gz");
            File.WriteAllBytes(images, Idx([3, 28, 28], pixels));
            File.WriteAllBytes(labels, Gzip(Idx([3], [9, 0, 9])));

            var idx = FashionMnist.ReadIdx(labels);
            CollectionAssert.AreEqual(new[] { 3 }, idx.Dimensions);
            CollectionAssert.AreEqual(new byte[] { 9, 0, 9 }, idx.Data);

            var rows = FashionMnist.ReadImages(images, labels);
            Assert.HasCount(3, rows);
            CollectionAssert.AreEqual(new uint[] { 9, 0, 9 }, rows.Select(r => r.ClassIndex).ToArray());
            // The Label property holds the 0-based class; LoadFromEnumerable makes it key class + 1.
            CollectionAssert.AreEqual(new uint[] { 9, 0, 9 }, rows.Select(r => r.Label).ToArray());
            Assert.AreEqual(1f / 255f, rows[1].Features[0], 1e-7);
            Assert.AreEqual(127f / 255f, rows[1].Features[783], 1e-7);
            Assert.AreEqual(1f, rows[2].Features[783]);

            Assert.HasCount(2, FashionMnist.ReadImages(images, labels, take: 2));
            var one = FashionMnist.ReadImages(images, labels, perClass: 1);
            CollectionAssert.AreEqual(new uint[] { 9, 0 }, one.Select(r => r.ClassIndex).ToArray());

            File.WriteAllBytes(images, Idx([3, 28, 28], pixels[..100]));
            Assert.ThrowsExactly<InvalidDataException>(() => FashionMnist.ReadIdx(images));
            File.WriteAllBytes(images, [0, 0, 0x0D, 1, 0, 0, 0, 0]);
            Assert.ThrowsExactly<InvalidDataException>(() => FashionMnist.ReadIdx(images));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void StratifiedIndicesAreDeterministicAndBalanced()
    {
        var labels = Enumerable.Range(0, 200).Select(i => (byte)(i * 7 % 10)).ToArray();
        var first = FashionMnist.StratifiedIndices(labels, 3);
        Assert.HasCount(30, first);
        Assert.IsTrue(Enumerable.Range(0, 10).All(c => first.Count(i => labels[i] == c) == 3));
        CollectionAssert.AreEqual(Enumerable.Range(0, 30).ToArray(), first.ToArray());
        var seeded = FashionMnist.StratifiedIndices(labels, 3, seed: 5);
        CollectionAssert.AreEqual(seeded.ToArray(), FashionMnist.StratifiedIndices(labels, 3, seed: 5).ToArray());
        CollectionAssert.AreNotEqual(first.ToArray(), seeded.ToArray());
    }

    [TestMethod]
    public void ShippedSubsetLoadsWithKeyLabelAndClassNames()
    {
        var ml = new MLContext(seed: 1);
        var train = FashionMnist.Load(ml, FashionMnistSplit.Train);
        var featuresType = (VectorDataViewType)train.Schema["Features"].Type;
        Assert.AreEqual(NumberDataViewType.Single, featuresType.ItemType);
        Assert.AreEqual(FashionMnist.PixelCount, featuresType.Size);
        var labelType = (KeyDataViewType)train.Schema["Label"].Type;
        Assert.AreEqual(10UL, labelType.Count);
        Assert.AreEqual(NumberDataViewType.UInt32, train.Schema["ClassIndex"].Type);
        VBuffer<ReadOnlyMemory<char>> names = default;
        train.Schema["Label"].GetKeyValues(ref names);
        Assert.AreEqual("Ankle boot", names.GetValues()[9].ToString());

        var classes = train.GetColumn<uint>("ClassIndex").ToArray();
        Assert.HasCount(FashionMnist.SubsetTrainCount, classes);
        Assert.IsTrue(Enumerable.Range(0, 10).All(c => classes.Count(x => x == c) == 600));

        var test = FashionMnist.ReadSplit(FashionMnistSplit.Test);
        Assert.HasCount(FashionMnist.SubsetTestCount, test);
        Assert.IsTrue(test.All(r => r.Label == r.ClassIndex && r.Features.All(p => p is >= 0f and <= 1f)));
        Assert.IsTrue(test.Average(r => (double)r.Features.Average()) is > 0.2 and < 0.4, "mean pixel intensity");

        // A multiclass trainer accepts the key label directly and PredictedLabel maps back to names.
        var model = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 3)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"))
            .Fit(FashionMnist.ToDataView(ml, FashionMnist.ReadSplit(FashionMnistSplit.Train, take: 500)));
        var predicted = model.Transform(FashionMnist.ToDataView(ml, test.Take(20))).GetColumn<ReadOnlyMemory<char>>("PredictedName");
        Assert.IsTrue(predicted.All(p => FashionMnist.ClassNames.Contains(p.ToString())));
    }

    [TestMethod]
    public void FullDebianSetLoadsWhenInstalled()
    {
        var dir = DatasetGuard.Require(FashionMnist.FindDirectory(FashionMnistSource.Full), FashionMnist.Describe(FashionMnistSource.Full));
        var rows = FashionMnist.ReadSplit(FashionMnistSplit.Test, directory: dir, perClass: 5, seed: 3);
        Assert.HasCount(50, rows);
        Assert.AreEqual(10000, FashionMnist.ReadIdx(Path.Combine(dir, FashionMnist.LabelsFileName(FashionMnistSplit.Test))).Dimensions[0]);
    }
}
