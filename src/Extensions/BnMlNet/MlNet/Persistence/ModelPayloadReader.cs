using System.Security.Cryptography;
using System.Text;
using BnMlNet.Engine;

namespace BnMlNet.MlNet.Persistence;

/// <summary>
/// Reads what <see cref="ModelPayloadWriter"/> wrote. Damage of any kind ends in <see cref="InvalidDataException"/>
/// with a message that says the model is damaged; time and memory stay bounded by the bytes actually present.
/// </summary>
internal static class ModelPayloadReader
{
    /// <summary>Reads length, payload and checksum from <paramref name="reader"/> and parses the payload.</summary>
    public static ModelPayload Read(BinaryReader reader)
    {
        int length = ReadInt(reader, "payload length");
        if (length <= 0 || length > ModelPayloadFormat.MaxPayloadBytes)
            throw Damaged($"the declared payload length {length} is out of range");
        var stream = reader.BaseStream;
        if (stream.CanSeek && length > stream.Length - stream.Position)
            throw Damaged($"the payload declares {length} bytes but only {stream.Length - stream.Position} remain");

        byte[] payload = ReadExactly(reader, length, "payload");
        byte[] checksum = ReadExactly(reader, ModelPayloadFormat.ChecksumBytes, "checksum");
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(payload), checksum))
            throw Damaged("the checksum does not match the content (the file was modified or truncated)");
        return Parse(payload);
    }

    /// <summary>Parses verified payload bytes.</summary>
    public static ModelPayload Parse(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        try
        {
            Span<byte> magic = stackalloc byte[8];
            if (r.Read(magic) != 8 || !magic.SequenceEqual(ModelPayloadFormat.Magic))
                throw Damaged("it is not a BnMlNet model payload (wrong magic bytes)");
            int version = r.ReadInt32();
            if (version > ModelPayloadFormat.CurrentVersion)
                throw new InvalidDataException(
                    $"This BatchNormMlp model was saved in payload format version {version}; this build of BnMlNet reads up to " +
                    $"version {ModelPayloadFormat.CurrentVersion}. Upgrade the BnMlNet package to load it.");
            if (version < 1) throw Damaged($"format version {version} is not valid");

            var task = ReadEnum<ModelTask>(r, "task");
            int inputSize = ReadSize(r, "input size");
            int outputSize = ReadSize(r, "output size");
            float slope = r.ReadSingle();
            var inputBn = ReadOptionalBatchNorm(r, "input batch norm");
            int layerCount = r.ReadInt32();
            if (layerCount < 1 || layerCount > ModelPayloadFormat.MaxLayers) throw Damaged($"layer count {layerCount} is out of range");
            var layers = new List<DenseLayerParameters>(layerCount);
            for (int i = 0; i < layerCount; i++)
            {
                string where = $"layer {i}";
                int inSize = ReadSize(r, where + " input size");
                int outSize = ReadSize(r, where + " output size");
                var activation = ReadEnum<Activation>(r, where + " activation");
                var placement = ReadEnum<BatchNormPlacement>(r, where + " placement");
                float[] weights = ReadFloats(r, where + " weights", (long)inSize * outSize);
                float[]? bias = r.ReadBoolean() ? ReadFloats(r, where + " bias", outSize) : null;
                var bn = ReadOptionalBatchNorm(r, where + " batch norm");
                layers.Add(new DenseLayerParameters(inSize, outSize, weights, bias, bn, placement, activation));
            }

            int historyCount = r.ReadInt32();
            CheckCount(r, historyCount, 8 * 5 + 5, "history");
            var history = new List<EpochReport>(historyCount);
            for (int i = 0; i < historyCount; i++)
            {
                int epoch = r.ReadInt32();
                double trainLoss = r.ReadDouble();
                double validLoss = r.ReadDouble();
                double validMetric = r.ReadDouble();
                string metric = r.ReadString();
                double seconds = r.ReadDouble();
                double lr = r.ReadDouble();
                history.Add(new EpochReport(epoch, trainLoss, double.IsNaN(validLoss) ? null : validLoss,
                    double.IsNaN(validMetric) ? null : validMetric, metric, seconds, lr));
            }
            var preprocessor = version >= 2 ? PreprocessingPayload.Read(r, Damaged, withQuantile: version >= 7) : null;
            bool exponentialScore = version >= 2 && r.ReadBoolean();
            if (exponentialScore && task != ModelTask.Regression) throw Damaged($"a {task} model cannot have an exponential score");
            int ensembleSize = version >= 3 ? r.ReadInt32() : 1;
            if (version >= 3 && (!SettingRules.EnsembleSize.Contains(ensembleSize) || (version == 3 && ensembleSize < 2)))
                throw Damaged($"ensemble size {ensembleSize} is out of range");
            var nonFiniteScoring = version >= 4 ? ReadEnum<NonFiniteScoring>(r, "non-finite scoring policy") : NonFiniteScoring.Impute;
            var embedding = version >= 5 ? EmbeddingPayload.Read(r, Damaged) : null;
            if (r.BaseStream.Position != r.BaseStream.Length) throw Damaged("unexpected bytes after the model");
            if (version == 5 && ensembleSize > 1) throw Damaged($"a version 5 payload holds a single network, not {ensembleSize} members");
            if (version == 7 && preprocessor?.Quantile is null) throw Damaged("a version 7 payload holds a quantile map, and this one has none");
            if (version == 6 && (embedding is null || ensembleSize < 2))
                throw Damaged("a version 6 payload holds an ensemble with a numerical embedding, and this one lacks " + (embedding is null ? "the embedding" : "the ensemble"));

            var network = new InferenceNetwork(layers, inputBn, slope, ensembleSize, EnsembleHeads.Combination(task, exponentialScore), embedding);
            if (network.InputSize != inputSize || network.Layers[^1].OutputSize != outputSize)
                throw Damaged($"the declared shape {inputSize}→{outputSize} contradicts the layers ({network.InputSize}→{network.Layers[^1].OutputSize})");
            if (preprocessor is not null && preprocessor.OutputSize != network.InputSize)
                throw Damaged($"the preprocessing gives {preprocessor.OutputSize} values but the network takes {network.InputSize}");
            return new ModelPayload(task, network, history, preprocessor, exponentialScore, nonFiniteScoring);
        }
        catch (EndOfStreamException) { throw Damaged("it ends early (truncated)"); }
        catch (DecoderFallbackException) { throw Damaged("a text field is not valid UTF-8"); }
        catch (ArgumentException e) { throw Damaged(e.Message); }   // shapes the engine's constructors reject
    }

    private static BatchNormParameters? ReadOptionalBatchNorm(BinaryReader r, string where)
    {
        if (!r.ReadBoolean()) return null;
        int size = ReadSize(r, where + " size");
        float eps = r.ReadSingle();
        if (!(eps > 0) || !float.IsFinite(eps)) throw Damaged($"{where} has epsilon {eps}");
        var gamma = ReadFloats(r, where + " gamma", size);
        var beta = ReadFloats(r, where + " beta", size);
        var mean = ReadFloats(r, where + " running mean", size);
        var variance = ReadFloats(r, where + " running variance", size);
        foreach (float v in variance)
            if (v < 0) throw Damaged($"{where} has a negative running variance");
        return new BatchNormParameters(gamma, beta, mean, variance, eps);
    }

    private static float[] ReadFloats(BinaryReader r, string what, long expected)
    {
        int count = r.ReadInt32();
        if (count != expected) throw Damaged($"{what} holds {count} values where its shape says {expected}");
        CheckCount(r, count, sizeof(float), what);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            float v = r.ReadSingle();
            if (!float.IsFinite(v)) throw Damaged($"{what}[{i}] is {v}");
            values[i] = v;
        }
        return values;
    }

    private static void CheckCount(BinaryReader r, long count, int bytesEach, string what)
    {
        long remaining = r.BaseStream.Length - r.BaseStream.Position;
        if (count < 0 || count * bytesEach > remaining)
            throw Damaged($"{what} declares {count} entries but only {remaining} bytes remain");
    }

    private static int ReadSize(BinaryReader r, string what)
    {
        int size = r.ReadInt32();
        if (size < 1 || size > ModelPayloadFormat.MaxLayerWidth) throw Damaged($"{what} {size} is out of range");
        return size;
    }

    private static T ReadEnum<T>(BinaryReader r, string what) where T : struct, Enum
    {
        int raw = r.ReadInt32();
        var value = (T)Enum.ToObject(typeof(T), raw);
        if (!Enum.IsDefined(value)) throw Damaged($"{what} code {raw} is unknown");
        return value;
    }

    private static int ReadInt(BinaryReader reader, string what)
    {
        try { return reader.ReadInt32(); }
        catch (EndOfStreamException) { throw Damaged($"it ends before the {what}"); }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes in bounded chunks, so a false length cannot allocate much more than is there.</summary>
    private static byte[] ReadExactly(BinaryReader reader, int count, string what)
    {
        const int Chunk = 1 << 20;
        if (count <= Chunk)
        {
            byte[] small = reader.ReadBytes(count);
            if (small.Length != count) throw Damaged($"it ends inside the {what} (truncated)");
            return small;
        }
        using var buffer = new MemoryStream();
        while (buffer.Length < count)
        {
            byte[] part = reader.ReadBytes((int)Math.Min(Chunk, count - buffer.Length));
            if (part.Length == 0) throw Damaged($"it ends inside the {what} (truncated)");
            buffer.Write(part);
        }
        return buffer.ToArray();
    }

    private static InvalidDataException Damaged(string detail) =>
        new($"The BatchNormMlp model in this file is damaged: {detail}. Re-save the model from a trained pipeline, or restore the file from a backup.");
}
