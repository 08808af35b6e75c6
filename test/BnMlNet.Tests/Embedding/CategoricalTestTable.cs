using BnMlNet.Engine;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The synthetic binary table the categorical-embedding and embedding-batch-norm training tests share. Slots: 0 numeric,
/// [1, 13) a 12-level one-hot block (some rows all zero), [13, 15) a 2-level block, 15 and 16 numeric.
/// </summary>
internal static class CategoricalTestTable
{
    /// <summary>Levels of the large block.</summary>
    public const int Levels = 12;

    /// <summary>Input slots.</summary>
    public const int F = Levels + 2 + 3;

    /// <summary>The two one-hot blocks.</summary>
    public static readonly CategoricalBlock[] Blocks = [new(1, Levels), new(13, 2)];

    /// <summary>
    /// <paramref name="rows"/> rows from <paramref name="seed"/>. With <paramref name="nanColumn"/> slot 15 is NaN on every
    /// 13th row (no draw is taken for it there); <paramref name="slope16"/> is slot 16's weight in the label's rule.
    /// </summary>
    public static (DenseDataset Data, float[] X) Make(int rows, int seed, bool nanColumn, double slope16)
    {
        var random = new Random(seed);
        var x = new float[rows * F];
        var y = new float[rows];
        double[] effect = Enumerable.Range(0, Levels).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * F, F);
            row[0] = (float)(random.NextDouble() * 4 - 2);
            int level = random.Next(Levels + 1);   // Levels: an all-zero block
            if (level < Levels) row[1 + level] = 1f;
            row[13 + random.Next(2)] = 1f;
            row[15] = nanColumn && r % 13 == 0 ? float.NaN : (float)random.NextDouble();
            row[16] = (float)random.NextDouble() * 3;
            double signal = 0.8 * row[0] + (level < Levels ? effect[level] : 0) + 0.3 * row[13] + 0.2 * random.NextDouble() + slope16 * row[16];
            y[r] = signal > 0 ? 1 : 0;
        }
        return (new DenseDataset(x, y, null, F), x);
    }
}
