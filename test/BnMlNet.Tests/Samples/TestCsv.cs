using System.Globalization;
using System.Text;

namespace BnMlNet.Tests.Samples;

/// <summary>Small synthetic CSV files with a numeric and a text feature, for the train/evaluate/predict tests.</summary>
internal static class TestCsv
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>
    /// Writes <paramref name="rows"/> rows: x1, x2 (numbers), color (text), and the labels
    /// <c>vote</c> (0/1), <c>kind</c> (text class) and <c>amount</c> (number), all depending on x1 and color.
    /// </summary>
    public static string Write(string path, int rows, int seed, bool withLabels = true, bool shuffleColumns = false)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        sb.AppendLine(shuffleColumns ? "color,x2,x1" : withLabels ? "x1,x2,color,vote,kind,amount" : "x1,x2,color");
        for (int i = 0; i < rows; i++)
        {
            double x1 = random.NextDouble() * 4 - 2, x2 = random.NextDouble();
            string color = Colors[random.Next(Colors.Length)];
            double colorEffect = color == "red" ? 1.5 : color == "green" ? -1.5 : 0;
            int vote = x1 + colorEffect > 0 ? 1 : 0;
            string kind = x1 + colorEffect > 1 ? "high" : x1 + colorEffect < -1 ? "low" : "mid";
            double amount = 3 * x1 + 2 * colorEffect + 0.1 * x2;
            string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
            sb.AppendLine(shuffleColumns ? $"{color},{F(x2)},{F(x1)}"
                : withLabels ? $"{F(x1)},{F(x2)},{color},{vote},{kind},{F(amount)}"
                : $"{F(x1)},{F(x2)},{color}");
        }
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
