namespace BnMlNet.Serving;

/// <summary>Scores rows of a model's <see cref="InputRowType"/>.</summary>
public interface IModelRunner
{
    /// <summary>Row by row, with one <c>PredictionEngine</c> rented from the pool for the whole request.</summary>
    Prediction[] PredictEach(IReadOnlyList<object> rows);

    /// <summary>All rows through one <c>Transform</c> over an <c>IDataView</c> of the batch.</summary>
    Prediction[] PredictBatch(IReadOnlyList<object> rows);
}
