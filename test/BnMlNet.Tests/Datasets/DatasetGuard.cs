using BnMlNet.Samples.Datasets;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Datasets;

/// <summary>
/// Skips a test (Inconclusive) when a dataset is missing, or fails it when BNMLNET_REQUIRE_DATASETS=1 (CI).
/// </summary>
public static class DatasetGuard
{
    /// <summary>Returns <paramref name="path"/> when it exists; otherwise skips or fails with a message naming <paramref name="what"/>.</summary>
    public static string Require(string? path, string what)
    {
        if (DatasetRequirement.TryLocate(path, what, out var message))
            return path!;
        if (DatasetRequirement.IsRequired)
            Assert.Fail(message);
        else
            Assert.Inconclusive(message);
        throw new InvalidOperationException("Assert.Fail/Inconclusive returned.");
    }
}
