using System.Globalization;
using Microsoft.ML;

namespace BnMlNet.Samples.Datasets;

/// <summary>One row of the Adult (census income) dataset.</summary>
public sealed class AdultRow
{
    /// <summary>Age in years.</summary>
    public float Age { get; set; }
    /// <summary>Work class (text).</summary>
    public string WorkClass { get; set; } = "";
    /// <summary>Census sampling weight.</summary>
    public float Fnlwgt { get; set; }
    /// <summary>Education (text).</summary>
    public string Education { get; set; } = "";
    /// <summary>Education as a number.</summary>
    public float EducationNum { get; set; }
    /// <summary>Marital status (text).</summary>
    public string MaritalStatus { get; set; } = "";
    /// <summary>Occupation (text).</summary>
    public string Occupation { get; set; } = "";
    /// <summary>Relationship (text).</summary>
    public string Relationship { get; set; } = "";
    /// <summary>Ethnicity (text).</summary>
    public string Ethnicity { get; set; } = "";
    /// <summary>Sex (text).</summary>
    public string Sex { get; set; } = "";
    /// <summary>Capital gain.</summary>
    public float CapitalGain { get; set; }
    /// <summary>Capital loss.</summary>
    public float CapitalLoss { get; set; }
    /// <summary>Hours worked per week.</summary>
    public float HoursPerWeek { get; set; }
    /// <summary>Native country (text).</summary>
    public string NativeCountry { get; set; } = "";
    /// <summary>True when income is over 50K (source column <c>label(IsOver50K)</c>).</summary>
    public bool Label { get; set; }
}

/// <summary>
/// Loader for the shared Adult dataset (<c>../shared/datasets/adult.txt</c>): comma-and-space separated,
/// a header row, label column <c>label(IsOver50K)</c> in 0/1. Binary classification, 32,561 rows.
/// Missing categorical values are the text <c>?</c> and stay a category of their own.
/// </summary>
public static class Adult
{
    /// <summary>File name in the shared datasets folder.</summary>
    public const string FileName = "adult.txt";

    /// <summary>Numeric (float) feature columns.</summary>
    public static readonly IReadOnlyList<string> NumericColumns =
        ["Age", "Fnlwgt", "EducationNum", "CapitalGain", "CapitalLoss", "HoursPerWeek"];

    /// <summary>Text feature columns, one-hot encoded by <see cref="Featurize"/>.</summary>
    public static readonly IReadOnlyList<string> CategoricalColumns =
        ["WorkClass", "Education", "MaritalStatus", "Occupation", "Relationship", "Ethnicity", "Sex", "NativeCountry"];

    /// <summary>Path of the shared file when present, else <c>null</c>.</summary>
    public static string? FindDefaultPath() => RepositoryPaths.SharedDatasetFile(FileName);

    /// <summary>Human-readable description of where the file is expected, for skip/failure messages.</summary>
    public static string Describe() => $"shared dataset {FileName} ({RepositoryPaths.DescribeSharedDatasetFile(FileName)})";

    /// <summary>
    /// Reads all rows from <paramref name="path"/> (default: the shared file). The file has no quoting, so each
    /// line is split on commas and each value trimmed; blank lines are skipped.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">A line does not have 15 fields or a value does not parse.</exception>
    public static IReadOnlyList<AdultRow> ReadRows(string? path = null)
    {
        path = DatasetRequirement.Require(path ?? FindDefaultPath(), Describe());
        var rows = new List<AdultRow>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || string.IsNullOrWhiteSpace(line)) continue; // header
            var f = line.Split(',', StringSplitOptions.TrimEntries);
            if (f.Length != 15)
                throw new InvalidDataException($"{path}:{lineNumber}: {f.Length} fields, expected 15.");
            float F(int i) => float.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new InvalidDataException($"{path}:{lineNumber}: field {i + 1} '{f[i]}' is not a number.");
            rows.Add(new AdultRow
            {
                Age = F(0), WorkClass = f[1], Fnlwgt = F(2), Education = f[3], EducationNum = F(4),
                MaritalStatus = f[5], Occupation = f[6], Relationship = f[7], Ethnicity = f[8], Sex = f[9],
                CapitalGain = F(10), CapitalLoss = F(11), HoursPerWeek = F(12), NativeCountry = f[13],
                Label = f[14] switch
                {
                    "1" => true,
                    "0" => false,
                    var v => throw new InvalidDataException($"{path}:{lineNumber}: label '{v}' is not 0/1."),
                },
            });
        }
        return rows;
    }

    /// <summary>
    /// Loads the dataset as an <see cref="IDataView"/>: <c>Label</c> (Boolean), the float columns of
    /// <see cref="NumericColumns"/> and the text columns of <see cref="CategoricalColumns"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    public static IDataView Load(MLContext mlContext, string? path = null) =>
        mlContext.Data.LoadFromEnumerable(ReadRows(path));

    /// <summary>One-hot encodes the text columns and concatenates everything into <c>Features</c>.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext mlContext, bool normalize = false) =>
        TabularFeaturization.Build(mlContext, NumericColumns, CategoricalColumns, normalize);
}
