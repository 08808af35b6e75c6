using System.Globalization;
using BnMlNet.Tests.Persistence;

// Usage: dotnet run --project tools/CompatFixtures -- VERSION [FOLDER]
//    or: dotnet run --project tools/CompatFixtures -- recipe-v2 [FOLDER]   (the tabular recipe's v2 fixtures, Recipe/CompatibilityV2Tests)
//    or: dotnet run --project tools/CompatFixtures -- ensemble-v3 [FOLDER] (3-member ensembles, Ensembles/CompatibilityV3Tests)
//    or: dotnet run --project tools/CompatFixtures -- nonfinite-v4 [FOLDER] (throwing NonFiniteScoring, Scoring/CompatibilityV4Tests)
//    or: dotnet run --project tools/CompatFixtures -- embedding-v5 [FOLDER] (the numerical embedding, Embedding/CompatibilityV5Tests)
//    or: dotnet run --project tools/CompatFixtures -- shared-embedding-v6 [FOLDER] (3 members sharing the embedding, Embedding/CompatibilityV6Tests)
//    or: dotnet run --project tools/CompatFixtures -- quantile-v7 [FOLDER] (NumericScaling.Quantile, Recipe/CompatibilityV7Tests)
// Writes v{VERSION}-{binary,multiclass,regression}.zip and .predictions.json into FOLDER (default: the test
// project's Fixtures/compat). VERSION is the model format version the current code writes; existing files are
// never overwritten.
if (args.Length is 1 or 2 && args[0] is "recipe-v2" or "ensemble-v3" or "nonfinite-v4" or "embedding-v5" or "shared-embedding-v6" or "quantile-v7")
{
    string recipeFolder = Path.GetFullPath(args.Length == 2 ? args[1]
        : Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "test", "BnMlNet.Tests", "Fixtures", "compat"));
    try
    {
        var files = args[0] switch
        {
            "recipe-v2" => BnMlNet.Tests.Recipe.CompatibilityV2Fixture.WriteFixtures(recipeFolder),
            "ensemble-v3" => BnMlNet.Tests.Ensembles.CompatibilityV3Fixture.WriteFixtures(recipeFolder),
            "nonfinite-v4" => BnMlNet.Tests.Scoring.CompatibilityV4Fixture.WriteFixtures(recipeFolder),
            "embedding-v5" => BnMlNet.Tests.Embedding.CompatibilityV5Fixture.WriteFixtures(recipeFolder),
            "shared-embedding-v6" => BnMlNet.Tests.Embedding.CompatibilityV6Fixture.WriteFixtures(recipeFolder),
            _ => BnMlNet.Tests.Recipe.CompatibilityV7Fixture.WriteFixtures(recipeFolder),
        };
        foreach (string file in files) Console.WriteLine($"wrote {file}");
        return 0;
    }
    catch (IOException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}
if (args.Length is < 1 or > 2 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
{
    Console.Error.WriteLine("Usage: CompatFixtures VERSION [FOLDER]   (VERSION: the model format version, a whole number ≥ 1)");
    return 2;
}
string folder = args.Length == 2 ? args[1]
    : Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "test", "BnMlNet.Tests", "Fixtures", "compat");
folder = Path.GetFullPath(folder);
try
{
    foreach (string file in CompatibilityFixture.Write(folder, version)) Console.WriteLine($"wrote {file}");
    return 0;
}
catch (IOException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
