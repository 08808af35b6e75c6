using System.Security.Cryptography;
using System.Text;
using BnMlNet.Engine;

namespace BnMlNet.MlNet.Persistence;

/// <summary>Writes a <see cref="ModelPayload"/> in the layout described by <see cref="ModelPayloadFormat"/>.</summary>
internal static class ModelPayloadWriter
{
    /// <summary>Writes length, payload and checksum to <paramref name="writer"/>.</summary>
    public static void Write(BinaryWriter writer, ModelPayload model)
    {
        byte[] payload = Serialize(model);
        writer.Write(payload.Length);
        writer.Write(payload);
        writer.Write(SHA256.HashData(payload));
    }

    /// <summary>The payload bytes alone.</summary>
    public static byte[] Serialize(ModelPayload model)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            var net = model.Network;
            w.Write(ModelPayloadFormat.Magic);
            // The lowest version that holds the model, so a model without the newer features is written byte for byte as before.
            bool version7 = model.Preprocessor?.Quantile is not null;
            bool version6 = version7 || (net.Embedding is not null && net.EnsembleSize > 1);
            bool version5 = version6 || net.Embedding is not null;
            bool version4 = version5 || model.NonFiniteScoring != NonFiniteScoring.Impute;
            bool version3 = version4 || net.EnsembleSize > 1;
            bool version2 = version3 || model.Preprocessor is not null || model.ExponentialScore;
            w.Write(version7 ? ModelPayloadFormat.CurrentVersion
                : version6 ? ModelPayloadFormat.VersionWithoutQuantile
                : version5 ? ModelPayloadFormat.VersionWithoutSharedEmbedding
                : version4 ? ModelPayloadFormat.VersionWithoutEmbedding
                : version3 ? ModelPayloadFormat.VersionWithoutNonFiniteScoring
                : version2 ? ModelPayloadFormat.VersionWithoutEnsemble : ModelPayloadFormat.VersionWithoutPreprocessing);
            w.Write((int)model.Task);
            w.Write(net.InputSize);
            w.Write(net.Layers[^1].OutputSize);   // the wide output (k·C) of an ensemble
            w.Write(net.LeakyReluSlope);
            WriteOptionalBatchNorm(w, net.InputBatchNorm);
            w.Write(net.Layers.Count);
            foreach (var layer in net.Layers)
            {
                w.Write(layer.InputSize);
                w.Write(layer.OutputSize);
                w.Write((int)layer.Activation);
                w.Write((int)layer.Placement);
                WriteFloats(w, layer.Weights);
                w.Write(layer.Bias is not null);
                if (layer.Bias is not null) WriteFloats(w, layer.Bias);
                WriteOptionalBatchNorm(w, layer.BatchNorm);
            }
            w.Write(model.History.Count);
            foreach (var e in model.History)
            {
                w.Write(e.Epoch);
                w.Write(e.TrainLoss);
                w.Write(e.ValidationLoss ?? double.NaN);
                w.Write(e.ValidationMetric ?? double.NaN);
                w.Write(e.MetricName ?? "");
                w.Write(e.Seconds);
                w.Write(e.LearningRate);
            }
            if (version2)
            {
                PreprocessingPayload.Write(w, model.Preprocessor, version7);
                w.Write(model.ExponentialScore);
            }
            if (version3) w.Write(net.EnsembleSize);
            if (version4) w.Write((int)model.NonFiniteScoring);
            if (version5) EmbeddingPayload.Write(w, net.Embedding);
        }
        return stream.ToArray();
    }

    private static void WriteOptionalBatchNorm(BinaryWriter w, BatchNormParameters? bn)
    {
        w.Write(bn is not null);
        if (bn is null) return;
        w.Write(bn.Size);
        w.Write(bn.Epsilon);
        WriteFloats(w, bn.Gamma);
        WriteFloats(w, bn.Beta);
        WriteFloats(w, bn.RunningMean);
        WriteFloats(w, bn.RunningVariance);
    }

    private static void WriteFloats(BinaryWriter w, IReadOnlyList<float> values)
    {
        w.Write(values.Count);
        for (int i = 0; i < values.Count; i++) w.Write(values[i]);
    }
}
