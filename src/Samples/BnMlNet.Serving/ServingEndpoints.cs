using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BnMlNet.Serving;

/// <summary>The service's endpoints: <c>POST /predict</c> and <c>GET /health</c>.</summary>
public static class ServingEndpoints
{
    /// <summary>Maps the endpoints on <paramref name="app"/>.</summary>
    public static IEndpointRouteBuilder MapServing(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/predict", PredictAsync);
        app.MapGet("/health", Health);
        return app;
    }

    private static async Task<IResult> PredictAsync(HttpContext context, ModelHost host, ServingOptions options)
    {
        // One model for the whole request: a reload during it changes only later requests.
        var model = host.Current;
        var request = await PredictRequestReader.ReadAsync(context.Request, model, options.MaxRequestBytes, context.RequestAborted)
            .ConfigureAwait(false);
        if (request.Error is not null) return Results.Json(request.Error, statusCode: StatusCodes.Status400BadRequest);
        var predictions = request.Rows.Count > options.BatchThreshold
            ? model.Runner.PredictBatch(request.Rows)
            : model.Runner.PredictEach(request.Rows);
        return Results.Bytes(PredictionJson.Write(model.Sidecar, predictions), "application/json");
    }

    private static IResult Health(ModelHost host)
    {
        var model = host.Current;
        var failure = host.LastFailure;
        return Results.Json(new
        {
            status = "ok",
            modelPath = model.Path,
            task = model.Sidecar.Task.ToString().ToLowerInvariant(),
            label = model.Sidecar.Label,
            features = model.Sidecar.Features.Select(f => new { name = f.Name, kind = f.Kind.ToString().ToLowerInvariant() }),
            classes = model.Sidecar.Classes,
            loadedAt = model.LoadedAt,
            generation = model.Generation,
            lastReloadFailure = failure is null ? null : new { at = failure.At, message = failure.Message },
        });
    }
}
