using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Datasets;

/// <summary>Which Fashion-MNIST split to read.</summary>
public enum FashionMnistSplit
{
    /// <summary>The training images (<c>train-*</c>).</summary>
    Train,
    /// <summary>The test images (<c>t10k-*</c>).</summary>
    Test,
}

/// <summary>Which copy of Fashion-MNIST to read.</summary>
public enum FashionMnistSource
{
    /// <summary>The stratified subset shipped in <c>data/fashion-mnist</c> (6,000 train + 1,000 test images).</summary>
    Subset,
    /// <summary>The full set of Debian's <c>dataset-fashion-mnist</c> (60,000 + 10,000 images).</summary>
    Full,
    /// <summary>The full Debian set when installed, else the shipped subset.</summary>
    FullIfAvailable,
}

/// <summary>One Fashion-MNIST image as an ML.NET row.</summary>
public sealed class FashionMnistImage
{
    /// <summary>The 28×28 pixels, row-major, scaled to [0, 1] (byte / 255).</summary>
    [VectorType(FashionMnist.PixelCount)]
    public float[] Features { get; set; } = [];

    /// <summary>
    /// The class as an ML.NET key (<c>Key&lt;UInt32, 0-9&gt;</c>). Set it to the 0-based class index:
    /// <c>LoadFromEnumerable</c> treats a <c>[KeyType]</c> property as 0-based and stores index + 1 as the key
    /// (key 0 means missing). Multiclass trainers take it as it is; no <c>MapValueToKey</c> needed.
    /// </summary>
    [KeyType(FashionMnist.ClassCount)]
    public uint Label { get; set; }

    /// <summary>The class as the raw digit of the IDX file, 0–9 (see <see cref="FashionMnist.ClassNames"/>).</summary>
    public uint ClassIndex { get; set; }
}

/// <summary>A decoded IDX array (unsigned-byte type only): its dimensions and row-major bytes.</summary>
/// <param name="Dimensions">Sizes of each dimension, outermost first (e.g. [n, 28, 28] for images).</param>
/// <param name="Data">The payload, row-major.</param>
public sealed record IdxArray(int[] Dimensions, byte[] Data);

