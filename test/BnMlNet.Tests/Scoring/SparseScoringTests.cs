using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Preprocessing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Scoring;

/// <summary>
/// Issue 13, goal 2: the fast single-row path. A sparse feature vector (one-hot encodings) is preprocessed from its
/// listed values only (<see cref="FeaturePreprocessor.ApplySparse"/>) and the network skips zero inputs; both give the
/// bits of the dense reference (Apply of the densified row, then <see cref="InferenceNetwork.PredictBatch"/>'s
/// dense kernels), Transform and PredictionEngine agree bit for bit, and a PredictionEngine row allocates nothing.
/// </summary>
[TestClass]
public sealed class SparseScoringTests
{
    private static uint Bits(float v) => BitConverter.SingleToUInt32Bits(v);

    private static readonly float[] Specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 0f, -0f, 1e-40f, 3f, -7.5f];

    private static FeaturePreprocessor RandomPreprocessor(Random rng, int n, bool smoothClip)
    {
        float[] F(Func<float> f) => Enumerable.Range(0, n).Select(_ => f()).ToArray();
        var min = F(() => -(float)rng.NextDouble() * 10);
        var max = F(() => (float)rng.NextDouble() * 10);
        // Centres at 0 for about half the inputs (a one-hot slot below its median) and elsewhere not.
        var center = F(() => rng.Next(2) == 0 ? 0f : (float)(rng.NextDouble() * 4 - 2));
        var inverse = F(() => (float)(0.1 + rng.NextDouble() * 3));
        var indicators = Enumerable.Range(0, n).Where(_ => rng.Next(3) == 0).ToArray();
        return new FeaturePreprocessor(F(() => (float)rng.NextDouble()), min, max, center, inverse, indicators, smoothClip);
    }

    [TestMethod]
    public void ApplySparse_GivesApplysBitsOnTheDensifiedRow()
    {
        var rng = new Random(17);
        int rows = 0;
        foreach (bool smoothClip in new[] { true, false })
            for (int trial = 0; trial < 40; trial++)
            {
                int n = rng.Next(1, 140);
                var pre = RandomPreprocessor(rng, n, smoothClip);
                var sparse = new float[pre.OutputSize];
                var dense = new float[pre.OutputSize];
                for (int r = 0; r < 25; r++, rows++)
                {
                    var indices = Enumerable.Range(0, n).Where(_ => rng.NextDouble() < 0.15).ToArray();
                    var values = indices.Select(_ => rng.Next(3) == 0 ? Specials[rng.Next(Specials.Length)] : (float)(rng.NextDouble() * 20 - 10)).ToArray();
                    var row = new float[n];
                    for (int i = 0; i < indices.Length; i++) row[indices[i]] = values[i];
                    pre.Apply(row, dense);
                    Array.Fill(sparse, float.NaN);
                    pre.ApplySparse(indices, values, sparse);
                    for (int j = 0; j < dense.Length; j++)
                        Assert.AreEqual(Bits(dense[j]), Bits(sparse[j]), $"n {n} clip {smoothClip} row {r} output {j}: {dense[j]} vs {sparse[j]}");
                }
            }
        Assert.AreEqual(2000, rows);
    }

    [TestMethod]
    public void ApplySparse_RefusesBadIndices()
    {
        var pre = RandomPreprocessor(new Random(1), 5, true);
        var output = new float[pre.OutputSize];
        var e = Assert.ThrowsExactly<ArgumentException>(() => pre.ApplySparse([1, 5], [1f, 2f], output));
        StringAssert.Contains(e.Message, "Index 1 is 5, outside [0, 5)");
        Assert.ThrowsExactly<ArgumentException>(() => pre.ApplySparse([1], [1f, 2f], output));
    }

    [TestMethod]
    public void Clamp_GivesMathClampsBits_NaNAndInfinitiesIncluded()
    {
        var rng = new Random(2);
        var x = Enumerable.Range(0, 203).Select(i => i % 7 == 0 ? Specials[rng.Next(Specials.Length)] : (float)(rng.NextDouble() * 200 - 100)).ToArray();
        var y = new float[x.Length];
        RowKernels.Clamp(x, y, 50f);
        for (int i = 0; i < x.Length; i++) Assert.AreEqual(Bits(Math.Clamp(x[i], -50f, 50f)), Bits(y[i]), $"x[{i}] = {x[i]}");
    }

    public sealed class Row
    {
        public bool Label { get; set; }
        public float Age { get; set; }
        public float Hours { get; set; }
        public string Job { get; set; } = "";
        public string City { get; set; } = "";
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private static List<Row> Rows(int n, int seed)
    {
        var rng = new Random(seed);
        string[] jobs = ["a", "b", "c", "d", "e", "f"], cities = Enumerable.Range(0, 30).Select(i => "c" + i).ToArray();
        return Enumerable.Range(0, n).Select(i =>
        {
            // One job dominates (its slot's median is 1: its zero scales to a non-zero input); cities are rare.
            string job = rng.NextDouble() < 0.6 ? "a" : jobs[rng.Next(jobs.Length)];
            string city = cities[rng.Next(cities.Length)];
            float age = i % 17 == 0 ? float.NaN : (float)(18 + rng.NextDouble() * 60);
            float hours = i % 29 == 0 ? float.PositiveInfinity : (float)(rng.NextDouble() * 60);
            bool label = (job == "a" ? 0.5 : -0.5) + (age > 40 ? 0.7 : 0) + (city.EndsWith('3') ? 0.8 : 0) + rng.NextDouble() - 0.9 > 0;
            return new Row { Label = label, Age = age, Hours = hours, Job = job, City = city };
        }).ToList();
    }

    private static ITransformer TrainDefaultRecipe(MLContext ml, IDataView train) =>
        ml.Transforms.Categorical.OneHotEncoding([new InputOutputColumnPair("Job"), new InputOutputColumnPair("City")])
            .Append(ml.Transforms.Concatenate("Features", "Age", "Hours", "Job", "City"))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { EnsembleSize = 1, RefitOnAllRows = false, NumberOfEpochs = 4, Seed = 3, NumberOfThreads = 1 }))
            .Fit(train);

    private static BatchNormMlpModelParameters ModelOf(ITransformer model) =>
        ((ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>)((IEnumerable<ITransformer>)model).Last()).Model;

    [TestMethod]
    public void DefaultRecipeOnOneHotRows_TransformAndPredictionEngineGiveTheDenseReferenceBits_AndAllocateNothing()
    {
        var ml = new MLContext(seed: 1);
        var model = TrainDefaultRecipe(ml, ml.Data.LoadFromEnumerable(Rows(600, 1)));
        var parameters = ModelOf(model);
        Assert.IsNotNull(parameters.Preprocessing, "the default recipe preprocesses");
        var testRows = Rows(400, 2);
        var test = ml.Data.LoadFromEnumerable(testRows);

        // The featurized vectors really are sparse, so the sparse path is what runs.
        var stages = ((IEnumerable<ITransformer>)model).ToArray();
        var featurized = stages.SkipLast(1).Aggregate(test, (view, stage) => stage.Transform(view));
        var features = featurized.GetColumn<VBuffer<float>>("Features").Select(v => { VBuffer<float> c = default; v.CopyTo(ref c); return c; }).ToArray();
        Assert.IsTrue(features.All(v => !v.IsDense), "one-hot rows are sparse VBuffers");

        // Dense reference: Apply on the densified row, then PredictBatch (the blocked dense kernels).
        var pre = parameters.Preprocessing!;
        var network = new InferenceNetwork(parameters.Layers, parameters.InputBatchNorm, parameters.LeakyReluSlope);
        var prepared = new float[features.Length * pre.OutputSize];
        for (int r = 0; r < features.Length; r++) pre.Apply(features[r].DenseValues().ToArray(), prepared.AsSpan(r * pre.OutputSize, pre.OutputSize));
        var reference = new float[features.Length];
        network.PredictBatch(prepared, features.Length, reference);

        var transformed = model.Transform(test).GetColumn<float>("Score").ToArray();
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        var result = new Prediction();
        for (int r = 0; r < testRows.Count; r++)
        {
            engine.Predict(testRows[r], ref result);
            Assert.AreEqual(Bits(reference[r]), Bits(transformed[r]), $"Transform row {r}: {reference[r]} vs {transformed[r]}");
            Assert.AreEqual(Bits(transformed[r]), Bits(result.Score), $"PredictionEngine row {r}");
            Assert.IsTrue(float.IsFinite(result.Score), $"row {r} (NaN and +∞ features) scores finite");
        }

        for (int i = 0; i < 200; i++) engine.Predict(testRows[i % testRows.Count], ref result);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) engine.Predict(testRows[i % testRows.Count], ref result);
        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before, "bytes allocated by 5,000 PredictionEngine rows");
    }
}
