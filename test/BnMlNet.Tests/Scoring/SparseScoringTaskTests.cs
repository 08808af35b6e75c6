using BnMlNet.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Scoring;

/// <summary>
/// Issue 13 goal 2b, through ML.NET for the other tasks and recipes: on one-hot rows (sparse VBuffers, whose first
/// layer runs the zero-skipping kernel) Transform and PredictionEngine give the bits of the dense reference (the
/// densified row, the preprocessor's <c>Apply</c> when the model has one, <see cref="InferenceNetwork.PredictBatch"/>'s
/// dense kernels, then the head), for multiclass and regression, with and without preprocessing, input batch norm
/// and an ensemble.
/// </summary>
[TestClass]
public sealed class SparseScoringTaskTests
{
    private static uint Bits(float v) => BitConverter.SingleToUInt32Bits(v);

    public sealed class Row
    {
        public float Label { get; set; }
        public float Age { get; set; }
        public float Hours { get; set; }
        public string Job { get; set; } = "";
        public string City { get; set; } = "";
    }

    public sealed class ScalarPrediction
    {
        public float Score { get; set; }
    }

    public sealed class VectorPrediction
    {
        public float[] Score { get; set; } = [];
    }

    private static List<Row> Rows(int n, int seed, bool nonFinite)
    {
        var rng = new Random(seed);
        string[] jobs = ["a", "b", "c", "d", "e"], cities = Enumerable.Range(0, 25).Select(i => "c" + i).ToArray();
        return Enumerable.Range(0, n).Select(i =>
        {
            string job = rng.NextDouble() < 0.6 ? "a" : jobs[rng.Next(jobs.Length)];
            string city = cities[rng.Next(cities.Length)];
            float age = nonFinite && i % 13 == 0 ? float.NaN : (float)(18 + rng.NextDouble() * 60);
            float hours = nonFinite && i % 23 == 0 ? float.NegativeInfinity : (float)(rng.NextDouble() * 60);
            double signal = (job == "a" ? 0.5 : -0.5) + (age > 40 ? 0.7 : 0) + (city.EndsWith('3') ? 0.8 : 0) + rng.NextDouble();
            return new Row { Label = (float)Math.Min(2, Math.Floor(signal)), Age = age, Hours = hours, Job = job, City = city };
        }).Select(r => { if (r.Label < 0) r.Label = 0; return r; }).ToList();
    }

    private static IEstimator<ITransformer> Featurize(MLContext ml) =>
        ml.Transforms.Categorical.OneHotEncoding([new InputOutputColumnPair("Job"), new InputOutputColumnPair("City")])
            .Append(ml.Transforms.Concatenate("Features", "Age", "Hours", "Job", "City"));

    /// <summary>The raw head outputs of the dense reference for the featurized test rows, and the featurized rows' sparsity.</summary>
    private static float[] DenseReference(ITransformer model, IDataView test, out int rows)
    {
        var stages = ((IEnumerable<ITransformer>)model).ToArray();
        var parameters = ((ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>)stages[^1]).Model;
        var featurized = stages.SkipLast(1).Aggregate(test, (view, stage) => stage.Transform(view));
        var features = featurized.GetColumn<VBuffer<float>>("Features").Select(v => { VBuffer<float> c = default; v.CopyTo(ref c); return c; }).ToArray();
        Assert.IsTrue(features.All(v => !v.IsDense), "one-hot rows are sparse VBuffers");
        rows = features.Length;
        var pre = parameters.Preprocessing;
        int width = pre?.OutputSize ?? parameters.FeatureCount;
        var prepared = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            var dense = features[r].DenseValues().ToArray();
            if (pre is null) dense.CopyTo(prepared, r * width);
            else pre.Apply(dense, prepared.AsSpan(r * width, width));
        }
        var network = parameters.Network;
        var output = new float[rows * network.OutputSize];
        network.PredictBatch(prepared, rows, output);
        return output;
    }

    [TestMethod]
    public void Regression_TransformAndPredictionEngineGiveTheDenseReferenceBits_WithAndWithoutPreprocessing()
    {
        foreach (bool recipe in new[] { true, false })
        {
            var ml = new MLContext(seed: 1);
            var options = new BatchNormMlpRegressionTrainer.Options { NumberOfEpochs = 3, Seed = 5, NumberOfThreads = 1, HiddenLayerSizes = [40, 16] };
            if (!recipe)
            {
                options.NumericScaling = NumericScaling.None;
                options.MissingValues = MissingValueHandling.Throw;
                options.InputBatchNorm = false;
            }
            var model = Featurize(ml).Append(ml.Regression.Trainers.BatchNormMlp(options)).Fit(ml.Data.LoadFromEnumerable(Rows(500, 1, recipe)));
            var testRows = Rows(300, 2, recipe);
            var test = ml.Data.LoadFromEnumerable(testRows);
            var reference = DenseReference(model, test, out int rows);
            var transformed = model.Transform(test).GetColumn<float>("Score").ToArray();
            var engine = ml.Model.CreatePredictionEngine<Row, ScalarPrediction>(model);
            var result = new ScalarPrediction();
            for (int r = 0; r < rows; r++)
            {
                engine.Predict(testRows[r], ref result);
                Assert.AreEqual(Bits(reference[r]), Bits(transformed[r]), $"recipe {recipe}: Transform row {r}: {reference[r]} vs {transformed[r]}");
                Assert.AreEqual(Bits(transformed[r]), Bits(result.Score), $"recipe {recipe}: PredictionEngine row {r}");
            }
        }
    }

    [TestMethod]
    public void Multiclass_TransformAndPredictionEngineGiveTheDenseReferenceBits_SingleAndEnsemble()
    {
        foreach (int members in new[] { 1, 3 })
        {
            var ml = new MLContext(seed: 1);
            var options = new BatchNormMlpMulticlassTrainer.Options { NumberOfEpochs = 3, Seed = 5, NumberOfThreads = 1, HiddenLayerSizes = [48, 16], EnsembleSize = members };
            var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(Featurize(ml))
                .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(options)).Fit(ml.Data.LoadFromEnumerable(Rows(500, 3, true)));
            var testRows = Rows(300, 4, true);
            var test = ml.Data.LoadFromEnumerable(testRows);
            var logits = DenseReference(model, test, out int rows);
            int classes = logits.Length / rows;
            Assert.AreEqual(3, classes);
            var transformed = model.Transform(test).GetColumn<float[]>("Score").ToArray();
            var engine = ml.Model.CreatePredictionEngine<Row, VectorPrediction>(model);
            var result = new VectorPrediction();
            var expected = new float[classes];
            for (int r = 0; r < rows; r++)
            {
                HeadFunctions.Softmax(logits.AsSpan(r * classes, classes), expected);
                engine.Predict(testRows[r], ref result);
                for (int c = 0; c < classes; c++)
                {
                    Assert.AreEqual(Bits(expected[c]), Bits(transformed[r][c]), $"members {members}: Transform row {r} class {c}");
                    Assert.AreEqual(Bits(transformed[r][c]), Bits(result.Score[c]), $"members {members}: PredictionEngine row {r} class {c}");
                }
            }
        }
    }
}
