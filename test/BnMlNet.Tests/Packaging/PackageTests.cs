using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BnMlNet.Samples.Datasets;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Packaging;

/// <summary>
/// What a user installs: <c>dotnet pack</c> into a temporary folder, then a fresh console project that takes BnMlNet
/// from that folder (everything else from the usual feed) and runs the README's Quick start unchanged: it trains,
/// evaluates, saves. A second, separate program loads the saved model and scores it again, with no extra call.
/// Run against each Microsoft.ML version the package declares.
/// </summary>
[TestClass]
public sealed partial class PackageTests
{
    private const string DeclaredRange = "[5.0.1, 6.0.0]";
    private static readonly string Root = RepositoryPaths.RepositoryRoot;

    [TestMethod]
    [TestCategory("Long")]
    [DataRow("5.0.1")]
    [DataRow("6.0.0")]
    public void PackedLibraryTrainsSavesAndScoresInAFreshProjectAndProcess(string mlNetVersion)
    {
        string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}.{mlNetVersion.Replace('.', '-')}";
        string dir = Directory.CreateTempSubdirectory("bnmlnet-pack-").FullName;
        try
        {
            string feed = Path.Combine(dir, "feed");
            foreach (string project in new[] { "BnMlNet.Engine/BnMlNet.Engine.csproj", "BnMlNet/BnMlNet.csproj" })
                Run(Root, "dotnet", "pack", Path.Combine(Root, "src", "Extensions", project), "-c", "Release", "-o", feed,
                    "--artifacts-path", Path.Combine(dir, "artifacts"), $"-p:Version={version}", "-nodeReuse:false");
            CheckPackages(feed, version);

            string app = Path.Combine(dir, "app"), scorer = Path.Combine(dir, "scorer");
            File.WriteAllText(Path.Combine(dir, "nuget.config"), NuGetConfig(feed));
            WriteProject(app, "app", version, mlNetVersion, QuickStart());
            WriteProject(scorer, "scorer", version, mlNetVersion, ScorerProgram);
            Directory.CreateDirectory(Path.Combine(app, "data"));
            File.Copy(Path.Combine(Root, "data", "anes96-vote.csv"), Path.Combine(app, "data", "anes96-vote.csv"));
            foreach (string project in new[] { app, scorer })
                Run(project, "dotnet", "build", "-c", "Release", "-nodeReuse:false");

            string trained = Run(app, "dotnet", Path.Combine(app, "bin", "Release", "net10.0", "app.dll"));
            var metrics = MetricsLine().Match(trained);
            Assert.IsTrue(metrics.Success, trained);
            Assert.IsGreaterThan(0.85, double.Parse(metrics.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), trained);
            StringAssert.Contains(trained, "last hidden layer: 16 units × 5 member(s)");   // a small table: the automatic ensemble
            Assert.IsTrue(File.Exists(Path.Combine(app, "model.zip")));

            string scored = Run(app, "dotnet", Path.Combine(scorer, "bin", "Release", "net10.0", "scorer.dll"), "model.zip", "data/anes96-vote.csv");
            Assert.AreEqual(metrics.Value, MetricsLine().Match(scored).Value, $"the second process scores the saved model alike:\n{scored}");
            StringAssert.Contains(scored, $"Microsoft.ML {mlNetVersion}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            // The uniquely versioned test packages restore into the global packages folder: remove them again.
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (string id in new[] { "bnmlnet", "bnmlnet.engine" })
            {
                string cached = Path.Combine(packages, id, version);
                if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            }
        }
    }

