using System.Collections.Concurrent;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Jump-ahead of the xoshiro256 state transition by any number of steps. The transition (xors, a shift and a rotation
/// of the four state words) is linear over GF(2), so h steps are one 256×256 bit matrix Tʰ applied to the state: a
/// state advanced by a jump is exactly the state after h draws, which lets threads draw disjoint stretches of one
/// sequence (a dropout mask) and get the same values as one thread drawing them in order.
/// </summary>
/// <remarks>
/// Tʰ is built once per h from the powers T^(2^k) (repeated squaring) and cached; applying it costs 256 masked xors of
/// four words.
/// </remarks>
internal static class XoshiroJump
{
    private const int Bits = 256;

    /// <summary>Jump lengths kept (8 KiB each); a training run uses a few per layer shape.</summary>
    private const int MaxCached = 256;

    /// <summary>The state with only bit <paramref name="j"/> (of the 256, s0's bits first) set: column j of the identity.</summary>
    private static (ulong S0, ulong S1, ulong S2, ulong S3) UnitState(int j)
    {
        ulong bit = 1UL << (j % 64);
        return (j / 64) switch
        {
            0 => (bit, 0, 0, 0),
            1 => (0, bit, 0, 0),
            2 => (0, 0, bit, 0),
            _ => (0, 0, 0, bit),
        };
    }

    /// <summary>T^(2^k) for k = 0, 1, …, as 256 columns of four words (column j = the image of state bit j).</summary>
    private static readonly List<ulong[]> Powers = [];
    private static readonly object PowersLock = new();
    private static readonly ConcurrentDictionary<long, ulong[]> Cache = new();

    /// <summary>Advances (s0, s1, s2, s3) by <paramref name="steps"/> transitions (steps ≥ 0).</summary>
    public static void Advance(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3, long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (steps == 0) return;
        if (!Cache.TryGetValue(steps, out var m))
        {
            if (Cache.Count >= MaxCached) Cache.Clear();   // a bound for processes that train many shapes
            m = Cache.GetOrAdd(steps, Build);
        }
        Apply(m, ref s0, ref s1, ref s2, ref s3);
    }

    /// <summary>One transition of the state, exactly as <see cref="Xoshiro256.NextUInt64"/> makes it.</summary>
    internal static void Step(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >> 19);
    }

    private static void Apply(ulong[] m, ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        ulong w0 = s0, w1 = s1, w2 = s2, w3 = s3;
        for (int word = 0; word < 4; word++)
        {
            ulong w = word switch { 0 => w0, 1 => w1, 2 => w2, _ => w3 };
            int baseColumn = word * 64;
            for (int bit = 0; bit < 64; bit++)
            {
                ulong select = 0UL - ((w >> bit) & 1UL);
                int o = (baseColumn + bit) * 4;
                r0 ^= m[o] & select;
                r1 ^= m[o + 1] & select;
                r2 ^= m[o + 2] & select;
                r3 ^= m[o + 3] & select;
            }
        }
        (s0, s1, s2, s3) = (r0, r1, r2, r3);
    }

    /// <summary>Tʰ: every column (unit state) advanced through the powers of two that make up h.</summary>
    private static ulong[] Build(long steps)
    {
        int highest = 63 - (int)ulong.LeadingZeroCount((ulong)steps);
        var powers = PowersUpTo(highest);
        var result = new ulong[Bits * 4];
        for (int j = 0; j < Bits; j++)
        {
            var (s0, s1, s2, s3) = UnitState(j);
            for (int k = 0; k <= highest; k++)
                if (((steps >> k) & 1) != 0) Apply(powers[k], ref s0, ref s1, ref s2, ref s3);
            int o = j * 4;
            (result[o], result[o + 1], result[o + 2], result[o + 3]) = (s0, s1, s2, s3);
        }
        return result;
    }

    /// <summary>T^(2^k) for k = 0 … <paramref name="highest"/> (computed once, under a lock).</summary>
    private static ulong[][] PowersUpTo(int highest)
    {
        lock (PowersLock)
        {
            if (Powers.Count == 0)
            {
                var t = new ulong[Bits * 4];
                for (int j = 0; j < Bits; j++)
                {
                    var (s0, s1, s2, s3) = UnitState(j);
                    Step(ref s0, ref s1, ref s2, ref s3);
                    int o = j * 4;
                    (t[o], t[o + 1], t[o + 2], t[o + 3]) = (s0, s1, s2, s3);
                }
                Powers.Add(t);
            }
            while (Powers.Count <= highest)
            {
                // T^(2^(k+1)) = T^(2^k) · T^(2^k): each column of the square is the power applied to its own column.
                var p = Powers[^1];
                var square = new ulong[Bits * 4];
                for (int j = 0; j < Bits; j++)
                {
                    int o = j * 4;
                    ulong s0 = p[o], s1 = p[o + 1], s2 = p[o + 2], s3 = p[o + 3];
                    Apply(p, ref s0, ref s1, ref s2, ref s3);
                    (square[o], square[o + 1], square[o + 2], square[o + 3]) = (s0, s1, s2, s3);
                }
                Powers.Add(square);
            }
            return Powers.GetRange(0, highest + 1).ToArray();
        }
    }
}
