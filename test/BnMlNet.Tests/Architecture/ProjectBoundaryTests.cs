using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BnMlNet.Engine;
using BnMlNet.Samples.Datasets;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Architecture;

/// <summary>
/// The walls between the engine and the ML.NET adapter, checked on the project files, the source tree and the
/// built assemblies: the engine never references ML.NET or the publicizer, only the adapter publicizes, the
/// engine's internals are visible to the tests and benchmarks alone, namespaces follow folders, files stay small.
/// </summary>
[TestClass]
public sealed partial class ProjectBoundaryTests
{
    private static readonly string Root = RepositoryPaths.RepositoryRoot;
    private static readonly string EngineProject = Path.Combine(Root, "src", "Extensions", "BnMlNet.Engine", "BnMlNet.Engine.csproj");
    private static readonly string AdapterProject = Path.Combine(Root, "src", "Extensions", "BnMlNet", "BnMlNet.csproj");

    /// <summary>Files whose namespace is not their folder's, each for a reason docs/architecture.md gives.</summary>
    private static readonly Dictionary<string, string> NamespaceExceptions = new()
    {
        ["src/Extensions/BnMlNet/MlNet/Catalog/BatchNormMlpCatalog.cs"] = "Microsoft.ML",   // ML.NET's convention for catalog extensions
        ["src/Extensions/BnMlNet/MlNet/Persistence/IgnoresAccessChecksTo.cs"] = "System.Runtime.CompilerServices",   // the runtime looks it up there
    };

    private static readonly string[] Forbidden = ["Microsoft.ML", "Publicize", "Mono.Cecil", "IgnoresAccessChecksTo"];

    [TestMethod]
    public void EngineProjectReferencesNeitherMlNetNorThePublicizer()
    {
        var project = XDocument.Load(EngineProject);
        var items = project.Descendants()
            .Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "Reference" or "Import" or "PublicizeAssembly" or "Compile")
            .Select(e => $"{e.Name.LocalName} {(string?)e.Attribute("Include") ?? (string?)e.Attribute("Project") ?? ""}")
            .ToList();
        foreach (string item in items)
            foreach (string word in Forbidden)
                Assert.DoesNotContain(word, item, $"{EngineProject}: {item}");
        Assert.IsFalse(project.Descendants().Any(e => e.Name.LocalName == "ProjectReference"), "the engine references no other project");

        // Nothing inherited from the repository-wide MSBuild files either.
        foreach (string shared in new[] { "Directory.Build.props", "Directory.Build.targets" }.Select(f => Path.Combine(Root, f)).Where(File.Exists))
        {
            var doc = XDocument.Load(shared);
            Assert.IsFalse(doc.Descendants().Any(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "PublicizeAssembly"),
                $"{shared} adds references to every project, the engine included");
            Assert.IsFalse(doc.Descendants().Any(e => e.Name.LocalName == "Import" && ((string?)e.Attribute("Project") ?? "").Contains("Publicize")), shared);
        }

