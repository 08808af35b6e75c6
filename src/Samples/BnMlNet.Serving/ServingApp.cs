using BnMlNet.Samples.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BnMlNet.Serving;

/// <summary>
/// A web service for a model saved by <c>train</c>:
/// <c>dotnet run -c Release --project src/Samples/BnMlNet.Serving -- --model model.zip --urls http://127.0.0.1:5088</c>.
/// </summary>
public static class ServingApp
{
    /// <summary>Runs the service until it is stopped; exit code 2 when the model cannot be loaded.</summary>
    public static int Main(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (UserInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        app.Run();
        return ExitCodes.Success;
    }

    /// <summary>Builds the service: loads and checks the model (throws <see cref="UserInputException"/> when it cannot).</summary>
    /// <param name="args">The command line (<c>--model</c>, <c>--urls</c>, …).</param>
    /// <param name="configure">Changes to the builder before the service is built (a host embedding it, tests' loggers).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The body limit is enforced by the service itself (HTTP 400 with a JSON error, not the server's 413).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        // One line per request is noise for a model service; its own log (loads, reloads, refusals) stays at Information.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => ServingOptions.From(services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddHostedService<ModelReloadService>();
        configure?.Invoke(builder);

        var app = builder.Build();
        // Load the model now, so a bad --model stops the start with a clear message instead of failing requests.
        app.Services.GetRequiredService<ModelHost>();
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            app.Logger.LogError(exception, "Request {Path} failed", context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new ServingError($"Internal error: {exception?.Message}")).ConfigureAwait(false);
        }));
        app.MapServing();
        return app;
    }
}