/// <summary>
/// Reads Fashion-MNIST (Zalando, MIT licence) from IDX files, gzip-compressed or raw, and exposes it to ML.NET.
/// The returned <see cref="IDataView"/> has <c>Features</c> (<c>Vector&lt;Single, 784&gt;</c>, pixels / 255),
/// <c>Label</c> (<c>Key&lt;UInt32, 0-9&gt;</c>, with the class names as key values, so a multiclass trainer's
/// <c>PredictedLabel</c> maps back to names with <c>MapKeyToValue</c>) and <c>ClassIndex</c> (<c>UInt32</c>, 0–9).
/// </summary>
public static class FashionMnist
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 28;
    /// <summary>Image height in pixels.</summary>
    public const int Height = 28;
    /// <summary>Pixels per image (the length of <c>Features</c>).</summary>
    public const int PixelCount = Width * Height;
    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;
    /// <summary>Folder where Debian's <c>dataset-fashion-mnist</c> installs the full set.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";
    /// <summary>Folder name of the shipped subset under <c>data/</c>.</summary>
    public const string SubsetDirectoryName = "fashion-mnist";
    /// <summary>Training images in the shipped subset (600 per class).</summary>
    public const int SubsetTrainCount = 6000;
    /// <summary>Test images in the shipped subset (100 per class).</summary>
    public const int SubsetTestCount = 1000;

    /// <summary>Class names, indexed by <see cref="FashionMnistImage.ClassIndex"/>.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>File name of a split's images, e.g. <c>train-images-idx3-ubyte.gz</c>.</summary>
    public static string ImagesFileName(FashionMnistSplit split) => $"{Prefix(split)}-images-idx3-ubyte.gz";

    /// <summary>File name of a split's labels, e.g. <c>train-labels-idx1-ubyte.gz</c>.</summary>
    public static string LabelsFileName(FashionMnistSplit split) => $"{Prefix(split)}-labels-idx1-ubyte.gz";

    /// <summary>Names a folder holding the full set's four IDX files, instead of <see cref="DebianDirectory"/>.</summary>
    public const string FullDirEnvVar = "BNMLNET_FASHION_MNIST_DIR";

    /// <summary>Where the full set is looked for: <see cref="FullDirEnvVar"/> when set, else <see cref="DebianDirectory"/>.</summary>
    public static string FullDirectory =>
        Environment.GetEnvironmentVariable(FullDirEnvVar) is { Length: > 0 } dir ? dir : DebianDirectory;

    /// <summary>
    /// The folder holding the four IDX files of <paramref name="source"/>, or <c>null</c> when not present.
    /// </summary>
    public static string? FindDirectory(FashionMnistSource source = FashionMnistSource.Subset)
    {
        string full = FullDirectory;
        string? subset = RepositoryPaths.DataDirectory is { } data ? Path.Combine(data, SubsetDirectoryName) : null;
        return source switch
        {
            FashionMnistSource.Subset => HasFiles(subset) ? subset : null,
            FashionMnistSource.Full => HasFiles(full) ? full : null,
            FashionMnistSource.FullIfAvailable => HasFiles(full) ? full : HasFiles(subset) ? subset : null,
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };
    }

    /// <summary>Human-readable description of where <paramref name="source"/> is expected, for skip/failure messages.</summary>
    public static string Describe(FashionMnistSource source) => source switch
    {
        FashionMnistSource.Full => $"Fashion-MNIST full set ({FullDirectory}; apt-get install dataset-fashion-mnist, or set {FullDirEnvVar})",
        _ => $"Fashion-MNIST subset (data/{SubsetDirectoryName})",
    };

    /// <summary>Reads an IDX file (unsigned-byte type), gzip-compressed or raw (detected from its first bytes).</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static IdxArray ReadIdx(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadIdx(stream);
    }

    /// <summary>Reads an IDX array (unsigned-byte type) from a stream, gzip-compressed or raw.</summary>
    /// <exception cref="InvalidDataException">The stream is not a well-formed unsigned-byte IDX array.</exception>
    public static IdxArray ReadIdx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var raw = new MemoryStream();
        stream.CopyTo(raw);
        byte[] bytes = raw.ToArray();
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            var unzipped = new MemoryStream();
            gz.CopyTo(unzipped);
            bytes = unzipped.ToArray();
        }
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException("Not an IDX file: the magic number must start with two zero bytes.");
        if (bytes[2] != 0x08)
            throw new InvalidDataException($"Unsupported IDX element type 0x{bytes[2]:x2}; only unsigned byte (0x08) is supported.");
        int rank = bytes[3];
        if (rank < 1 || bytes.Length < 4 + 4 * rank)
            throw new InvalidDataException($"IDX header is truncated or has rank {rank}.");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * i, 4));
            if (d > int.MaxValue) throw new InvalidDataException($"IDX dimension {i} is too large ({d}).");
            dims[i] = (int)d;
            count *= d;
        }
        int offset = 4 + 4 * rank;
        if (bytes.Length - offset != count)
            throw new InvalidDataException($"IDX payload has {bytes.Length - offset} bytes; the header says {count}.");
        return new IdxArray(dims, bytes.AsSpan(offset).ToArray());
    }

    /// <summary>
    /// Reads images and labels from a pair of IDX files into rows. When <paramref name="perClass"/> is set, keeps
    /// that many images of each class (see <see cref="StratifiedIndices"/>); else, when <paramref name="take"/> is
    /// set, keeps the first <paramref name="take"/> images. Rows keep the files' order.
    /// </summary>
    /// <exception cref="InvalidDataException">The files are malformed or disagree.</exception>
    public static IReadOnlyList<FashionMnistImage> ReadImages(
        string imagesPath, string labelsPath, int? take = null, int? perClass = null, int? seed = null)
    {
        var images = ReadIdx(imagesPath);
        var labels = ReadIdx(labelsPath);
        if (images.Dimensions.Length != 3 || images.Dimensions[1] != Height || images.Dimensions[2] != Width)
            throw new InvalidDataException($"{imagesPath}: expected n×{Height}×{Width} images, got {string.Join("×", images.Dimensions)}.");
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images.Dimensions[0])
            throw new InvalidDataException($"{labelsPath}: {string.Join("×", labels.Dimensions)} labels for {images.Dimensions[0]} images.");
        foreach (byte l in labels.Data)
            if (l >= ClassCount) throw new InvalidDataException($"{labelsPath}: label {l} is out of range 0-{ClassCount - 1}.");

        IEnumerable<int> indices = perClass is int k
            ? StratifiedIndices(labels.Data, k, seed)
            : Enumerable.Range(0, take is int t ? Math.Min(Math.Max(t, 0), labels.Data.Length) : labels.Data.Length);
        var rows = new List<FashionMnistImage>();
        foreach (int i in indices)
        {
            var features = new float[PixelCount];
            var pixels = images.Data.AsSpan(i * PixelCount, PixelCount);
            for (int p = 0; p < PixelCount; p++) features[p] = pixels[p] / 255f;
            rows.Add(new FashionMnistImage { Features = features, ClassIndex = labels.Data[i], Label = labels.Data[i] });
        }
        return rows;
    }

    /// <summary>
    /// Deterministic stratified selection: for each class, the first <paramref name="perClass"/> indices in file
    /// order (when <paramref name="seed"/> is null) or <paramref name="perClass"/> indices drawn with
    /// <c>new Random(seed)</c>. Returned in ascending order. A class with fewer images contributes all it has.
    /// </summary>
    public static IReadOnlyList<int> StratifiedIndices(IReadOnlyList<byte> labels, int perClass, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(perClass);
        var byClass = Enumerable.Range(0, ClassCount).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < ClassCount) byClass[labels[i]].Add(i);
        var chosen = new List<int>();
        var rng = seed is int s ? new Random(s) : null;
        foreach (var members in byClass)
        {
            if (rng is not null)
            {
                var shuffled = members.ToArray();
                rng.Shuffle(shuffled);
                chosen.AddRange(shuffled.Take(perClass));
            }
            else
            {
                chosen.AddRange(members.Take(perClass));
            }
        }
        chosen.Sort();
        return chosen;
    }

    /// <summary>
    /// Reads one split of <paramref name="source"/> (or of the IDX files in <paramref name="directory"/>).
    /// </summary>
    /// <param name="split">Train or test.</param>
    /// <param name="source">Which copy to read when <paramref name="directory"/> is null.</param>
    /// <param name="directory">A folder with the standard file names, overriding <paramref name="source"/>.</param>
    /// <param name="take">Keep only the first N images.</param>
    /// <param name="perClass">Keep N images per class (overrides <paramref name="take"/>).</param>
    /// <param name="seed">With <paramref name="perClass"/>: draw at random with this seed instead of taking the first N.</param>
    /// <exception cref="FileNotFoundException">The files are missing.</exception>
    public static IReadOnlyList<FashionMnistImage> ReadSplit(
        FashionMnistSplit split, FashionMnistSource source = FashionMnistSource.Subset, string? directory = null,
        int? take = null, int? perClass = null, int? seed = null)
    {
        directory ??= FindDirectory(source);
        string what = Describe(source);
        string images = DatasetRequirement.Require(directory is null ? null : Path.Combine(directory, ImagesFileName(split)), what);
        string labels = DatasetRequirement.Require(directory is null ? null : Path.Combine(directory, LabelsFileName(split)), what);
        return ReadImages(images, labels, take, perClass, seed);
    }

    /// <summary>
    /// Loads one split as an <see cref="IDataView"/> with <c>Features</c>, <c>Label</c> and <c>ClassIndex</c>
    /// (see <see cref="FashionMnist"/>). Arguments as for <see cref="ReadSplit"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The files are missing.</exception>
    public static IDataView Load(
        MLContext mlContext, FashionMnistSplit split, FashionMnistSource source = FashionMnistSource.Subset,
        string? directory = null, int? take = null, int? perClass = null, int? seed = null) =>
        ToDataView(mlContext, ReadSplit(split, source, directory, take, perClass, seed));

    /// <summary>
    /// Wraps rows as an <see cref="IDataView"/>, attaching the class names as the key values of <c>Label</c>.
    /// </summary>
    public static IDataView ToDataView(MLContext mlContext, IEnumerable<FashionMnistImage> rows)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var schema = SchemaDefinition.Create(typeof(FashionMnistImage));
        var names = ClassNames.Select(n => n.AsMemory()).ToArray();
        schema[nameof(FashionMnistImage.Label)].AddAnnotation(
            "KeyValues", // AnnotationUtils.Kinds.KeyValues (internal in ML.NET)
            new VBuffer<ReadOnlyMemory<char>>(names.Length, names),
            new VectorDataViewType(TextDataViewType.Instance, names.Length));
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    private static string Prefix(FashionMnistSplit split) => split switch
    {
        FashionMnistSplit.Train => "train",
        FashionMnistSplit.Test => "t10k",
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    private static bool HasFiles(string? dir) =>
        dir is not null && Enum.GetValues<FashionMnistSplit>().All(s =>
            File.Exists(Path.Combine(dir, ImagesFileName(s))) && File.Exists(Path.Combine(dir, LabelsFileName(s))));
}