    /// <summary>Both assemblies, their XML docs, a readme and symbols; the dependencies declared, ML.NET as a range.</summary>
    private static void CheckPackages(string feed, string version)
    {
        foreach (var (id, dependsOnMlNet) in new[] { ("BnMlNet", true), ("BnMlNet.Engine", false) })
        {
            string nupkg = Path.Combine(feed, $"{id}.{version}.nupkg"), snupkg = Path.Combine(feed, $"{id}.{version}.snupkg");
            Assert.IsTrue(File.Exists(nupkg), nupkg);
            using (var zip = ZipFile.OpenRead(nupkg))
            {
                var names = zip.Entries.Select(e => e.FullName).ToHashSet();
                foreach (string entry in new[] { $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml", "README.md" })
                    Assert.Contains(entry, names, $"{id} package");
                using var spec = zip.GetEntry($"{id}.nuspec")!.Open();
                var dependencies = XDocument.Load(spec).Descendants().Where(e => e.Name.LocalName == "dependency")
                    .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
                if (dependsOnMlNet)
                {
                    Assert.AreEqual(DeclaredRange, dependencies["Microsoft.ML"]);
                    Assert.AreEqual(version, dependencies["BnMlNet.Engine"]);
                }
                else
                {
                    Assert.IsFalse(dependencies.Keys.Any(k => k.StartsWith("Microsoft.ML", StringComparison.Ordinal)), string.Join(", ", dependencies.Keys));
                }
                Assert.IsFalse(dependencies.ContainsKey("Mono.Cecil"), "the publicizer is a build-time tool only");
            }
            Assert.IsTrue(File.Exists(snupkg), snupkg);
            using var symbols = ZipFile.OpenRead(snupkg);
            Assert.IsTrue(symbols.Entries.Any(e => e.FullName == $"lib/net10.0/{id}.pdb"), $"{id} symbols");
        }
    }

    /// <summary>The README's Quick start program, verbatim.</summary>
    private static string QuickStart()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        int section = readme.IndexOf("## Quick start", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, section, "README.md has a Quick start section");
        var block = CSharpBlock().Match(readme, section);
        Assert.IsTrue(block.Success, "the Quick start has a C# block");
        return block.Groups[1].Value;
    }

    private const string ScorerProgram = """
        using Microsoft.ML;
        using Microsoft.ML.Data;

        // A separate process, as a user's scoring service: a fresh MLContext, no RegisterAssembly, no BnMlNet type.
        var ml = new MLContext(seed: 1);
        ITransformer model = ml.Model.Load(args[0], out _);
        IDataView data = ml.Data.LoadFromTextFile<Row>(args[1], separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"AUC {metrics.AreaUnderRocCurve:F3}, accuracy {metrics.Accuracy:F3}");
        Console.WriteLine($"Microsoft.ML {System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(MLContext).Assembly)!.InformationalVersion}");

        public sealed class Row
        {
            [LoadColumn(3)] public float ClintonLR { get; set; }
            [LoadColumn(4)] public float DoleLR { get; set; }
            [LoadColumn(2)] public float SelfLR { get; set; }
            [LoadColumn(5)] public float PartyId { get; set; }
            [LoadColumn(6)] public float Age { get; set; }
            [LoadColumn(7)] public float Education { get; set; }
            [LoadColumn(8)] public float Income { get; set; }
            [LoadColumn(9), ColumnName("Label")] public bool Vote { get; set; }
        }
        """;

    private static void WriteProject(string dir, string name, string version, string mlNetVersion, string program)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="BnMlNet" Version="{version}" />
                <PackageReference Include="Microsoft.ML" Version="{mlNetVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), program);
    }

    /// <summary>BnMlNet* from the temporary feed only; everything else from nuget.org.</summary>
    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local"><package pattern="BnMlNet*" /></packageSource>
            <packageSource key="nuget.org"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    private static string Run(string workingDirectory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(600_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in 10 minutes");
        }
        string output = stdout.Result + stderr.Result;
        Assert.AreEqual(0, process.ExitCode, $"{file} {string.Join(' ', args)} failed in {workingDirectory}:\n{output}");
        return output;
    }

    [GeneratedRegex(@"AUC (\d\.\d{3}), accuracy (\d\.\d{3})")]
    private static partial Regex MetricsLine();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
