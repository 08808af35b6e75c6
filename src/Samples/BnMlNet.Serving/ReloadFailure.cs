namespace BnMlNet.Serving;

/// <summary>A reload that was refused (the old model kept serving).</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Message">Why.</param>
public sealed record ReloadFailure(DateTimeOffset At, string Message);
