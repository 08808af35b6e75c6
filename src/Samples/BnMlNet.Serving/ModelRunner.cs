using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Serving;

/// <summary>
/// Scores one loaded model. A <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe, so each request rents
/// one from a <see cref="ObjectPool{T}"/> and returns it; large requests skip the engine and go through the
/// model's <c>Transform</c> on the whole batch.
/// </summary>
/// <typeparam name="TIn">The emitted input row type.</typeparam>
/// <typeparam name="TOut">The task's output class.</typeparam>
public sealed class ModelRunner<TIn, TOut> : IModelRunner where TIn : class where TOut : class, new()
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _input;
    private readonly Func<TOut, Prediction> _read;
    private readonly ObjectPool<PredictionEngine<TIn, TOut>> _pool;

    /// <summary>A runner for <paramref name="model"/>.</summary>
    /// <param name="ml">The context the model was loaded in.</param>
    /// <param name="model">The whole pipeline, raw columns in.</param>
    /// <param name="input">Maps <typeparamref name="TIn"/>'s fields to the column names.</param>
    /// <param name="read">Turns an output object into a <see cref="Prediction"/>.</param>
    /// <param name="poolSize">Engines kept between requests.</param>
    public ModelRunner(MLContext ml, ITransformer model, SchemaDefinition input, Func<TOut, Prediction> read, int poolSize)
    {
        _ml = ml;
        _model = model;
        _input = input;
        _read = read;
        _pool = new DefaultObjectPool<PredictionEngine<TIn, TOut>>(new EnginePolicy(this), poolSize);
    }

    /// <inheritdoc />
    public Prediction[] PredictEach(IReadOnlyList<object> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var engine = _pool.Get();
        try
        {
            var predictions = new Prediction[rows.Count];
            for (int i = 0; i < rows.Count; i++)
                predictions[i] = _read(engine.Predict((TIn)rows[i]));
            return predictions;
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    /// <inheritdoc />
    public Prediction[] PredictBatch(IReadOnlyList<object> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var data = _ml.Data.LoadFromEnumerable(rows.Cast<TIn>(), _input);
        var scored = _model.Transform(data);
        return _ml.Data.CreateEnumerable<TOut>(scored, reuseRowObject: false).Select(_read).ToArray();
    }

    private PredictionEngine<TIn, TOut> CreateEngine() =>
        _ml.Model.CreatePredictionEngine<TIn, TOut>(_model, ignoreMissingColumns: false, inputSchemaDefinition: _input);

    private sealed class EnginePolicy(ModelRunner<TIn, TOut> runner) : PooledObjectPolicy<PredictionEngine<TIn, TOut>>
    {
        public override PredictionEngine<TIn, TOut> Create() => runner.CreateEngine();

        public override bool Return(PredictionEngine<TIn, TOut> obj) => true;
    }
}
