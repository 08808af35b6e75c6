using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>
/// The service reads JSON numbers with System.Text.Json; <c>predict</c> reads CSV text with ML.NET's TextLoader.
/// Answers can be equal to the bit only if both turn the same text into the same float: checked here on many forms.
/// </summary>
[TestClass]
public sealed class NumberParsingTests
{
    [TestMethod]
    public void JsonAndTextLoaderReadTheSameFloats()
    {
        var random = new Random(11);
        var texts = new List<string> { "0", "-0", "1", "0.1", "1e-7", "3.4028235e38", "1.17549435e-38", "1.4e-45", "123456789", "0.30000001192092896" };
        for (int i = 0; i < 5000; i++)
        {
            double magnitude = Math.Pow(10, random.Next(-30, 30));
            double value = (random.NextDouble() * 2 - 1) * magnitude;
            texts.Add((i % 5) switch
            {
                0 => ((float)value).ToString("R", CultureInfo.InvariantCulture),
                1 => value.ToString("R", CultureInfo.InvariantCulture),
                2 => value.ToString("G17", CultureInfo.InvariantCulture),
                3 => value.ToString("F4", CultureInfo.InvariantCulture),
                _ => value.ToString("E9", CultureInfo.InvariantCulture),
            });
        }
        string csv = Path.Combine(ServingModels.Folder, $"numbers-{Guid.NewGuid():N}.csv");
        File.WriteAllText(csv, "x\n" + string.Join("\n", texts) + "\n");

        var ml = new MLContext(seed: 1);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = [new TextLoader.Column("x", DataKind.Single, 0)],
            Separators = [','],
            HasHeader = true,
            AllowQuoting = true,
            TrimWhitespace = true,
            MissingRealsAsNaNs = true,
        });
        var fromLoader = loader.Load(csv).GetColumn<float>("x").ToArray();

        Assert.HasCount(texts.Count, fromLoader);
        int differ = 0;
        var examples = new StringBuilder();
        for (int i = 0; i < texts.Count; i++)
        {
            using var json = JsonDocument.Parse(texts[i]);
            Assert.IsTrue(json.RootElement.TryGetSingle(out float fromJson), texts[i]);
            if (BitConverter.SingleToInt32Bits(fromJson) != BitConverter.SingleToInt32Bits(fromLoader[i]))
            {
                differ++;
                if (differ <= 5) examples.AppendLine($"{texts[i]}: JSON {fromJson:R}, TextLoader {fromLoader[i]:R}");
            }
        }
        Assert.AreEqual(0, differ, $"{differ} of {texts.Count} texts parse differently:\n{examples}");
    }
}
