namespace BnMlNet.MlNet.Persistence;

/// <summary>
/// The byte layout of our entry in the model zip (little-endian, written by <see cref="ModelPayloadWriter"/>):
/// <code>
/// int32  payload length L
/// byte[L] payload:
///     8 bytes magic "BNMLPNET"; int32 format version
///     int32 task; int32 input size; int32 output size; float32 leaky-ReLU slope
///     bool has input BN; [BN block]
///     int32 layer count; per layer:
///         int32 in; int32 out; int32 activation; int32 placement
///         float32[in·out] weights; bool has bias; [float32[out]]; bool has BN; [BN block]
///     int32 history count; per epoch: int32 epoch; float64 train loss, validation loss (NaN = none),
///         validation metric (NaN = none); string metric name; float64 seconds; float64 learning rate
///     version 2 and up: bool has preprocessing; [preprocessing block]; bool exponential score (Poisson's log link)
///     version 3 and up: int32 ensemble size k (≥ 2 in version 3, ≥ 1 in version 4; the layers are the wide network of
///         k members side by side, the combination follows from the task and the exponential score)
///     version 4 and up: int32 non-finite scoring policy (the NonFiniteScoring flags: 0 Impute, 1 ThrowOnNaN,
///         2 ThrowOnInfinity, 3 Throw; version 4 never writes 0, version 5 writes whatever the model has)
///     version 5 and up: bool has embedding; [embedding block] (the numerical embedding between the input BN and layer 0;
///         the input size above is then the embedding's, and layer 0 takes its m·d + pass-through outputs)
///     version 6: the version 5 layout, byte for byte, for an ensemble (k ≥ 2) with a numerical embedding (one embedding
///         shared by the members; layer 0 is their wide first layer). Version 5 then always has k = 1; the version
///         number alone makes a build that reads up to version 5 refuse it with the upgrade message.
///     version 7: the version 6 field list (k ≥ 1, the embedding block's flag may be false) for a model with
///         NumericScaling.Quantile: its preprocessing block ends with the quantile block.
/// byte[32] SHA-256 of the payload
/// BN block: int32 size; float32 ε; float32[size] γ, β, running mean, running variance
/// preprocessing block: int32 input size; bool smooth clip; float32[input] fill, minimum, maximum, center, inverse scale;
///     int32 indicator count; int32[count] indicator inputs (ascending); version 7: [quantile block]
/// quantile block: per input: int32 knot count c (≥ 1); float32[c] x (strictly ascending); float32[c] y
/// embedding block: int32 kind (1 = periodic); int32 input size; int32 k; int32 d; int32 m; int32[m] embedded slots
///     (ascending); float32 arrays c [m·k], W [m·2k·d], b [m·d]
/// float arrays are written as int32 count followed by the values.
/// A model without preprocessing and with an identity score is written as version 1, byte for byte as before
/// version 2 existed; a single network (k = 1) is written as version 1 or 2, byte for byte as before version 3; a
/// model with NonFiniteScoring = Impute (the default) is written as version 1, 2 or 3, byte for byte as before version 4;
/// a model without an embedding is written as version 1 to 4, byte for byte as before version 5; a single network with
/// an embedding is written as version 5, byte for byte as before version 6; a model without a quantile map is written
/// as version 1 to 6, byte for byte as before version 7.
/// </code>
/// The checksum is verified before anything is parsed; every count is checked against the bytes that remain
/// before anything is allocated.
/// </summary>
internal static class ModelPayloadFormat
{
    /// <summary>The 8-byte magic at the start of the payload.</summary>
    public static ReadOnlySpan<byte> Magic => "BNMLPNET"u8;

    /// <summary>The payload version this build writes. Versions above it are refused with a clear message.</summary>
    public const int CurrentVersion = 7;

    /// <summary>The version of an ensemble with a numerical embedding but no quantile map.</summary>
    public const int VersionWithoutQuantile = 6;

    /// <summary>The version of a payload with a numerical embedding and a single network (k = 1).</summary>
    public const int VersionWithoutSharedEmbedding = 5;

    /// <summary>The version of a payload with a throwing non-finite scoring policy but no numerical embedding.</summary>
    public const int VersionWithoutEmbedding = 4;

    /// <summary>The version of an ensemble whose scoring imputes non-finite features (the default policy).</summary>
    public const int VersionWithoutNonFiniteScoring = 3;

    /// <summary>The version of a payload with preprocessing or an exponential score but a single network.</summary>
    public const int VersionWithoutEnsemble = 2;

    /// <summary>The version of a payload without a preprocessing stage (the layout every earlier build reads).</summary>
    public const int VersionWithoutPreprocessing = 1;

    /// <summary>No layer may be wider than this (guards allocation from a damaged count).</summary>
    public const int MaxLayerWidth = 1 << 24;

    /// <summary>No model may have more layers than this.</summary>
    public const int MaxLayers = 4096;

    /// <summary>The largest payload accepted (1 GiB).</summary>
    public const int MaxPayloadBytes = 1 << 30;

    /// <summary>Bytes of the SHA-256 checksum that follows the payload.</summary>
    public const int ChecksumBytes = 32;
}
