using BnMlNet.Engine;
using BnMlNet.Engine.Preprocessing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// DenseDataset.TrainerOwnsArrays: the hold-out and the preprocessing then work in the caller's arrays. The model must
/// be the same, bit for bit, as when the trainer only reads them; without the flag the arrays stay untouched.
/// </summary>
[TestClass]
public sealed class InPlaceTrainingTests
{
    private const int Rows = 700, Features = 5;

    private static (float[] X, float[] Y, float[] W) Data(bool withNaN)
    {
        var random = new Random(21);
        var x = new float[Rows * Features];
        var y = new float[Rows];
        var w = new float[Rows];
        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < Features; j++) x[r * Features + j] = (float)(random.NextDouble() * 10 - 3) * (j + 1);
            if (withNaN && r % 7 == 0) x[r * Features + 2] = float.NaN;
            y[r] = x[r * Features] + (float)random.NextDouble() > 2 ? 1f : 0f;
            w[r] = 0.5f + (float)random.NextDouble();
        }
        return (x, y, w);
    }

    private static TrainingResult Train(DenseDataset data) =>
        new NetworkTrainer(new NetworkSpec(Features, [16, 8], 1) { DropoutRate = 0.1f }, LossKind.BinaryLogLoss, new TrainingSettings
        {
            Epochs = 12, BatchSize = 32, Seed = 5, Threads = 1, ValidationFraction = 0.2f, EarlyStoppingPatience = 4,
            Preprocessing = new PreprocessingSettings(NumericScaling.Robust),
        }).Train(data);

    private static List<uint> Bits(TrainingResult result, float[] probe)
    {
        var bits = new List<uint>();
        foreach (var l in result.Network.Layers)
        {
            bits.AddRange(l.Weights.Select(BitConverter.SingleToUInt32Bits));
            if (l.Bias is not null) bits.AddRange(l.Bias.Select(BitConverter.SingleToUInt32Bits));
        }
        foreach (var e in result.History)
        {
            bits.Add((uint)BitConverter.DoubleToInt64Bits(e.TrainLoss));
            bits.Add((uint)BitConverter.DoubleToInt64Bits(e.ValidationLoss ?? double.NaN));
        }
        var p = result.Preprocessor!;
        bits.AddRange(p.Center.Concat(p.InverseScale).Concat(p.Fill).Select(BitConverter.SingleToUInt32Bits));
        bits.AddRange(p.IndicatorInputs.Select(i => (uint)i));
        var row = new float[p.OutputSize];
        var output = new float[1];
        var scratch = result.Network.CreateScratch();
        for (int r = 0; r < Rows; r += 13)
        {
            p.Apply(probe.AsSpan(r * Features, Features), row);
            result.Network.Predict(row, output, scratch);
            bits.Add(BitConverter.SingleToUInt32Bits(output[0]));
        }
        return bits;
    }

    [TestMethod]
    [DataRow(false, DisplayName = "no missing values: preprocessed in place")]
    [DataRow(true, DisplayName = "missing values: indicators widen the rows, so a new array")]
    public void OwnedArraysGiveTheSameModelBitForBit(bool withNaN)
    {
        var (x, y, w) = Data(withNaN);
        var probe = (float[])x.Clone();
        var (x0, y0, w0) = ((float[])x.Clone(), (float[])y.Clone(), (float[])w.Clone());
        var read = Train(new DenseDataset(x, y, w, Features));
        CollectionAssert.AreEqual(x0, x, "without TrainerOwnsArrays the features are only read");
        CollectionAssert.AreEqual(y0, y);
        CollectionAssert.AreEqual(w0, w);
        Assert.AreEqual(withNaN, read.Preprocessor!.IndicatorInputs.Count > 0);

        var owned = Train(new DenseDataset((float[])x.Clone(), (float[])y.Clone(), (float[])w.Clone(), Features) { TrainerOwnsArrays = true });
        CollectionAssert.AreEqual(Bits(read, probe), Bits(owned, probe), "same weights, history, preprocessing and predictions");
        Assert.AreEqual(read.BestEpoch, owned.BestEpoch);
    }

    [TestMethod]
    public void OwnedArraysAreUsedInPlace()
    {
        // The point of the flag: the training rows end up preprocessed inside the caller's own array (moved to the
        // front by the hold-out), not in a copy. Row 0 of the owned array is then the preprocessed first training row.
        var (x, y, w) = Data(withNaN: false);
        var original = (float[])x.Clone();
        var result = Train(new DenseDataset(x, y, w, Features) { TrainerOwnsArrays = true });
        var p = result.Preprocessor!;
        var expected = new float[Features];
        bool found = false;
        for (int r = 0; r < Rows && !found; r++)
        {
            p.Apply(original.AsSpan(r * Features, Features), expected);
            found = expected.AsSpan().SequenceEqual(x.AsSpan(0, Features));
        }
        Assert.IsTrue(found, "the owned array's first row is a preprocessed training row");
        CollectionAssert.AreNotEqual(original, x, "the owned array was written");
    }
}
