using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Datasets;

/// <summary>One row of <c>data/randhie-mdvis.csv</c> (RAND Health Insurance Experiment subset).</summary>
public sealed class RandHieRow
{
    /// <summary>Number of outpatient visits to an MD (source column <c>mdvis</c>).</summary>
    [LoadColumn(0)] public float Label { get; set; }
    /// <summary>ln(coinsurance + 1).</summary>
    [LoadColumn(1)] public float LnCoins { get; set; }
    /// <summary>1 for an individual deductible plan.</summary>
    [LoadColumn(2)] public float Idp { get; set; }
    /// <summary>ln(max(1, annual participation incentive payment)).</summary>
    [LoadColumn(3)] public float Lpi { get; set; }
    /// <summary>0 when idp = 1, else ln(max(1, MDE / (0.01 coinsurance))).</summary>
    [LoadColumn(4)] public float Fmde { get; set; }
    /// <summary>1 when the person has a physical limitation.</summary>
    [LoadColumn(5)] public float Physlm { get; set; }
    /// <summary>Number of chronic diseases.</summary>
    [LoadColumn(6)] public float Disea { get; set; }
    /// <summary>1 when self-rated health is good.</summary>
    [LoadColumn(7)] public float Hlthg { get; set; }
    /// <summary>1 when self-rated health is fair.</summary>
    [LoadColumn(8)] public float Hlthf { get; set; }
    /// <summary>1 when self-rated health is poor.</summary>
    [LoadColumn(9)] public float Hlthp { get; set; }
}

/// <summary>
/// Loader for the shipped regression set <c>data/randhie-mdvis.csv</c>: 20,190 people of the RAND Health
/// Insurance Experiment (public domain, from Debian's python3-statsmodels); predict the number of outpatient
/// doctor visits (<c>Label</c>, float) from 9 numeric features. A noisy count target: expect a low R².
/// </summary>
public static class RandHie
{
    /// <summary>File name under <c>data/</c>.</summary>
    public const string FileName = "randhie-mdvis.csv";

    /// <summary>Number of rows in the shipped file.</summary>
    public const int RowCount = 20190;

    /// <summary>Numeric (float) feature columns.</summary>
    public static readonly IReadOnlyList<string> NumericColumns =
        ["LnCoins", "Idp", "Lpi", "Fmde", "Physlm", "Disea", "Hlthg", "Hlthf", "Hlthp"];

    /// <summary>Path of the shipped file when present, else <c>null</c>.</summary>
    public static string? FindDefaultPath() => RepositoryPaths.DataFile(FileName);

    /// <summary>Loads the dataset: <c>Label</c> (Single) and the float columns of <see cref="NumericColumns"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static IDataView Load(MLContext mlContext, string? path = null)
    {
        path = DatasetRequirement.Require(path ?? FindDefaultPath(), $"data/{FileName}");
        return mlContext.Data.LoadFromTextFile<RandHieRow>(path, separatorChar: ',', hasHeader: true);
    }

    /// <summary>Concatenates the features into <c>Features</c>.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext mlContext, bool normalize = false) =>
        TabularFeaturization.Build(mlContext, NumericColumns, [], normalize);
}
