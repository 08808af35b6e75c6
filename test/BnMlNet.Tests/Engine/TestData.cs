using BnMlNet.Engine;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Engine;

/// <summary>Small synthetic data sets and random arrays for the engine tests.</summary>
internal static class TestData
{
    public static float[] Uniform(Random rng, int n, float lo = -1f, float hi = 1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float)rng.NextDouble();
        return a;
    }

    public static float[] Gaussian(Random rng, int n, double mean = 0, double std = 1)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            a[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return a;
    }

    /// <summary>Two interleaving half circles with Gaussian noise; labels 0/1.</summary>
    public static DenseDataset TwoMoons(int rows, int seed, double noise = 0.1)
    {
        var rng = new Random(seed);
        var x = new float[rows * 2];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            int c = i % 2;
            double t = Math.PI * rng.NextDouble();
            double px = c == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            double py = c == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * i] = (float)(px + noise * Normal(rng));
            x[2 * i + 1] = (float)(py + noise * Normal(rng));
            y[i] = c;
        }
        return new DenseDataset(x, y, null, 2);
    }

    /// <summary>y = sin(x₁) + sin(x₂) + sin(x₃), x uniform in [−2, 2]³.</summary>
    public static DenseDataset SumOfSines(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = Uniform(rng, rows * 3, -2f, 2f);
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
            y[i] = MathF.Sin(x[3 * i]) + MathF.Sin(x[3 * i + 1]) + MathF.Sin(x[3 * i + 2]);
        return new DenseDataset(x, y, null, 3);
    }

    /// <summary>Three Gaussian blobs in 4 dimensions; labels 0, 1, 2.</summary>
    public static DenseDataset Blobs(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * 4];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            int c = i % 3;
            for (int j = 0; j < 4; j++) x[4 * i + j] = (float)((j == c ? 2.5 : 0) + Normal(rng));
            y[i] = c;
        }
        return new DenseDataset(x, y, null, 4);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Copies every row of a source into one array (features) plus labels.</summary>
    public static (float[] X, float[] Y) All(IMiniBatchSource source)
    {
        var xs = new List<float>();
        var ys = new List<float>();
        foreach (var b in source.GetBatches(1 << 20, null))
        {
            xs.AddRange(b.Features.ToArray());
            ys.AddRange(b.Labels.ToArray());
        }
        return (xs.ToArray(), ys.ToArray());
    }
}

/// <summary>
/// Central finite differences against an analytic gradient. The engine is float32, so the perturbed objective is
/// summed in double and the step is h = 1e−3 by default; the actual step is taken from the float values
/// ((p+h) − (p−h) as floats). Bound: |numeric − analytic| ≤ rel·max(|numeric|, |analytic|) + abs.
/// </summary>
internal static class GradientCheck
{
    public static void Check(string what, float[] parameter, float[] analytic, Func<double> objective,
        double h = 1e-3, double rel = 1e-2, double abs = 1e-3, int maxChecks = 48)
    {
        int n = parameter.Length;
        int stride = Math.Max(1, n / maxChecks);
        for (int i = 0; i < n; i += stride)
        {
            float orig = parameter[i];
            parameter[i] = (float)(orig + h);
            float up = parameter[i];
            double lp = objective();
            parameter[i] = (float)(orig - h);
            float down = parameter[i];
            double lm = objective();
            parameter[i] = orig;
            double numeric = (lp - lm) / ((double)up - down);
            double a = analytic[i];
            double bound = rel * Math.Max(Math.Abs(numeric), Math.Abs(a)) + abs;
            Assert.IsTrue(Math.Abs(numeric - a) <= bound,
                $"{what}[{i}]: numeric {numeric:G6} vs analytic {a:G6} (bound {bound:G3})");
        }
    }

    /// <summary>Σ r·y in double: a random projection that turns a layer's output into a scalar objective.</summary>
    public static double Project(ReadOnlySpan<float> y, float[] r)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (double)r[i] * y[i];
        return s;
    }

    /// <summary>
    /// The whole network against central differences: the weighted 3-class softmax cross-entropy of <paramref name="net"/>
    /// on <paramref name="x"/> (<paramref name="rows"/> rows, batch statistics), its gradient by Backward, and every
    /// parameter segment checked through the flat buffer at every <paramref name="stride"/>-th value (by default about 12
    /// a segment) with h = 1e-3: |numeric − analytic| ≤ 1e-2·max(|numeric|, |analytic|) + 1e-3.
    /// </summary>
    /// <returns>The number of values checked.</returns>
    public static int CheckWholeNetwork(TrainableNetwork net, float[] x, int rows, float[] labels, float[] weights, string what = "",
        Func<ParameterSegment, int>? stride = null)
    {
        var p = net.Parameters;
        double Objective()
        {
            var o = net.Forward(x, rows, ForwardMode.BatchStatistics);
            return LossFunction.Forward(LossKind.SoftmaxCrossEntropy, o, labels, weights, rows, 3, out _);
        }
        var outputs = net.Forward(x, rows, ForwardMode.BatchStatistics).ToArray();
        var d = new float[rows * 3];
        LossFunction.Backward(LossKind.SoftmaxCrossEntropy, d, outputs, labels, weights, rows, 3);
        net.Backward(x, d);
        var analytic = (float[])p.Gradients.Clone();
        int checkedCount = 0;
        foreach (var seg in p.Segments)
        {
            int step = stride?.Invoke(seg) ?? Math.Max(1, seg.Length / 12);
            for (int j = 0; j < seg.Length; j += step)
            {
                int i = seg.Offset + j;
                float orig = p.Values[i];
                p.Values[i] = orig + 1e-3f; float up = p.Values[i]; double lp = Objective();
                p.Values[i] = orig - 1e-3f; float dn = p.Values[i]; double lm = Objective();
                p.Values[i] = orig;
                double numeric = (lp - lm) / ((double)up - dn);
                double bound = 1e-2 * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])) + 1e-3;
                Assert.IsLessThanOrEqualTo(bound, Math.Abs(numeric - analytic[i]), $"{what}{seg.Name}[{j}] numeric {numeric:G6} vs analytic {analytic[i]:G6}");
                checkedCount++;
            }
        }
        return checkedCount;
    }
}