        // What restore resolved for the engine (present once it has been built).
        string assets = Path.Combine(Path.GetDirectoryName(EngineProject)!, "obj", "project.assets.json");
        if (File.Exists(assets))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(assets));
            var libraries = json.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
            Assert.IsNotEmpty(libraries, assets);
            foreach (string library in libraries)
                foreach (string word in new[] { "Microsoft.ML", "Mono.Cecil" })
                    Assert.IsFalse(library.StartsWith(word, StringComparison.OrdinalIgnoreCase), $"the engine restores {library}");
        }
    }

    [TestMethod]
    public void EngineAssemblyReferencesNoMlNetAndSkipsNoAccessChecks()
    {
        var engine = typeof(NetworkTrainer).Assembly;
        Assert.AreEqual("BnMlNet.Engine", engine.GetName().Name);
        foreach (var reference in engine.GetReferencedAssemblies())
        {
            Assert.IsFalse(reference.Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal), $"the engine references {reference.Name}");
            Assert.AreNotEqual("BnMlNet", reference.Name, "the engine references the adapter");
        }
        Assert.IsFalse(engine.GetCustomAttributesData().Any(a => a.AttributeType.Name == "IgnoresAccessChecksToAttribute"),
            "the engine skips access checks into another assembly");
        Assert.IsNull(engine.GetType("System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute"));
    }

    [TestMethod]
    public void EngineInternalsAreVisibleToTestsAndBenchmarksOnly()
    {
        var friends = typeof(NetworkTrainer).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "BnMlNet.Benchmarks", "BnMlNet.Tests" }, friends);
    }

    [TestMethod]
    public void OnlyTheAdapterPublicizesMlNet()
    {
        var publicizing = Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !IsBuildOutput(p))
            .Where(p => File.ReadAllText(p) is var text && (text.Contains("PublicizeAssembly") || text.Contains("Publicize.targets")))
            .Select(Path.GetFullPath).ToArray();
        CollectionAssert.AreEqual(new[] { Path.GetFullPath(AdapterProject) }, publicizing);
        Assert.AreEqual("BnMlNet", (string?)XDocument.Load(AdapterProject).Descendants().Single(e => e.Name.LocalName == "PackageId"));
        var adapter = typeof(BatchNormMlpModelParameters).Assembly;
        Assert.IsTrue(adapter.GetCustomAttributesData().Any(a => a.AttributeType.Name == "IgnoresAccessChecksToAttribute"));
    }

    [TestMethod]
    public void NamespacesFollowFolders()
    {
        int files = 0;
        foreach (string project in new[] { EngineProject, AdapterProject })
        {
            string dir = Path.GetDirectoryName(project)!;
            foreach (string file in SourceFiles(dir))
            {
                files++;
                string relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
                string folder = Path.GetDirectoryName(Path.GetRelativePath(dir, file))!.Replace('\\', '/');
                string expected = folder.Length == 0 ? "BnMlNet" : "BnMlNet." + folder.Replace('/', '.');
                if (NamespaceExceptions.TryGetValue(relative, out var exception)) expected = exception;
                var declared = NamespaceDeclaration().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).Distinct().ToArray();
                CollectionAssert.AreEqual(new[] { expected }, declared, relative);
            }
        }
        Assert.IsGreaterThan(80, files);
    }

    [TestMethod]
    public void NoSourceFileUnderExtensionsIsOver300Lines()
    {
        var tooLong = SourceFiles(Path.Combine(Root, "src", "Extensions"))
            .Select(f => (File: Path.GetRelativePath(Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File}: {f.Lines} lines").ToArray();
        Assert.IsEmpty(tooLong, string.Join("; ", tooLong));
    }

    [TestMethod]
    public void TheUserApiIsInNamespaceBnMlNet()
    {
        Type[] user =
        [
            typeof(BatchNormMlpBinaryTrainer), typeof(BatchNormMlpBinaryTrainer.Options), typeof(BatchNormMlpMulticlassTrainer),
            typeof(BatchNormMlpMulticlassTrainer.Options), typeof(BatchNormMlpRegressionTrainer), typeof(BatchNormMlpRegressionTrainer.Options),
            typeof(BatchNormMlpOptionsBase), typeof(BatchNormMlpModelParameters), typeof(DenseLayerParameters), typeof(BatchNormParameters),
            typeof(Activation), typeof(BatchNormPlacement), typeof(OptimizerKind), typeof(LearningRateSchedule), typeof(RunningStatisticsMode),
            typeof(BatchNormMlpOnnxExport), typeof(BatchNormMlpTrainerBase<,>),
            typeof(MissingValueHandling), typeof(RegressionLoss), typeof(NumericScaling), typeof(NonFiniteScoring), typeof(LearningRateBatchScaling),
            typeof(BatchNormHiddenLayers),
        ];
        foreach (var t in user) Assert.AreEqual("BnMlNet", t.Namespace, t.FullName);
        Assert.AreEqual("Microsoft.ML", typeof(Microsoft.ML.BatchNormMlpCatalog).Namespace);
        // Every public type of the adapter is one of these (the internals stay internal).
        var exported = typeof(BatchNormMlpModelParameters).Assembly.GetExportedTypes().ToHashSet();
        exported.ExceptWith(user);
        exported.Remove(typeof(Microsoft.ML.BatchNormMlpCatalog));
        Assert.IsEmpty(exported, string.Join(", ", exported.Select(t => t.FullName)));
    }

    [TestMethod]
    public void TheEnginesPublicSurfaceIsTheDocumentedOne()
    {
        // The engine's public types: what the adapter, the experiments and the benchmarks may use. Adding one is a
        // decision: it goes here and into docs/engine-api.md.
        string[] documented =
        [
            "BnMlNet.Activation", "BnMlNet.BatchNormPlacement", "BnMlNet.LearningRateSchedule", "BnMlNet.OptimizerKind",
            "BnMlNet.RunningStatisticsMode", "BnMlNet.BatchNormParameters", "BnMlNet.DenseLayerParameters",
            "BnMlNet.Engine.NetworkSpec", "BnMlNet.Engine.LossKind", "BnMlNet.Engine.TrainingSettings",
            "BnMlNet.Engine.SettingRules", "BnMlNet.Engine.ValueRange",
            "BnMlNet.Engine.IMiniBatchSource", "BnMlNet.Engine.MiniBatch", "BnMlNet.Engine.DenseDataset",
            "BnMlNet.Engine.NetworkTrainer", "BnMlNet.Engine.TrainingResult", "BnMlNet.Engine.EpochReport",
            "BnMlNet.Engine.TrainingDivergedException", "BnMlNet.Engine.TrainingSession",
            "BnMlNet.Engine.InferenceNetwork", "BnMlNet.Engine.InferenceScratch", "BnMlNet.Engine.FoldedLayer",
            "BnMlNet.Engine.HeadFunctions", "BnMlNet.Engine.Research.SessionProbes",
            // the tabular recipe (issue 11): label standardization and the preprocessing stage
            "BnMlNet.NumericScaling", "BnMlNet.Engine.LabelScaling", "BnMlNet.Engine.ConstantLabelException",
            "BnMlNet.Engine.InvalidLabelException", "BnMlNet.Engine.Preprocessing.FeaturePreprocessor",
            "BnMlNet.Engine.Preprocessing.PreprocessingSettings", "BnMlNet.Engine.Preprocessing.PreprocessorFitter",
            // quantile scaling (issue 11, item 2): the fitted map and Φ⁻¹
            "BnMlNet.Engine.Preprocessing.QuantileMap", "BnMlNet.Engine.Preprocessing.NormalQuantile",
            // ensembles (issue 11, piece 10): how a wide network's members combine
            "BnMlNet.Engine.EnsembleCombination",
            // numerical embeddings (issue 11, piece 4)
            "BnMlNet.NumericEmbedding", "BnMlNet.Engine.NumericEmbeddingSettings", "BnMlNet.Engine.PeriodicEmbeddingParameters",
            "BnMlNet.Engine.Preprocessing.EmbeddedSlotSelector",
            // categorical embeddings (issue 11, piece 5)
            "BnMlNet.CategoricalEmbedding", "BnMlNet.Engine.CategoricalEmbeddingSettings", "BnMlNet.Engine.CategoricalBlock",
        ];
        var exported = typeof(NetworkTrainer).Assembly.GetExportedTypes().Select(t => t.FullName!).Order().ToArray();
        CollectionAssert.AreEqual(documented.Order().ToArray(), exported, string.Join(", ", exported));
        string doc = File.ReadAllText(Path.Combine(Root, "docs", "engine-api.md"));
        foreach (string type in documented)
            Assert.IsTrue(Regex.IsMatch(doc, $@"\b{type.Split('.')[^1]}\b"), $"docs/engine-api.md documents {type}");
    }

    private static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f));

    private static bool IsBuildOutput(string path)
    {
        var parts = path.Replace('\\', '/').Split('/');
        return parts.Contains("bin") || parts.Contains("obj");
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
