using System.Buffers;
using System.Text.Json;
using BnMlNet.Samples.Csv;

namespace BnMlNet.Serving;

/// <summary>
/// Writes <c>POST /predict</c>'s answer: a JSON array, one object per row. Binary: <c>score</c>, <c>probability</c>,
/// <c>predictedLabel</c> (true/false); multiclass: <c>predictedLabel</c> (class name) and <c>scores</c> keyed by
/// class name in the model's class order; regression: <c>score</c>. Floats are written in their shortest
/// round-trip form, the same text <c>predict</c> writes, so parsing them back gives the model's bits.
/// </summary>
public static class PredictionJson
{
    /// <summary>The answer as UTF-8 JSON.</summary>
    public static byte[] Write(ModelSidecar sidecar, IReadOnlyList<Prediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        ArgumentNullException.ThrowIfNull(predictions);
        var buffer = new ArrayBufferWriter<byte>(64 + 96 * predictions.Count);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var p in predictions)
            {
                json.WriteStartObject();
                switch (sidecar.Task)
                {
                    case MlTask.Binary:
                        json.WriteNumber("score", p.Score);
                        json.WriteNumber("probability", p.Probability);
                        json.WriteBoolean("predictedLabel", p.PredictedLabel);
                        break;
                    case MlTask.Multiclass:
                        json.WriteString("predictedLabel", p.PredictedClass);
                        json.WriteStartObject("scores");
                        for (int k = 0; k < sidecar.Classes.Count; k++)
                            json.WriteNumber(sidecar.Classes[k], p.Scores![k]);
                        json.WriteEndObject();
                        break;
                    default:
                        json.WriteNumber("score", p.Score);
                        break;
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
