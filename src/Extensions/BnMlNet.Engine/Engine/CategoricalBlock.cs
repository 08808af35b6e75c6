namespace BnMlNet.Engine;

/// <summary>
/// One categorical feature's one-hot block of input slots: <see cref="Levels"/> consecutive slots from
/// <see cref="Start"/> (ML.NET's <c>CategoricalSlotRanges</c> pair [Start, Start + Levels − 1]).
/// </summary>
/// <param name="Start">The block's first slot, ≥ 0.</param>
/// <param name="Levels">Its slot count, ≥ 1.</param>
public readonly record struct CategoricalBlock(int Start, int Levels)
{
    /// <summary>The block's last slot (inclusive).</summary>
    public int End => Start + Levels - 1;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless every block has ≥ 1 level, lies in [0, <paramref name="inputSize"/>),
    /// and the blocks are ascending and do not overlap.
    /// </summary>
    /// <param name="blocks">The blocks, in slot order.</param>
    /// <param name="inputSize">Slots per row.</param>
    /// <param name="name">The setting's name as the caller knows it.</param>
    public static void CheckBlocks(IReadOnlyList<CategoricalBlock> blocks, int inputSize, string name)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        for (int i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b.Start < 0 || b.Levels < 1 || (long)b.Start + b.Levels > inputSize)
                throw new ArgumentException($"{name}[{i}] is slots [{b.Start}, {(long)b.Start + b.Levels - 1}]; each block needs at least one slot within [0, {inputSize - 1}].", name);
            if (i > 0 && b.Start <= blocks[i - 1].End)
                throw new ArgumentException($"{name}[{i}] starts at slot {b.Start}, inside or before block {i - 1} (slots [{blocks[i - 1].Start}, {blocks[i - 1].End}]); blocks must be ascending and must not overlap.", name);
        }
    }
}
