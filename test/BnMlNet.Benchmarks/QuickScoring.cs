using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick rowkernel</c>: one row through one layer, the dense <see cref="RowKernels.MatVec"/> against
/// <see cref="LaneExactMatVec"/> (same bits, skips zero inputs), interleaved in rounds; prints the median ns of each
/// and checks the outputs agree bit for bit.
/// </summary>
public static class QuickScoring
{
    /// <summary>Runs the comparison on Adult's and Fashion-MNIST's layer shapes.</summary>
    public static void Run()
    {
        // (name, in, out, non-zero inputs): Adult after robust scaling ≈ 6 numeric + 8 one-hot + the slots whose
        // zero is not at the median; the second Adult layer after ReLU ≈ half; Fashion-MNIST ≈ half of the pixels.
        foreach (var (name, nIn, nOut, nonZero) in new[] { ("adult_l1", 107, 128, 24), ("adult_l2", 128, 64, 64), ("adult_l1_dense", 107, 128, 107),
            ("fm_l1", 784, 256, 392), ("fm_l2", 256, 256, 128) })
        {
            var rng = new Random(3);
            var w = new float[nIn * nOut];
            for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() - 0.5);
            var b = new float[nOut];
            var wT = LaneExactMatVec.Transpose(w, nIn, nOut);
            var lanes = new int[LaneExactMatVec.LaneBufferLength(nIn)];
            const int rowCount = 64;
            var rows = new float[rowCount][];
            for (int r = 0; r < rowCount; r++)
            {
                rows[r] = new float[nIn];
                foreach (int k in Enumerable.Range(0, nIn).OrderBy(_ => rng.Next()).Take(nonZero)) rows[r][k] = (float)(rng.NextDouble() * 2 - 1);
            }
            var y1 = new float[nOut];
            var y2 = new float[nOut];
            var y3 = new float[nOut];
            bool paired = PairedMatVec512.IsSupported;
            var packed = paired ? PairedMatVec512.Pack(w, b, nIn, nOut) : [];
            int mismatches = 0;
            foreach (var x in rows)
            {
                RowKernels.MatVec(y1, w, b, x, nIn, nOut);
                LaneExactMatVec.Multiply(y2, wT, b, x, nIn, nOut, lanes);
                if (paired) PairedMatVec512.Multiply(y3, packed, x, nIn, nOut); else y1.CopyTo(y3, 0);
                for (int o = 0; o < nOut; o++)
                {
                    if (BitConverter.SingleToUInt32Bits(y1[o]) != BitConverter.SingleToUInt32Bits(y2[o])) mismatches++;
                    if (BitConverter.SingleToUInt32Bits(y1[o]) != BitConverter.SingleToUInt32Bits(y3[o])) mismatches++;
                }
            }
            var dense = new List<double>();
            var skipping = new List<double>();
            var pairs = new List<double>();
            for (int round = 0; round < 15; round++)
            {
                dense.Add(Time(() => { foreach (var x in rows) RowKernels.MatVec(y1, w, b, x, nIn, nOut); }, rowCount));
                skipping.Add(Time(() => { foreach (var x in rows) LaneExactMatVec.Multiply(y2, wT, b, x, nIn, nOut, lanes); }, rowCount));
                if (paired) pairs.Add(Time(() => { foreach (var x in rows) PairedMatVec512.Multiply(y3, packed, x, nIn, nOut); }, rowCount));
            }
            double d = Median(dense), s = Median(skipping);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rowkernel_{name}_dense_ns={d:F1}\nrowkernel_{name}_lane_exact_ns={s:F1}\nrowkernel_{name}_speedup={d / s:F2}\nrowkernel_{name}_mismatches={mismatches}"));
            if (paired)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rowkernel_{name}_paired_ns={Median(pairs):F1}\nrowkernel_{name}_paired_speedup={d / Median(pairs):F2}\nrowkernel_{name}_paired_speedup_per_round_median={Median(dense.Zip(pairs, (p, q) => p / q).ToList()):F2}"));
        }
    }

    /// <summary>
    /// <c>quick rownet</c>: a 107-128-64-1 ReLU network (Adult's default shape, random weights) on one-hot-like rows
    /// (6 dense inputs, 8 one-hot slots, 4 slots whose zero scales to a non-zero value): the previous one-row path
    /// (clamp, then RowKernels per layer) against today's <see cref="InferenceNetwork.Predict"/>, interleaved.
    /// </summary>
    public static void RunNetwork()
    {
        var rng = new Random(5);
        int[] widths = [107, 128, 64, 1];
        var layers = new List<DenseLayerParameters>();
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            int i = widths[l], o = widths[l + 1];
            var w = Enumerable.Range(0, i * o).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.4f).ToArray();
            var b = Enumerable.Range(0, o).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.2f).ToArray();
            layers.Add(new DenseLayerParameters(i, o, w, b, null, BatchNormPlacement.None, l + 2 < widths.Length ? Activation.Relu : Activation.Identity));
        }
        var network = new InferenceNetwork(layers, null, 0.01f);
        var folded = FoldedLayer.Fold(layers, null, out _);
        const int rowCount = 256;
        var rows = new float[rowCount][];
        for (int r = 0; r < rowCount; r++)
        {
            var x = rows[r] = new float[107];
            for (int j = 0; j < 6; j++) x[j] = (float)(rng.NextDouble() * 2 - 1);
            for (int j = 0; j < 4; j++) x[6 + 20 * j] = -1.5f;                                   // a median-1 slot at 0
            for (int c = 0; c < 8; c++) x[6 + c * 12 + rng.Next(12)] = 1.4f;                    // one hot per column
        }
        var a = new float[128];
        var bb = new float[128];
        var y = new float[1];
        var y2 = new float[1];
        var scratch = network.CreateScratch();
        void Old(float[] x)
        {
            RowKernels.Clamp(x, bb, network.InputGuard);
            ReadOnlySpan<float> input = bb.AsSpan(0, 107);
            float[] next = a, other = bb;
            foreach (var layer in folded)
            {
                var z = next.AsSpan(0, layer.OutputSize);
                RowKernels.MatMulRows(z, layer.Weights, layer.Bias, input, 1, layer.InputSize, layer.OutputSize);
                Activations.Forward(z, z, layer.Activation, 0.01f);
                input = z;
                (next, other) = (other, next);
            }
            input.CopyTo(y);
        }
        var transposed = folded.Select(f => LaneExactMatVec.Transpose(f.Weights, f.InputSize, f.OutputSize)).ToArray();
        var lanes = new int[LaneExactMatVec.LaneBufferLength(128)];
        void Manual(float[] x, int skipFrom, int skipTo)
        {
            RowKernels.Clamp(x, bb, network.InputGuard);
            ReadOnlySpan<float> input = bb.AsSpan(0, 107);
            float[] next = a, other = bb;
            for (int l = 0; l < folded.Length; l++)
            {
                var layer = folded[l];
                var z = next.AsSpan(0, layer.OutputSize);
                if (l >= skipFrom && l < skipTo) LaneExactMatVec.Multiply(z, transposed[l], layer.Bias, input, layer.InputSize, layer.OutputSize, lanes);
                else RowKernels.MatMulRows(z, layer.Weights, layer.Bias, input, 1, layer.InputSize, layer.OutputSize);
                Activations.Forward(z, z, layer.Activation, 0.01f);
                input = z;
                (next, other) = (other, next);
            }
            input.CopyTo(y);
        }
        if (PairedMatVec512.IsSupported)
        {
            // Per layer: R = RowKernels, L = LaneExactMatVec (skips zeros), P = PairedMatVec512; "LR" was the path before.
            var packs = folded.Select(f => PairedMatVec512.Pack(f.Weights, f.Bias, f.InputSize, f.OutputSize)).ToArray();
            void Mixed(float[] x, string kinds)
            {
                RowKernels.Clamp(x, bb, network.InputGuard);
                ReadOnlySpan<float> input = bb.AsSpan(0, 107);
                float[] next = a, other = bb;
                for (int l = 0; l < folded.Length; l++)
                {
                    var layer = folded[l];
                    var z = next.AsSpan(0, layer.OutputSize);
                    char kind = l < kinds.Length ? kinds[l] : 'R';
                    if (kind == 'L') LaneExactMatVec.Multiply(z, transposed[l], layer.Bias, input, layer.InputSize, layer.OutputSize, lanes);
                    else if (kind == 'P') PairedMatVec512.Multiply(z, packs[l], input, layer.InputSize, layer.OutputSize);
                    else RowKernels.MatMulRows(z, layer.Weights, layer.Bias, input, 1, layer.InputSize, layer.OutputSize);
                    Activations.Forward(z, z, layer.Activation, 0.01f);
                    input = z;
                    (next, other) = (other, next);
                }
                input.CopyTo(y);
            }
            string[] mixes = ["LR", "LL", "LP", "RR"];
            var mixTimes = mixes.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < 15; round++)
                for (int v = 0; v < mixes.Length; v++)
                {
                    string kinds = mixes[v];
                    mixTimes[v].Add(Time(() => { foreach (var x in rows) Mixed(x, kinds); }, rowCount));
                }
            for (int v = 0; v < mixes.Length; v++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rownet_mix_{mixes[v]}_ns={Median(mixTimes[v]):F1} rownet_mix_{mixes[v]}_vs_LR_per_round={Median(mixTimes[0].Zip(mixTimes[v], (p, q) => p / q).ToList()):F2}"));
        }
        var variants = new (string Name, int From, int To)[] { ("l1_only", 0, 1), ("l2_only", 1, 2), ("both", 0, 2) };
        var times = variants.Select(_ => new List<double>()).ToArray();
        var reference = new List<double>();
        for (int round = 0; round < 15; round++)
        {
            reference.Add(Time(() => { foreach (var x in rows) Manual(x, 0, 0); }, rowCount));
            for (int v = 0; v < variants.Length; v++)
            {
                var (_, from, to) = variants[v];
                times[v].Add(Time(() => { foreach (var x in rows) Manual(x, from, to); }, rowCount));
            }
        }
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rownet_lane_exact_{variants[v].Name}_speedup={Median(reference) / Median(times[v]):F2}"));
        int mismatches = 0;
        foreach (var x in rows)
        {
            Old(x);
            network.Predict(x, y2, scratch);
            if (BitConverter.SingleToUInt32Bits(y[0]) != BitConverter.SingleToUInt32Bits(y2[0])) mismatches++;
        }
        var before = new List<double>();
        var after = new List<double>();
        for (int round = 0; round < 21; round++)
        {
            before.Add(Time(() => { foreach (var x in rows) Old(x); }, rowCount));
            after.Add(Time(() => { foreach (var x in rows) network.Predict(x, y2, scratch); }, rowCount));
        }
        double d = Median(before), s = Median(after);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rownet_adult_previous_ns={d:F1}\nrownet_adult_predict_ns={s:F1}\nrownet_adult_speedup={d / s:F2}\nrownet_adult_mismatches={mismatches}"));
        var ratios = before.Zip(after, (p, q) => p / q).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rownet_adult_speedup_per_round_median={Median(ratios):F2}"));
    }

    /// <summary>
    /// ns per row: the 10th percentile of single passes over 40 ms (a loaded machine preempts some passes; the low
    /// percentile is the undisturbed cost, which a mean over wall-clock time is not).
    /// </summary>
    private static double Time(Action pass, int rows)
    {
        for (int i = 0; i < 200; i++) pass();
        var clock = Stopwatch.StartNew();
        var passes = new List<long>();
        while (clock.Elapsed.TotalMilliseconds < 40)
        {
            long start = Stopwatch.GetTimestamp();
            pass();
            passes.Add(Stopwatch.GetTimestamp() - start);
        }
        passes.Sort();
        return passes[passes.Count / 10] * 1e9 / Stopwatch.Frequency / rows;
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s[s.Length / 2];
    }
}
