using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Datasets;

/// <summary>One row of the Wisconsin breast cancer dataset (all features are 1–10; BareNuclei may be NaN).</summary>
public sealed class BreastCancerRow
{
    /// <summary>True when malignant.</summary>
    [LoadColumn(0)] public bool Label { get; set; }
    /// <summary>Clump thickness.</summary>
    [LoadColumn(1)] public float ClumpThickness { get; set; }
    /// <summary>Uniformity of cell size.</summary>
    [LoadColumn(2)] public float UniformityOfCellSize { get; set; }
    /// <summary>Uniformity of cell shape.</summary>
    [LoadColumn(3)] public float UniformityOfCellShape { get; set; }
    /// <summary>Marginal adhesion.</summary>
    [LoadColumn(4)] public float MarginalAdhesion { get; set; }
    /// <summary>Single epithelial cell size.</summary>
    [LoadColumn(5)] public float SingleEpithelialCellSize { get; set; }
    /// <summary>Bare nuclei (<c>?</c> in the file, loaded as NaN, for 16 rows).</summary>
    [LoadColumn(6)] public float BareNuclei { get; set; }
    /// <summary>Bland chromatin.</summary>
    [LoadColumn(7)] public float BlandChromatin { get; set; }
    /// <summary>Normal nucleoli.</summary>
    [LoadColumn(8)] public float NormalNucleoli { get; set; }
    /// <summary>Mitoses.</summary>
    [LoadColumn(9)] public float Mitoses { get; set; }
}

/// <summary>
/// Loader for the shared breast cancer dataset (<c>../shared/datasets/breast-cancer.txt</c>):
/// <c>//</c> comment lines, then tab-separated rows with the 0/1 label (1 = malignant) first and nine
/// numeric features. Binary classification, 699 rows; missing values (<c>?</c>) load as NaN.
/// </summary>
public static class BreastCancer
{
    /// <summary>File name in the shared datasets folder.</summary>
    public const string FileName = "breast-cancer.txt";

    /// <summary>Numeric (float) feature columns.</summary>
    public static readonly IReadOnlyList<string> NumericColumns =
    [
        "ClumpThickness", "UniformityOfCellSize", "UniformityOfCellShape", "MarginalAdhesion",
        "SingleEpithelialCellSize", "BareNuclei", "BlandChromatin", "NormalNucleoli", "Mitoses",
    ];

    /// <summary>Path of the shared file when present, else <c>null</c>.</summary>
    public static string? FindDefaultPath() => RepositoryPaths.SharedDatasetFile(FileName);

    /// <summary>Human-readable description of where the file is expected, for skip/failure messages.</summary>
    public static string Describe() => $"shared dataset {FileName} ({RepositoryPaths.DescribeSharedDatasetFile(FileName)})";

    /// <summary>Loads the dataset: <c>Label</c> (Boolean) and the float columns of <see cref="NumericColumns"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static IDataView Load(MLContext mlContext, string? path = null)
    {
        path = DatasetRequirement.Require(path ?? FindDefaultPath(), Describe());
        return mlContext.Data.LoadFromTextFile<BreastCancerRow>(path, separatorChar: '\t', hasHeader: false);
    }

    /// <summary>Replaces NaN by the column mean, then concatenates the features into <c>Features</c>.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext mlContext, bool normalize = false) =>
        TabularFeaturization.Build(mlContext, NumericColumns, [], normalize, replaceMissing: true);
}
