using BnMlNet.MlNet;
using BnMlNet.MlNet.Onnx;
using BnMlNet.MlNet.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using Microsoft.ML.Runtime;

namespace BnMlNet;

// ONNX export through ML.NET's ConvertToOnnx (package Microsoft.ML.OnnxConverter; this library does not reference it).
// The converter walks the pipeline; the prediction transformer's scorer finds this model as its bindable mapper and
// calls IBindableCanSaveOnnx.SaveAsOnnx, which goes through the same ML.NET wrapper that Bind uses; the wrapper calls
// back ISingleCanSaveOnnx.SaveAsOnnx with the output variables to write (see HeadOnnxEmitter for which, per task).
// Only standard ONNX operators are emitted; see NetworkOnnxEmitter, and BatchNormMlpOnnxExport for the folding option.
public sealed partial class BatchNormMlpModelParameters : IBindableCanSaveOnnx, IDistCanSaveOnnx
{
    /// <summary>Erf and the Gemm/BatchNormalization/Cast forms used here exist from opset 9 (ConvertToOnnx allows 9–12).</summary>
    private const int MinimumOnnxOpSet = 9;

    private const string OnnxPrefix = "BatchNormMlp";

    bool ICanSaveOnnx.CanSaveOnnx(OnnxContext ctx) => true;

    bool IBindableCanSaveOnnx.SaveAsOnnx(OnnxContext ctx, RoleMappedSchema schema, string[] outputNames)
    {
        IBindableCanSaveOnnx wrapper = Task == ModelTask.Binary
            ? new SchemaBindableBinaryPredictorWrapper(this)
            : new SchemaBindablePredictorWrapper(this);
        return wrapper.SaveAsOnnx(ctx, schema, outputNames);
    }

    bool IDistCanSaveOnnx.SaveAsOnnx(OnnxContext ctx, string[] outputNames, string featureColumn) =>
        SaveNetworkAsOnnx(ctx, outputNames, featureColumn);

    bool ISingleCanSaveOnnx.SaveAsOnnx(OnnxContext ctx, string[] outputNames, string featureColumn) =>
        SaveNetworkAsOnnx(ctx, outputNames, featureColumn);

    /// <summary>Writes features → the task's outputs. <paramref name="outputNames"/> come from ML.NET's scorer, in its order.</summary>
    private bool SaveNetworkAsOnnx(OnnxContext ctx, string[] outputNames, string featureColumn)
    {
        _host.CheckValue(ctx, nameof(ctx));
        _host.CheckValue(outputNames, nameof(outputNames));
        _host.CheckNonEmpty(featureColumn, nameof(featureColumn));
        ctx.CheckOpSetVersion(MinimumOnnxOpSet, "BatchNormMlp (Erf, Gemm with C, BatchNormalization-9)");
        // An ONNX graph cannot throw per row: exporting a throwing model would silently change what it does.
        if (NonFiniteScoring != NonFiniteScoring.Impute && !BatchNormMlpOnnxExport.ImputesNonFiniteFeatures)
            throw new InvalidOperationException(
                $"This BatchNormMlp model (feature column '{featureColumn}') has {nameof(NonFiniteScoring)} = {NonFiniteScoring}: it throws " +
                "on non-finite features, which an ONNX graph cannot do per row. To export it with the Impute rule instead (NaN " +
                "imputed, ±∞ clipped), call ConvertToOnnx inside using (BatchNormMlpOnnxExport.ImputeNonFiniteFeatures()), and " +
                "validate rows before ONNX Runtime scores them.");

        var graph = new OnnxGraphBuilder(ctx, OnnxPrefix);
        bool fold = BatchNormMlpOnnxExport.FoldsBatchNormalization;
        if (ScoringPreprocessor is { } pre)   // the saved preprocessing, or the running-statistics rule of a model without it
        {
            string prepared = graph.Scratch("Prepared");
            PreprocessingOnnxEmitter.Emit(new OnnxGraphBuilder(ctx, OnnxPrefix + "Pre"), pre, featureColumn, prepared);
            featureColumn = prepared;
        }
        switch (Task)
        {
            case ModelTask.Binary: // [PredictedLabel, Score, Probability]; the scorer thresholds Score itself
                _host.Check(outputNames.Length == 3, $"Binary ONNX export expects 3 outputs, got {outputNames.Length}.");
                NetworkOnnxEmitter.Emit(graph, Network, fold, featureColumn, outputNames[1]);
                HeadOnnxEmitter.Binary(graph, outputNames[1], outputNames[2]);
                return true;
            case ModelTask.Multiclass: // [PredictedLabel, Score], or [Score] under a generic scorer
            {
                _host.Check(outputNames.Length is 1 or 2, $"Multiclass ONNX export expects 1 or 2 outputs, got {outputNames.Length}.");
                string logits = graph.Scratch("Logits");
                NetworkOnnxEmitter.Emit(graph, Network, fold, featureColumn, logits);
                if (outputNames.Length == 2)
                    HeadOnnxEmitter.Multiclass(graph, logits, predictedLabel: outputNames[0], score: outputNames[1]);
                else
                    HeadOnnxEmitter.Softmax(graph, logits, outputNames[0]);
                return true;
            }
            default: // [Score]
                _host.Check(outputNames.Length == 1, $"Regression ONNX export expects 1 output, got {outputNames.Length}.");
                if (!ExponentialScore)
                {
                    NetworkOnnxEmitter.Emit(graph, Network, fold, featureColumn, outputNames[0]);
                    return true;
                }
                string logRate = graph.Scratch("LogRate");
                NetworkOnnxEmitter.Emit(graph, Network, fold, featureColumn, logRate);
                string capped = graph.Scratch("CappedLogRate");   // Poisson's log link, capped as PoissonHead.Rate
                graph.Node("Min", capped, logRate, graph.Constant("MaximumLogRate", PoissonHead.MaximumLogRate));
                graph.Node("Exp", outputNames[0], capped);
                return true;
        }
    }
}
