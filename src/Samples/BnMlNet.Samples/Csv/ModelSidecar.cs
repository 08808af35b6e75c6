using System.Text.Json;
using System.Text.Json.Serialization;
using BnMlNet.Samples.Cli;

namespace BnMlNet.Samples.Csv;

/// <summary>A feature column the model was trained on.</summary>
/// <param name="Name">Column name in the CSV header.</param>
/// <param name="Kind">Numeric (float) or text (one-hot encoded in the model).</param>
public sealed record SidecarColumn(string Name, CsvColumnKind Kind);

/// <summary>
/// The small JSON file written next to a model trained by <c>train</c> (<c>model.zip.json</c>): the task, the label
/// column, the feature columns by name and kind, and for multiclass the class names in key order. The model zip holds
/// the featurization and the network; this sidecar is what lets <c>evaluate</c> and <c>predict</c> read a raw CSV.
/// </summary>
public sealed record ModelSidecar
{
    /// <summary>Format tag, checked on read.</summary>
    public const string CurrentFormat = "bnmlnet-samples-model/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The format tag.</summary>
    public string Format { get; init; } = CurrentFormat;
    /// <summary>The task.</summary>
    public MlTask Task { get; init; }
    /// <summary>The label column name.</summary>
    public string Label { get; init; } = "";
    /// <summary>The feature columns.</summary>
    public IReadOnlyList<SidecarColumn> Features { get; init; } = [];
    /// <summary>Columns of the training CSV left out of the features (identifiers, <c>--ignore</c>); absent in older sidecars.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
    /// <summary>Text features encoded by hashing rather than a one-hot (many levels); absent in older sidecars.</summary>
    public IReadOnlyList<string> Hashed { get; init; } = [];
    /// <summary>Multiclass: the class values in key order (empty otherwise).</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];
    /// <summary>Training rows (validation part included).</summary>
    public int TrainingRows { get; init; }
    /// <summary>Epochs trained.</summary>
    public int Epochs { get; init; }
    /// <summary>Hidden layer widths.</summary>
    public IReadOnlyList<int> HiddenLayerSizes { get; init; } = [];
    /// <summary>The CSV the model was trained on.</summary>
    public string TrainedOn { get; init; } = "";

    /// <summary>The sidecar path of a model: the model path plus <c>.json</c>.</summary>
    public static string PathFor(string modelPath) => modelPath + ".json";

    /// <summary>The sidecar as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the sidecar of <paramref name="modelPath"/>.</summary>
    /// <exception cref="UserInputException">It is missing or not a sidecar of this app.</exception>
    public static ModelSidecar Load(string modelPath)
    {
        string path = PathFor(modelPath);
        if (!File.Exists(path))
            throw new UserInputException($"{path} not found: evaluate and predict need the sidecar that train writes next to the model.");
        ModelSidecar? sidecar;
        try
        {
            sidecar = JsonSerializer.Deserialize<ModelSidecar>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path} is not a valid model sidecar: {e.Message}");
        }
        if (sidecar is null || sidecar.Format != CurrentFormat)
            throw new UserInputException($"{path} is not a model sidecar of this app (format '{sidecar?.Format}').");
        return sidecar;
    }
}
