namespace BnMlNet.Engine.Preprocessing;

/// <summary>
/// The few order statistics the robust scaling reads (minimum, maximum, and the two neighbours of each quantile), found
/// by selection instead of a full sort: the same values bit for bit, in O(n) expected time per rank. Exact because, for
/// finite values without a negative zero, values that compare equal have the same bits, so the value at a rank does not
/// depend on how ties are arranged; a column holding −0 (which compares equal to +0, so the sort's arrangement of
/// the two zeros would decide which one a rank gets) is sorted as before.
/// </summary>
internal static class OrderStatistics
{
    /// <summary>
    /// Rearranges <paramref name="values"/> (finite) so that for every rank k in <paramref name="ranks"/>,
    /// <c>values[k]</c> is the value a full ascending sort puts there. With <paramref name="reference"/>, or when a −0 is
    /// present, it sorts the whole span.
    /// </summary>
    public static void Select(Span<float> values, ReadOnlySpan<int> ranks, bool reference = false)
    {
        if (reference || HasNegativeZero(values))
        {
            values.Sort();
            return;
        }
        Span<int> sorted = stackalloc int[ranks.Length];
        ranks.CopyTo(sorted);
        sorted.Sort();
        int lo = 0;
        foreach (int k in sorted)
        {
            if (k < lo) continue;                   // a repeated rank: already in place
            SelectRank(values, lo, values.Length - 1, k);
            lo = k + 1;                             // later ranks lie right of k; [0, k] holds nothing larger than values[k]
        }
    }

    private static bool HasNegativeZero(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (BitConverter.SingleToInt32Bits(v) == int.MinValue) return true;
        return false;
    }

    /// <summary>
    /// Quickselect with a three-way partition (ties are common: one-hot columns hold two values), median-of-three pivot;
    /// after more rounds than a balanced run needs, the remaining range is sorted (worst case O(n log n)).
    /// </summary>
    private static void SelectRank(Span<float> a, int lo, int hi, int k)
    {
        int rounds = 0, limit = 2 * (64 - (int)ulong.LeadingZeroCount((ulong)(hi - lo + 1))) + 8;
        while (hi > lo)
        {
            if (++rounds > limit)
            {
                a[lo..(hi + 1)].Sort();
                return;
            }
            float x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
            float pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
            int lt = lo, i = lo, gt = hi;
            while (i <= gt)
            {
                float v = a[i];
                if (v < pivot)
                {
                    a[i++] = a[lt];
                    a[lt++] = v;
                }
                else if (v > pivot)
                {
                    a[i] = a[gt];
                    a[gt--] = v;
                }
                else i++;
            }
            // [lo, lt) < pivot, [lt, gt] = pivot, (gt, hi] > pivot.
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return;
        }
    }
}
