using BnMlNet.Engine;
using BnMlNet.MlNet;
using BnMlNet.MlNet.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace BnMlNet;

// The ML.NET scoring contract, implemented explicitly so that no ML.NET internal type shows in the public surface.
// ML.NET's prediction transformers bind the model through ISchemaBindableMapper: a binary model is wrapped the way
// calibrated binary models are (Score + Probability), the others the way plain predictors are (Score).
public sealed partial class BatchNormMlpModelParameters :
    ICanSaveModel, IPredictorProducing<float>, IPredictorProducing<VBuffer<float>>, IValueMapperDist, ISchemaBindableMapper
{
    PredictionKind IPredictor.PredictionKind => Task switch
    {
        ModelTask.Binary => PredictionKind.BinaryClassification,
        ModelTask.Multiclass => PredictionKind.MulticlassClassification,
        _ => PredictionKind.Regression,
    };

    DataViewType IValueMapper.InputType => new VectorDataViewType(NumberDataViewType.Single, FeatureCount);

    DataViewType IValueMapper.OutputType => Task == ModelTask.Multiclass
        ? new VectorDataViewType(NumberDataViewType.Single, OutputCount)
        : NumberDataViewType.Single;

    DataViewType IValueMapperDist.DistType => NumberDataViewType.Single;

    ISchemaBoundMapper ISchemaBindableMapper.Bind(IHostEnvironment env, RoleMappedSchema schema)
    {
        // Bound to a copy that names the feature column in its scoring errors.
        var named = schema?.Feature is { } feature ? WithFeatureColumn(feature.Name) : this;
        ISchemaBindableMapper wrapper = Task == ModelTask.Binary
            ? new SchemaBindableBinaryPredictorWrapper(named)
            : new SchemaBindablePredictorWrapper(named);
        return wrapper.Bind(env, schema);
    }

    ValueMapper<TSrc, TDst> IValueMapper.GetMapper<TSrc, TDst>()
    {
        var scorer = CreateRowScorer();
        if (Task == ModelTask.Multiclass)
        {
            _host.Check(typeof(TSrc) == typeof(VBuffer<float>) && typeof(TDst) == typeof(VBuffer<float>), "Multiclass mapper types");
            int classes = OutputCount;
            ValueMapper<VBuffer<float>, VBuffer<float>> map = (in VBuffer<float> src, ref VBuffer<float> dst) =>
            {
                var logits = scorer.Score(in src);
                var editor = VBufferEditor.Create(ref dst, classes);
                HeadFunctions.Softmax(logits, editor.Values);
                dst = editor.Commit();
            };
            return (ValueMapper<TSrc, TDst>)(Delegate)map;
        }

        _host.Check(typeof(TSrc) == typeof(VBuffer<float>) && typeof(TDst) == typeof(float), "Scalar mapper types");
        ValueMapper<VBuffer<float>, float> scalar = (in VBuffer<float> src, ref float dst) => dst = scorer.Score(in src)[0];
        return (ValueMapper<TSrc, TDst>)(Delegate)scalar;
    }

    ValueMapper<TSrc, TDst, TDist> IValueMapperDist.GetMapper<TSrc, TDst, TDist>()
    {
        _host.Check(typeof(TSrc) == typeof(VBuffer<float>) && typeof(TDst) == typeof(float) && typeof(TDist) == typeof(float), "Binary mapper types");
        var scorer = CreateRowScorer();
        ValueMapper<VBuffer<float>, float, float> map = (in VBuffer<float> src, ref float score, ref float probability) =>
        {
            score = scorer.Score(in src)[0];
            probability = HeadFunctions.Sigmoid(score);
        };
        return (ValueMapper<TSrc, TDst, TDist>)(Delegate)map;
    }
}
