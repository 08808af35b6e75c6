using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Engine.Kernels;

/// <summary>
/// The packed A micro-panels (vector copies and transposes for full panels of height 12 or 8, the scalar copy
/// otherwise) hold exactly the layout the micro-kernels read: row r of step p at p·mr + r, zeros past the last row.
/// </summary>
[TestClass]
public sealed unsafe class GemmPackingTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void PackedAIsTheDocumentedLayoutForAnyShape(bool transposeA)
    {
        var random = new Random(transposeA ? 31 : 30);
        foreach (int mr in new[] { 12, 8, 6 })
            for (int trial = 0; trial < 40; trial++)
            {
                int m = random.Next(1, 70), k = random.Next(1, 50);
                int i0 = random.Next(0, m), mc = random.Next(1, m - i0 + 1);
                int p0 = random.Next(0, k), kc = random.Next(1, k - p0 + 1);
                int lda = (transposeA ? m : k) + random.Next(0, 5);
                float[] a = new float[(transposeA ? k : m) * lda];
                for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() * 2 - 1) * MathF.Pow(10, random.Next(-30, 30));
                int panels = (mc + mr - 1) / mr;
                float[] packed = new float[panels * mr * kc + 7];
                Array.Fill(packed, float.NaN);
                fixed (float* pa = a, pd = packed) GemmPacking.PackA(transposeA, pa, lda, i0, mc, p0, kc, mr, pd);
                for (int panel = 0; panel < panels; panel++)
                    for (int p = 0; p < kc; p++)
                        for (int r = 0; r < mr; r++)
                        {
                            int row = panel * mr + r;
                            float expected = row >= mc ? 0f
                                : transposeA ? a[(p0 + p) * lda + i0 + row] : a[(i0 + row) * lda + p0 + p];
                            float got = packed[panel * mr * kc + p * mr + r];
                            Assert.AreEqual(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(got),
                                $"mr={mr} m={m} k={k} i0={i0} mc={mc} p0={p0} kc={kc} lda={lda}: panel {panel}, step {p}, row {r}");
                        }
                for (int i = panels * mr * kc; i < packed.Length; i++)
                    Assert.IsTrue(float.IsNaN(packed[i]), $"mr={mr}: wrote past the panels at {i}");
            }
    }
}
