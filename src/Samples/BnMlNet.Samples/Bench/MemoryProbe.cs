using BnMlNet.Engine;
using BnMlNet.Samples.Datasets;

namespace BnMlNet.Samples.Bench;

/// <summary>
/// Peak working set while training through the engine API, against what training has to hold: the cached feature
/// floats and labels, the parameters with their gradients and Adam's two moments, and the per-batch buffers. Run it
/// in a fresh process (<c>bench --memory-probe</c>) so that nothing else has raised the working set before.
/// </summary>
public static class MemoryProbe
{
    /// <summary>Runs the probe and prints it.</summary>
    public static void Run(BenchSettings s, int[] hidden, BenchOutput o)
    {
        var dir = FashionMnist.FindDirectory(FashionMnistSource.Full)
            ?? throw new FileNotFoundException(FashionMnist.Describe(FashionMnistSource.Full));
        // Decode the gzip stream straight into the float array (no byte copy of the whole file), so that the only
        // large allocation is the cached features themselves.
        float[] features = ReadPixels(Path.Combine(dir, FashionMnist.ImagesFileName(FashionMnistSplit.Train)));
        float[] labels = FashionMnist.ReadIdx(Path.Combine(dir, FashionMnist.LabelsFileName(FashionMnistSplit.Train)))
            .Data.Select(b => (float)b).ToArray();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int n = labels.Length, f = FashionMnist.PixelCount, k = FashionMnist.ClassCount, b = s.FashionMnistShape().BatchSize;
        // --recipe: the default recipe's data steps (hold-out, robust scaling, dropout, early stopping), with the arrays
        // handed over as the ML.NET trainer hands its cache over, so the hold-out and the scaling work in place.
        var data = new DenseDataset(features, labels, null, f) { TrainerOwnsArrays = s.Recipe };
        var spec = new NetworkSpec(f, hidden, k) { DropoutRate = s.Recipe ? 0.1f : 0f };
        var settings = new TrainingSettings { BatchSize = b, Epochs = s.FashionMnistShape().Epochs, Threads = s.Threads, Seed = s.Seed };
        if (s.Recipe)
        {
            settings.ValidationFraction = 0.2f;
            settings.Preprocessing = new BnMlNet.Engine.Preprocessing.PreprocessingSettings(NumericScaling.Robust);
            settings.EarlyStoppingPatience = 16;
        }
        long before = Environment.WorkingSet;
        long peak;
        TrainingResult result;
        using (var sampler = new WorkingSetSampler())
        {
            result = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(data);
            peak = sampler.PeakBytes;
        }

        // What training needs: the data, 4 floats per parameter (value, gradient, Adam m and v), running statistics,
        // and per batch: 3 staged batches of features (two in the stager, one shuffle buffer), per block its Dense
        // output, BN output, x̂, activation and output gradient, 3 scratch buffers of the widest block, the logits' gradient.
        var widths = hidden.Append(k).ToArray();
        long parameters = 0;
        int fanIn = f;
        foreach (int w in widths) { parameters += (long)fanIn * w; fanIn = w; }
        parameters += k + 2L * hidden.Sum();
        double mb = 1048576.0;
        double dataMb = ((long)n * f + n) * 4 / mb;
        double paramMb = parameters * 4 * 4 / mb + hidden.Sum() * 2 * 4 / mb;
        double batchMb = (3.0 * b * f + 5.0 * b * widths.Sum() + 3.0 * b * Math.Max(f, widths.Max()) + b * k
            + (s.Recipe ? 2.0 * b * hidden.Sum() : 0)) * 4 / mb;   // dropout: a mask and the dropped values per hidden block
        double expected = dataMb + paramMb + batchMb;
        o.Put("memory_recipe", s.Recipe ? 1 : 0, "F0");
        o.Put("memory_epochs", s.FashionMnistShape().Epochs, "F0");
        o.Put("memory_final_train_loss", result.History[^1].TrainLoss, "F4");
        o.Put("memory_expected_data_mb", dataMb, "F1");
        o.Put("memory_expected_parameters_mb", paramMb, "F2");
        o.Put("memory_expected_batch_buffers_mb", batchMb, "F2");
        o.Put("memory_expected_total_mb", expected, "F1");
        o.Put("memory_working_set_before_training_mb", before / mb, "F1");
        o.Put("peak_working_set_mb", peak / mb, "F1");
        o.Put("memory_peak_over_expected", peak / mb / expected, "F3");
        o.Put("memory_gc_heap_mb", GC.GetTotalMemory(false) / mb, "F1");
        GC.KeepAlive(features);
    }

    private static float[] ReadPixels(string path)
    {
        using var file = File.OpenRead(path);
        using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[16];
        gz.ReadExactly(header);
        int count = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        int rows = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        int cols = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        var features = new float[(long)count * rows * cols];
        var buffer = new byte[65536];
        int at = 0;
        while (at < features.Length)
        {
            int read = gz.Read(buffer, 0, Math.Min(buffer.Length, features.Length - at));
            if (read <= 0) throw new InvalidDataException($"{path} ends early.");
            for (int i = 0; i < read; i++) features[at + i] = buffer[i] / 255f;
            at += read;
        }
        return features;
    }
}
