using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Datasets;

/// <summary>One row of the Boston housing dataset.</summary>
public sealed class HousingRow
{
    /// <summary>Median home value in $1000s (source column <c>MedianHomeValue</c>).</summary>
    [LoadColumn(0)] public float Label { get; set; }
    /// <summary>Crimes per capita.</summary>
    [LoadColumn(1)] public float CrimesPerCapita { get; set; }
    /// <summary>Percent residential land.</summary>
    [LoadColumn(2)] public float PercentResidental { get; set; }
    /// <summary>Percent non-retail business.</summary>
    [LoadColumn(3)] public float PercentNonRetail { get; set; }
    /// <summary>1 when the tract bounds the Charles river.</summary>
    [LoadColumn(4)] public float CharlesRiver { get; set; }
    /// <summary>Nitric oxides concentration.</summary>
    [LoadColumn(5)] public float NitricOxides { get; set; }
    /// <summary>Rooms per dwelling.</summary>
    [LoadColumn(6)] public float RoomsPerDwelling { get; set; }
    /// <summary>Percent built before 1940.</summary>
    [LoadColumn(7)] public float PercentPre40s { get; set; }
    /// <summary>Distance to employment centres.</summary>
    [LoadColumn(8)] public float EmploymentDistance { get; set; }
    /// <summary>Highway accessibility index.</summary>
    [LoadColumn(9)] public float HighwayDistance { get; set; }
    /// <summary>Property tax rate.</summary>
    [LoadColumn(10)] public float TaxRate { get; set; }
    /// <summary>Pupil/teacher ratio.</summary>
    [LoadColumn(11)] public float TeacherRatio { get; set; }
    /// <summary>Black index.</summary>
    [LoadColumn(12)] public float BlackIndex { get; set; }
    /// <summary>Percent lower-status population.</summary>
    [LoadColumn(13)] public float PercentLowIncome { get; set; }
}

/// <summary>
/// Loader for the shared housing dataset (<c>../shared/datasets/housing.txt</c>): tab-separated with a header;
/// the target <c>MedianHomeValue</c> becomes <c>Label</c> (float). Regression, 506 rows, 13 float features.
/// </summary>
public static class Housing
{
    /// <summary>File name in the shared datasets folder.</summary>
    public const string FileName = "housing.txt";

    /// <summary>Numeric (float) feature columns.</summary>
    public static readonly IReadOnlyList<string> NumericColumns =
    [
        "CrimesPerCapita", "PercentResidental", "PercentNonRetail", "CharlesRiver", "NitricOxides",
        "RoomsPerDwelling", "PercentPre40s", "EmploymentDistance", "HighwayDistance", "TaxRate",
        "TeacherRatio", "BlackIndex", "PercentLowIncome",
    ];

    /// <summary>Path of the shared file when present, else <c>null</c>.</summary>
    public static string? FindDefaultPath() => RepositoryPaths.SharedDatasetFile(FileName);

    /// <summary>Human-readable description of where the file is expected, for skip/failure messages.</summary>
    public static string Describe() => $"shared dataset {FileName} ({RepositoryPaths.DescribeSharedDatasetFile(FileName)})";

    /// <summary>Loads the dataset: <c>Label</c> (Single) and the float columns of <see cref="NumericColumns"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static IDataView Load(MLContext mlContext, string? path = null)
    {
        path = DatasetRequirement.Require(path ?? FindDefaultPath(), Describe());
        return mlContext.Data.LoadFromTextFile<HousingRow>(path, separatorChar: '\t', hasHeader: true);
    }

    /// <summary>Concatenates the features into <c>Features</c>.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext mlContext, bool normalize = false) =>
        TabularFeaturization.Build(mlContext, NumericColumns, [], normalize);
}
