using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Losses;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The dropout mask drawn as eight jumped stretches side by side (<see cref="Xoshiro256.FillMask"/> from
/// <see cref="Xoshiro256.StreamsMinimum"/> draws on AVX-512 hardware) against the serial loop of NextSingle() ≥ rate:
/// the same values bit for bit and the same state afterwards, for lengths at the threshold and around the multiples
/// of 8 and 64 where the last stretch ends (exactly at a stretch's end, one past, one before), in calls that continue
/// one stream.
/// </summary>
[TestClass]
public sealed class DropoutStreamsTests
{
    private static readonly int[] Lengths =
        [Xoshiro256.StreamsMinimum, Xoshiro256.StreamsMinimum + 1, 8199, 8200, 8255, 8256, 8257, 8263, 12345, 16384, 32767, 32768, 65536, 65537, 100003];

    [TestMethod]
    [DataRow(0f)]
    [DataRow(0.1f)]
    [DataRow(0.5f)]
    [DataRow(0.999f)]
    [DataRow(5.9604645e-8f)]
    public void LongMasks_AreTheSerialDraws(float rate)
    {
        foreach (int length in Lengths)
        {
            var fast = new Xoshiro256(31);
            var slow = new Xoshiro256(31);
            float keep = 1f / (1f - rate);
            var mask = Enumerable.Repeat(float.NaN, length).ToArray();   // every element must be written
            fast.FillMask(mask, rate, keep);
            for (int i = 0; i < length; i++)
            {
                float expected = slow.NextSingle() >= rate ? keep : 0f;
                if (BitConverter.SingleToUInt32Bits(expected) != BitConverter.SingleToUInt32Bits(mask[i]))
                    Assert.Fail($"rate {rate}, length {length}: element {i} is {mask[i]:R}, the serial draw gives {expected:R}");
            }
            Assert.IsTrue(fast.SameState(slow), $"rate {rate}, length {length}: the state after the mask");
        }
    }

    [TestMethod]
    public void MasksOfMixedLengthsInARow_AreOneStreamOfDraws()
    {
        var fast = new Xoshiro256(99);
        var slow = new Xoshiro256(99);
        int drawn = 0;
        foreach (int length in new[] { 32768, 16384, 300, 65536, 8191, 8192, 12345, 5, 100003, 17 })
        {
            var mask = new float[length];
            fast.FillMask(mask, 0.1f, 1f / 0.9f);
            for (int i = 0; i < length; i++)
                Assert.AreEqual(slow.NextSingle() >= 0.1f ? 1f / 0.9f : 0f, mask[i], $"draw {drawn + i} (length {length}, element {i})");
            drawn += length;
            Assert.IsTrue(fast.SameState(slow), $"the state after {drawn} draws");
        }
        Assert.AreEqual(slow.NextUInt64(), fast.NextUInt64());
    }

    [TestMethod]
    public void MaskValues_KeepTheirSelectedShare()
    {
        // An independent check of the values themselves: about 1 − rate of them keep, the rest are +0 (not −0).
        var mask = new float[65536];
        new Xoshiro256(5).FillMask(mask, 0.25f, 4f / 3f);
        Assert.IsTrue(mask.All(v => v == 4f / 3f || BitConverter.SingleToUInt32Bits(v) == 0), "keep or +0");
        Assert.AreEqual(0.75, mask.Count(v => v != 0f) / (double)mask.Length, 0.01);
    }

    [TestMethod]
    [DoNotParallelize] // it flips the process-wide ReferencePaths switch
    [DataRow(1)]
    [DataRow(2)]
    public void TrainingWithEitherDrawGivesTheSameModel(int threads)
    {
        // The default widths 128-64 at batch 128: masks of 16,384 and 8,192 draws per batch, both through the stretches.
        var data = TestData.Blobs(300, 4);
        var spec = new NetworkSpec(4, [128, 64], 3, InputBatchNorm: true) { DropoutRate = 0.1f };
        var settings = new TrainingSettings { Epochs = 2, BatchSize = 128, LearningRate = 1e-2f, Seed = 8, Threads = threads };
        TrainingResult Run(bool serial)
        {
            bool before = ReferencePaths.DropoutStreams;
            ReferencePaths.DropoutStreams = serial;
            try { return new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(data); }
            finally { ReferencePaths.DropoutStreams = before; }
        }
        var streams = Run(serial: false);
        var serial = Run(serial: true);
        for (int l = 0; l < serial.Network.Layers.Count; l++)
            CollectionAssert.AreEqual(serial.Network.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits).ToArray(),
                streams.Network.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits).ToArray(), $"layer {l} weights");
        CollectionAssert.AreEqual(serial.History.Select(h => h.TrainLoss).ToArray(), streams.History.Select(h => h.TrainLoss).ToArray());
    }
}
