using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Datasets;

/// <summary>One row of <c>data/anes96-vote.csv</c> (American National Election Survey 1996 subset).</summary>
public sealed class Anes96Row
{
    /// <summary>Census place population in 1000s.</summary>
    [LoadColumn(0)] public float Popul { get; set; }
    /// <summary>Times per week the respondent watches TV news.</summary>
    [LoadColumn(1)] public float TVnews { get; set; }
    /// <summary>Respondent's self-placement, 1 (extremely liberal) to 7 (extremely conservative).</summary>
    [LoadColumn(2)] public float SelfLR { get; set; }
    /// <summary>Respondent's placement of Clinton, 1–7.</summary>
    [LoadColumn(3)] public float ClinLR { get; set; }
    /// <summary>Respondent's placement of Dole, 1–7.</summary>
    [LoadColumn(4)] public float DoleLR { get; set; }
    /// <summary>Party identification, 0 (strong Democrat) to 6 (strong Republican).</summary>
    [LoadColumn(5)] public float PID { get; set; }
    /// <summary>Age in years.</summary>
    [LoadColumn(6)] public float Age { get; set; }
    /// <summary>Education level, 1–7.</summary>
    [LoadColumn(7)] public float Educ { get; set; }
    /// <summary>Household income bracket, 1–24.</summary>
    [LoadColumn(8)] public float Income { get; set; }
    /// <summary>Expected vote: true = Dole, false = Clinton (source column <c>vote</c>).</summary>
    [LoadColumn(9)] public bool Label { get; set; }
}

/// <summary>
/// Loader for the shipped binary-classification set <c>data/anes96-vote.csv</c>: 944 respondents of the
/// American National Election Studies 1996 (public domain, from Debian's python3-statsmodels); predict the
/// expected vote (Dole vs Clinton) from 9 numeric features. See <c>data/README.md</c>.
/// </summary>
public static class Anes96
{
    /// <summary>File name under <c>data/</c>.</summary>
    public const string FileName = "anes96-vote.csv";

    /// <summary>Number of rows in the shipped file.</summary>
    public const int RowCount = 944;

    /// <summary>Numeric (float) feature columns.</summary>
    public static readonly IReadOnlyList<string> NumericColumns =
        ["Popul", "TVnews", "SelfLR", "ClinLR", "DoleLR", "PID", "Age", "Educ", "Income"];

    /// <summary>Path of the shipped file when present, else <c>null</c>.</summary>
    public static string? FindDefaultPath() => RepositoryPaths.DataFile(FileName);

    /// <summary>Loads the dataset: <c>Label</c> (Boolean) and the float columns of <see cref="NumericColumns"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static IDataView Load(MLContext mlContext, string? path = null)
    {
        path = DatasetRequirement.Require(path ?? FindDefaultPath(), $"data/{FileName}");
        return mlContext.Data.LoadFromTextFile<Anes96Row>(path, separatorChar: ',', hasHeader: true);
    }

    /// <summary>Concatenates the features into <c>Features</c>.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext mlContext, bool normalize = false) =>
        TabularFeaturization.Build(mlContext, NumericColumns, [], normalize);
}
